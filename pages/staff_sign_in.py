"""The centre's own sign-in (/kasittely/kirjaudu): username, password and the authenticator's code on one page.

Handlers and admins are sent here from any /kasittely page when signed out (auth/access.py); there is no Suomi.fi
choice or citizen's profile here. Only staff accounts with a TOTP key get in: a citizen's correct password is refused
with the same message as a wrong one, so the page reveals nothing about accounts.
"""
from __future__ import annotations

from fastapi import Request
from nicegui import run, ui

from auth import session
from auth.password_login import LoginOutcome, authenticate, verify_second_factor
from components.credentials import credential_inputs
from components.error_summary import ErrorSummary
from components.frame import frame
from locales import N_, t
from models.db import session_scope
from models.user import User
from pages.sign_in import hand_off

STAFF_HOME = '/kasittely'


def _staff_next(next_path: str | None) -> str:
    """Only a local /kasittely path may be the target (no open redirects)."""
    if next_path and next_path.startswith(STAFF_HOME) and not next_path.startswith('/kasittely/kirjaudu'):
        return next_path
    return STAFF_HOME


def _is_staff(user_id: int) -> bool:
    with session_scope() as db:
        user = db.get(User, user_id)
        return bool(user and user.active and user.is_staff and user.totp_secret)


def _check(username: str, password: str, code: str, address: str) -> int | None:
    """The staff member's id when all three are right; None otherwise (each failure counts towards the lockout)."""
    result = authenticate(username, password, address)
    if result.outcome != LoginOutcome.NEEDS_SECOND_FACTOR or result.user_id is None or not _is_staff(result.user_id):
        return None
    second_factor = verify_second_factor(result.user_id, code, address)
    return result.user_id if second_factor.outcome == LoginOutcome.OK else None


def staff_sign_in_page(request: Request, next: str | None = None) -> None:
    current = session.current_user()
    if current is not None and current.is_staff:
        ui.navigate.to(_staff_next(next))
        return
    address = request.client.host if request.client else 'unknown'
    with frame(title=t('Käsittelijän kirjautuminen')), ui.card().classes('w-full max-w-md p-6 gap-3'):
        ui.label(t('Käsittelijän kirjautuminen')).classes('text-2xl font-bold').props('role=heading aria-level=1')
        ui.label(t('Palvelukeskuksen käsittelijät ja pääkäyttäjät kirjautuvat käyttäjätunnuksella, salasanalla ja '
                   'todennussovelluksen koodilla.'))
        summary = ErrorSummary()
        with ui.element('form').classes('w-full flex flex-col gap-3').on('submit.prevent', lambda: None):
            username, password = credential_inputs('staff-')
            ui.label(t('Anna todennussovelluksesi näyttämä kuusinumeroinen koodi.')).props('id=staff-totp-help') \
                .classes('text-sm')
            code = ui.input(t('Vahvistuskoodi')).props(
                'outlined inputmode=numeric autocomplete=one-time-code maxlength=6 aria-describedby=staff-totp-help') \
                .classes('w-full').mark('staff-totp')
            button = ui.button(t('Kirjaudu'), on_click=lambda: submit()).props('no-caps type=submit') \
                .mark('staff-submit')

    async def submit() -> None:
        fields = ((username, N_('Anna käyttäjätunnus.')), (password, N_('Anna salasana.')),
                  (code, N_('Anna vahvistuskoodi.')))
        missing = [(field, t(message)) for field, message in fields if not (field.value or '').strip()]
        messages = {id(field): message for field, message in missing}
        for field, _message in fields:
            field.error = messages.get(id(field))
        if missing:
            summary.show(missing)
            return
        button.disable()
        try:
            # argon2 and the throttle bookkeeping: off the event loop.
            user_id = await run.io_bound(_check, username.value, password.value, code.value or '', address)
        finally:
            button.enable()
        password.value = ''
        code.value = ''
        if user_id is None:
            summary.show([(None, t('Käyttäjätunnus, salasana tai vahvistuskoodi on väärin, tai tunnus on '
                                   'lukittu hetkeksi liian monen yrityksen vuoksi.'))])
            return
        session.choose_profile('private', None)
        hand_off(user_id, _staff_next(next))  # over HTTP, where the signed-in browser gets its new cookie


def register() -> None:
    ui.page('/kasittely/kirjaudu')(staff_sign_in_page)
