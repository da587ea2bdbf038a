"""PALVELUT: the services offered to the current profile and target organisation."""
from nicegui import ui

from auth import session
from components.frame import frame
from locales import t
from services.catalogue import offered_forms


def service_catalogue_page() -> None:
    profile = session.current_profile()
    with frame('palvelut', title=t('Palvelut')):
        ui.label(t('Palvelut')).classes('text-3xl font-bold').props('role=heading aria-level=1')
        if profile.organisation is not None:
            ui.label(t('Palvelut organisaatiolle {name}', name=profile.organisation.local_name()))
        with ui.element('div').classes('grid grid-cols-1 md:grid-cols-2 gap-4 w-full mt-2'):
            for form in offered_forms(profile.kind):
                with ui.card().classes('w-full'):
                    ui.link(t(form.title), f'/palvelut/{form.code}').classes('text-lg font-bold') \
                        .mark(f'service-{form.code}')
                    ui.label(t(form.description))


def register() -> None:
    ui.page('/palvelut')(service_catalogue_page)
