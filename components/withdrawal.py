"""'Peru palvelupyyntö': the citizen withdraws a request the centre returned for completion, after a confirmation.

Once sent, a request is the centre's record too, so it is closed into Valmiit with its history rather than deleted
(`services.workflow.withdraw_request`). Used on the returned request's form and on its page in Oma asiointi.
"""
from __future__ import annotations

import contextlib

from nicegui import app, ui

from auth import session
from locales import t
from models import saved_id
from services import workflow

from .frame import NOTICE_KEY


def withdraw_button(number: int) -> ui.button:
    button = ui.button(t('Peru palvelupyyntö'), on_click=lambda: confirm_withdrawal(number)) \
        .props('flat dense no-caps color=red-10').mark('withdraw')
    button.props['aria-haspopup'] = 'dialog'
    return button


def confirm_withdrawal(number: int) -> None:
    def withdraw() -> None:
        dialog.close()
        user = session.current_user()  # the session is checked again at the moment of the action
        if user is None:
            ui.navigate.to('/kirjaudu')
            return
        with contextlib.suppress(workflow.RequestNotAvailable):  # already sent or withdrawn in another tab
            workflow.withdraw_request(saved_id(user), number)
        app.storage.user[NOTICE_KEY] = t('Palvelupyyntö {number} peruttiin. Löydät sen Valmiit-välilehdeltä.',
                                         number=number)
        ui.navigate.to('/oma-asiointi')

    with ui.dialog() as dialog, ui.card().props('role=alertdialog aria-labelledby=withdraw-heading') \
            .mark('withdraw-dialog'):
        ui.label(t('Perutaanko palvelupyyntö?')).classes('text-lg font-bold') \
            .props('id=withdraw-heading role=heading aria-level=2')
        ui.label(t('Palvelupyyntö {number} suljetaan eikä sitä käsitellä. Sen tiedot ja historia säilyvät '
                   'Valmiit-välilehdellä.', number=number))
        with ui.row().classes('justify-end w-full'):
            ui.button(t('Peruuta'), on_click=dialog.close).props('outline no-caps color=primary')
            ui.button(t('Peru palvelupyyntö'), on_click=withdraw).props('no-caps color=red-10') \
                .mark('confirm-withdraw')
    dialog.open()
