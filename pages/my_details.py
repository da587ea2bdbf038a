"""OMAT TIEDOT: the signed-in user's own details (filled in by the Oma asiointi issue)."""
from nicegui import ui

from auth import session
from components.frame import frame
from locales import N_, t


def my_details_page() -> None:
    user = session.current_user()
    assert user is not None
    with frame('omat-tiedot', title=t('Omat tiedot')):
        ui.label(t('Omat tiedot')).classes('text-3xl font-bold').props('role=heading aria-level=1')
        with ui.card().classes('w-full max-w-2xl'):
            with ui.element('dl').classes('grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2'):
                for label, value in ((N_('Nimi'), user.full_name), (N_('Sähköpostiosoite'), user.email),
                                     (N_('Puhelinnumero'), user.phone), (N_('Käyttäjätunnus'), user.username or ''),
                                     (N_('Henkilötunnus'), user.identity_masked or '')):
                    with ui.element('dt').classes('font-bold'):
                        ui.label(t(label))
                    with ui.element('dd'):
                        ui.label(value or '–')


def register() -> None:
    ui.page('/omat-tiedot')(my_details_page)
