"""Landing (/): private person or organisation representative, and the target organisation (Kohdeorganisaatio)."""
from nicegui import ui

from auth import session
from components.frame import frame
from config import get_settings
from locales import t
from services.organisations import organisation_options


def landing_page() -> None:
    if session.current_user() is not None:
        ui.navigate.to('/paasivu')
        return
    brand = get_settings().brand_name.capitalize()
    state = {'profile': None}
    with frame(title=t('Tervetuloa')):
        with ui.card().classes('w-full max-w-3xl p-6'):
            ui.label(t('Henkilökohtaiset ja organisaatioille suunnatut palvelut')).classes('text-2xl font-bold') \
                .props('role=heading aria-level=1')
            ui.label(t('Valitse tästä, asioitko yksityishenkilönä vai {brand}n asiakasorganisaation edustajana. '
                       'Kirjaudu sisään nähdäksesi koko palvelutarjoaman.', brand=brand))
            with ui.row().classes('gap-4 flex-wrap'):
                private = ui.button(t('Yksityishenkilön asiointi »'), on_click=lambda: choose('private')) \
                    .props('no-caps size=lg').mark('choose-private')
                organisation = ui.button(t('Organisaation edustajana asiointi'),
                                         on_click=lambda: choose('organisation')) \
                    .props('no-caps size=lg outline').mark('choose-organisation')

        with ui.card().classes('w-full max-w-3xl p-6 mt-4') as target_card:
            ui.label(t('Kohdeorganisaatio')).classes('text-xl font-bold').props('role=heading aria-level=2')
            ui.label(t('Valitse organisaatio, jota asiasi koskee. Syötä osa nimestä ja valitse organisaatio '
                       'avautuvasta hakulistasta.')).props('id=target-help')
            target = ui.select(organisation_options(), label=t('Organisaatio'), with_input=True, clearable=True) \
                .props('outlined use-input input-debounce=0 aria-describedby=target-help '
                       f'no-option-label="{t("Ei hakutuloksia")}"') \
                .classes('w-full max-w-lg').mark('target-organisation')
            ui.button(t('Jatka kirjautumaan'), on_click=lambda: proceed(target.value)).props('no-caps') \
                .mark('continue')
            with ui.row().classes('gap-1 items-baseline'):
                ui.label(t('Jos organisaatiota ei löydy,'))
                ui.link(t('siirry asioimaan ilman organisaatiota'), '#').on('click.prevent', lambda: proceed(None)) \
                    .mark('without-organisation')
        target_card.set_visibility(False)

    def choose(profile: str) -> None:
        state['profile'] = profile
        private.props(remove='outline' if profile == 'private' else '', add='' if profile == 'private' else 'outline')
        organisation.props(remove='outline' if profile == 'organisation' else '',
                           add='' if profile == 'organisation' else 'outline')
        target_card.set_visibility(True)
        target.run_method('focus')

    def proceed(organisation_id: int | None) -> None:
        session.choose_profile(state['profile'] or 'private', organisation_id)
        ui.navigate.to('/kirjaudu')


def register() -> None:
    ui.page('/')(landing_page)
