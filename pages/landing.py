"""Landing (/): private person or organisation representative, and the target organisation (Kohdeorganisaatio).

The choice is kept for the session (`auth.session.choose_profile`): it sets ALUE and which services are offered.
Whether an organisation profile is allowed is decided at sign-in, against the user's representation rights.
"""
import html

from nicegui import ui

from auth import session
from components.error_summary import ErrorSummary
from components.frame import frame
from config import get_settings
from locales import t
from services.organisations import organisation_options


def _no_match(typed: str, names) -> bool:
    needle = typed.strip().casefold()
    return bool(needle) and not any(needle in name.casefold() for name in names)


def landing_page(uloskirjautunut: str | None = None) -> None:
    if session.current_user() is not None:
        ui.navigate.to('/paasivu')
        return
    brand = get_settings().brand_name.capitalize()
    state: dict[str, str | None] = {'profile': None}
    with frame(title=t('Tervetuloa')):
        if uloskirjautunut:
            ui.label(t('Olet kirjautunut ulos.')).classes('w-full bg-green-50 border-l-8 border-green-800 p-4 mb-4') \
                .props('role=status').mark('signed-out')
        with ui.card().classes('w-full max-w-3xl p-6 gap-3'):
            ui.label(t('Henkilökohtaiset ja organisaatioille suunnatut palvelut')).classes('text-2xl font-bold') \
                .props('role=heading aria-level=1')
            ui.label(t('Valitse tästä, asioitko yksityishenkilönä vai {brand}n asiakasorganisaation edustajana. '
                       'Kirjaudu sisään nähdäksesi koko palvelutarjoaman.', brand=brand))
            with ui.row().classes('gap-4 flex-wrap'):
                private = ui.button(t('Yksityishenkilön asiointi »'), on_click=lambda: choose('private')) \
                    .props('no-caps size=lg outline aria-pressed=false').mark('choose-private')
                organisation = ui.button(t('Organisaation edustajana asiointi'),
                                         on_click=lambda: choose('organisation')) \
                    .props('no-caps size=lg outline aria-pressed=false').mark('choose-organisation')

        with ui.card().classes('w-full max-w-3xl p-6 mt-4 gap-3') as target_card:
            ui.label(t('Kohdeorganisaatio')).classes('text-xl font-bold').props('role=heading aria-level=2')
            ui.label(t('Valitse organisaatio, jota asiasi koskee. Syötä osa nimestä ja valitse organisaatio '
                       'avautuvasta hakulistasta.')).props('id=target-help')
            summary = ErrorSummary()
            options = organisation_options()
            target = ui.select(options, label=t('Organisaatio'), with_input=True, clearable=True) \
                .props('outlined use-input input-debounce=0 aria-describedby=target-help') \
                .classes('w-full max-w-lg').mark('target-organisation')
            # Quasar's select has no "no options" text of its own: the drop-down gets one, and a status line under
            # the field says it to screen readers, next to the way on without an organisation.
            no_results = html.escape(t('Ei hakutuloksia'))
            target.add_slot('no-option', '<q-item><q-item-section class="text-grey-9">'
                            f'{no_results}</q-item-section></q-item>')
            no_match = ui.label('').classes('font-bold').props('role=status').mark('no-match')
            target.on('input-value', lambda e: no_match.set_text(
                t('Ei hakutuloksia.') if _no_match(str(e.args or ''), options.values()) else ''))
            # Enter on a chosen organisation continues; the Enter that picks an option (its menu still open)
            # only picks.
            target.on('keydown', lambda: proceed(target.value, required=False) if target.value else None,
                      js_handler='(event) => { if (event.key === "Enter" && !document.querySelector(".q-menu")) '
                                 'emit(); }')
            ui.button(t('Jatka kirjautumaan'), on_click=lambda: proceed(target.value, required=True)) \
                .props('no-caps').classes('self-start').mark('continue')
            with ui.row().classes('gap-1 items-baseline'):
                ui.label(t('Jos organisaatiota ei löydy,'))
                ui.link(t('siirry asioimaan ilman organisaatiota'), '/kirjaudu') \
                    .on('click.prevent', lambda: proceed(None, required=False)).mark('without-organisation')
        target_card.set_visibility(False)

    def choose(profile: str) -> None:
        state['profile'] = profile
        for button, kind in ((private, 'private'), (organisation, 'organisation')):
            chosen = kind == profile
            button.props.set_bool('outline', not chosen)
            button.props['aria-pressed'] = 'true' if chosen else 'false'
        target_card.set_visibility(True)
        target.run_method('focus')

    def proceed(organisation_id: int | None, *, required: bool) -> None:
        if required and organisation_id is None:
            message = t('Valitse organisaatio hakulistasta tai siirry asioimaan ilman organisaatiota.')
            target.error = message
            target.update()
            summary.show([(target, message)])
            return
        session.choose_profile(state['profile'] or 'private', organisation_id)
        ui.navigate.to('/kirjaudu')


def register() -> None:
    ui.page('/')(landing_page)
