"""OMA ASIOINTI — Omat tapahtumat: the three tabs Luonnokset, Lähetetyt and Valmiit."""
from nicegui import ui

from auth import session
from components.frame import frame
from components.request_tabs import request_tabs
from locales import t


def my_transactions_page() -> None:
    user = session.current_user()
    assert user is not None
    with frame('oma-asiointi', title=t('Oma asiointi')):
        ui.label(t('Omat tapahtumat')).classes('text-3xl font-bold').props('role=heading aria-level=1')
        ui.label(t('Tästä löydät omat tapahtumasi. Luonnokset-välilehdellä näet luonnos-tilassa olevat '
                   'palvelupyynnöt, joita et ole vielä lähettänyt. Lähetetyt-välilehden tapahtumat ovat '
                   'jo lähetettyjä palvelupyyntöjä, ja Valmiit-välilehdeltä näet ratkaistut '
                   'palvelupyynnöt.')).classes('mb-2')
        with ui.card().classes('w-full p-2 sm:p-4'):
            request_tabs(user.id)


def register() -> None:
    ui.page('/oma-asiointi')(my_transactions_page)
