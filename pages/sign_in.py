"""Sign-in (/kirjaudu): Suomi.fi strong identification or a username and password; second factor; sign-out."""
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, run, ui

from auth import session, sign_in_flow
from auth.password_login import LoginOutcome, authenticate, verify_second_factor
from auth.redirects import safe_local_path
from auth.sign_in_flow import finish_sign_in
from auth.throttle import wait_message
from components.credentials import credential_inputs
from components.error_summary import ErrorSummary
from components.frame import frame
from config import get_settings
from locales import N_, t

PENDING_SECOND_FACTOR = 'pending_second_factor_user'
HAND_OFF_PATH = '/kirjaudu/jatka'


def _client_address(request: Request) -> str:
    return request.client.host if request.client else 'unknown'


def hand_off(user_id: int, next_path: str) -> None:
    """The secret was right: continue over HTTP, where the new browser id can be set (`auth.sign_in_flow`)."""
    key = sign_in_flow.offer_hand_off(user_id, 'password')
    ui.navigate.to(f'{HAND_OFF_PATH}?lippu={quote(key)}&next={quote(next_path)}')


async def complete_password_sign_in(request: Request, lippu: str = '', next: str | None = None) -> RedirectResponse:
    """Redeem the ticket the password or TOTP form left in this browser: new browser id, session, then `next`."""
    redeemed = sign_in_flow.redeem_hand_off(lippu)
    if redeemed is None:
        return RedirectResponse('/kirjaudu/salasana', status_code=303)
    user_id, method = redeemed
    profile = await session.current_profile_async()
    await finish_sign_in(request, user_id, method, profile=profile.kind,
                         organisation_id=profile.organisation.id if profile.organisation else None)
    return RedirectResponse(safe_local_path(next), status_code=303)


def sign_in_page(next: str | None = None, aikakatkaisu: str | None = None, istunto: str | None = None) -> None:
    if session.current_user() is not None:
        ui.navigate.to(safe_local_path(next))
        return
    profile = session.current_profile()
    heading = t('Organisaation edustajana asiointi') if profile.kind == 'organisation' else \
        t('Yksityishenkilön asiointi')
    with frame(title=t('Kirjaudu')), ui.card().classes('w-full max-w-3xl p-6 gap-3'):
        if aikakatkaisu:
            ui.label(t('Istuntosi päättyi, koska et käyttänyt palvelua {minutes} minuuttiin. Kirjaudu uudelleen.',
                       minutes=get_settings().session_idle_minutes)) \
                .classes('w-full bg-amber-100 border-l-8 border-amber-700 p-3').props('role=status') \
                .mark('timeout-notice')
        elif istunto:
            ui.label(t('Istuntosi on päättynyt. Kirjaudu uudelleen.')) \
                .classes('w-full bg-amber-100 border-l-8 border-amber-700 p-3').props('role=status') \
                .mark('session-ended-notice')
        ui.label(heading).classes('text-2xl font-bold').props('role=heading aria-level=1')
        if profile.kind == 'organisation':
            ui.label(t('Organisaation edustajana voit hoitaa asiakasorganisaatiosi asioita, joihin sinulla on '
                       'asiointioikeus.'))
        else:
            ui.label(t('Yksityishenkilön asiointi -palvelun kautta voit hoitaa omia henkilökohtaisia asioitasi '
                       'esimerkiksi työsuhteeseesi ja palkkaukseen tai saamaasi laskuun liittyen.'))
        ui.label(t('Kirjautuminen')).classes('text-xl font-bold mt-2').props('role=heading aria-level=2')
        ui.label(t('Asiointitilin vahva tunnistautuminen tapahtuu mobiilivarmenteella, omilla pankkitunnuksilla '
                   'tai sähköisellä henkilökortilla. Tunnistautumista varten siirryt Suomi.fi-palveluun. '
                   'Tunnistauduttuasi pääset takaisin sähköiseen asiointiin Jatka palveluun -painikkeella.'))
        target = f'/saml/login?next={quote(safe_local_path(next))}'
        ui.button(t('Kirjaudu Suomi.fi-tunnistuksella'), on_click=lambda: ui.navigate.to(target)) \
                .props('no-caps size=lg').classes('self-start').mark('suomifi-login')
        ui.label(t('Vahvaa tunnistusta varten sinulla tulee olla suomalainen henkilötunnus. Jos et voi käyttää '
                   'vahvaa tunnistusta ja sinulle on luotu käyttäjätunnus ja salasana, kirjaudu alla olevasta '
                   'linkistä.'))
        ui.link(t('Kirjaudu käyttäjätunnuksella ja salasanalla'),
                f'/kirjaudu/salasana?next={quote(safe_local_path(next))}').mark('password-login-link')


def password_page(request: Request, next: str | None = None) -> None:
    address = _client_address(request)
    with frame(title=t('Kirjaudu käyttäjätunnuksella')), ui.card().classes('w-full max-w-md p-6 gap-3'):
        ui.label(t('Kirjaudu käyttäjätunnuksella ja salasanalla')).classes('text-2xl font-bold') \
                .props('role=heading aria-level=1')
        summary = ErrorSummary()
        # Enter in a field clicks the submit button (implicit submission); the form's own submit only must not reload.
        with ui.element('form').classes('w-full flex flex-col gap-3').on('submit.prevent', lambda: None):
            username, password = credential_inputs()
            ui.button(t('Kirjaudu'), on_click=lambda: submit()).props('no-caps type=submit').mark('submit')

    async def submit() -> None:
        missing = [(field, t(message)) for field, message in
                   ((username, N_('Anna käyttäjätunnus.')), (password, N_('Anna salasana.')))
                   if not (field.value or '').strip()]
        messages = {id(field): message for field, message in missing}
        for field in (username, password):
            field.error = messages.get(id(field))
            field.update()
        if missing:
            summary.show(missing)
            return
        # argon2 takes tens of milliseconds by design: off the event loop, or every other user waits.
        result = await run.io_bound(authenticate, username.value, password.value, address)
        password.value = ''
        if result is None:  # run.io_bound gives None when the app is shutting down
            return
        if result.outcome == LoginOutcome.DELAYED:
            summary.show([(None, wait_message(result.retry_after))])
        elif result.outcome == LoginOutcome.INVALID:
            summary.show([(None, t('Käyttäjätunnus tai salasana on väärin.'))])
        elif result.outcome == LoginOutcome.NEEDS_SECOND_FACTOR:
            app.storage.user[PENDING_SECOND_FACTOR] = result.user_id
            ui.navigate.to(f'/kirjaudu/vahvistus?next={quote(safe_local_path(next))}')
        else:
            assert result.user_id is not None
            hand_off(result.user_id, safe_local_path(next))


def second_factor_page(request: Request, next: str | None = None) -> None:
    address = _client_address(request)
    user_id = app.storage.user.get(PENDING_SECOND_FACTOR)
    if user_id is None:
        ui.navigate.to('/kirjaudu/salasana')
        return
    with frame(title=t('Kirjautumisen vahvistus')), ui.card().classes('w-full max-w-md p-6 gap-3'):
        ui.label(t('Kirjautumisen vahvistus')).classes('text-2xl font-bold').props('role=heading aria-level=1')
        ui.label(t('Anna todennussovelluksesi näyttämä kuusinumeroinen koodi.')).props('id=totp-help')
        summary = ErrorSummary()
        code = ui.input(t('Vahvistuskoodi')).props(
            'outlined inputmode=numeric autocomplete=one-time-code maxlength=6 aria-describedby=totp-help') \
                .classes('w-full').mark('totp')
        code.on('keydown.enter', lambda: submit())
        ui.button(t('Vahvista'), on_click=lambda: submit()).props('no-caps').mark('submit')

    async def submit() -> None:
        result = await run.io_bound(verify_second_factor, user_id, code.value or '', address)
        if result is None:  # run.io_bound gives None when the app is shutting down
            return
        if result.outcome == LoginOutcome.OK:
            app.storage.user.pop(PENDING_SECOND_FACTOR, None)
            target = safe_local_path(next)
            hand_off(user_id, '/kasittely' if target == '/paasivu' else target)  # staff start at the queue
        else:
            code.value = ''
            message = wait_message(result.retry_after) if result.outcome == LoginOutcome.DELAYED else \
                t('Vahvistuskoodi on väärin tai vanhentunut.')
            summary.show([(code, message)])


async def sign_out(request: Request) -> RedirectResponse:
    """End the session here (a new browser id too); a SAML session also ends at the IdP (single logout)."""
    from auth.saml_logout import logout_redirect_url

    ended = await sign_in_flow.sign_out(request)
    target = await run.io_bound(logout_redirect_url, ended) if ended is not None else None
    return RedirectResponse(target or '/?uloskirjautunut=1', status_code=303)


def register() -> None:
    ui.page('/kirjaudu')(sign_in_page)
    ui.page('/kirjaudu/salasana')(password_page)
    ui.page('/kirjaudu/vahvistus')(second_factor_page)
    app.add_api_route(HAND_OFF_PATH, complete_password_sign_in, methods=['GET'])
    app.add_api_route('/kirjaudu/ulos', sign_out, methods=['GET'])
