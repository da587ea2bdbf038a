"""SAML routes of the service provider: metadata, login, the assertion consumer (ACS), single logout, and the
page that says clearly why a sign-in was refused."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Literal, ParamSpec, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app, run, ui

from auth import saml_idp_metadata, saml_sp, session
from auth.redirects import safe_local_path
from auth.saml_sp import LOGIN_COOKIE, PENDING_LIFETIME, SamlRefused
from auth.sign_in_flow import SamlSessionInfo, finish_sign_in
from components.frame import frame
from config import get_settings
from locales import N_, normalise_language, t
from portal.metrics import count_refusal
from services.registration import IdentifiedPerson, user_for_identification

log = logging.getLogger(__name__)
P = ParamSpec('P')
R = TypeVar('R')

REFUSAL_REASONS = {
    'status': N_('Tunnistautuminen keskeytettiin tai se ei onnistunut.'),
    'expired': N_('Tunnistautuminen vanheni. Kirjaudu uudelleen.'),
    'replayed': N_('Tämä tunnistautuminen on jo käytetty. Kirjaudu uudelleen.'),
    'unsolicited': N_('Palvelu ei pyytänyt tätä tunnistautumista. Aloita kirjautuminen uudelleen tämän palvelun '
                      'kirjautumissivulta.'),
    'level-of-assurance': N_('Tunnistautumistapasi ei riitä tähän palveluun. Käytä pankkitunnuksia, '
                             'mobiilivarmennetta tai varmennekorttia.'),
    'attributes': N_('Tunnistuspalvelu ei välittänyt henkilötunnustasi, joten sinua ei voitu tunnistaa.'),
    'other-browser': N_('Kirjautuminen aloitettiin eri selaimessa tai sen tiedot ovat vanhentuneet. Aloita '
                        'kirjautuminen uudelleen tästä selaimesta.'),
    'logout': N_('Uloskirjautumista ei voitu vahvistaa tunnistuspalvelun kanssa. Olet kuitenkin kirjautunut ulos '
                 'tästä palvelusta.'),
}
GENERIC_REFUSAL = N_('Tunnistuspalvelun vastausta ei voitu hyväksyä, joten kirjautuminen keskeytettiin '
                     'turvallisuussyistä. Kirjaudu uudelleen.')


async def _off_loop(callback: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`run.io_bound` for a route: the None it gives when the app is shutting down becomes a 503 answer instead of
    an AttributeError on None (the callbacks here never return None themselves)."""
    result = await run.io_bound(callback, *args, **kwargs)
    if result is None:
        raise HTTPException(status_code=503)
    return result


async def metadata() -> Response:
    xml = await _off_loop(saml_sp.metadata_xml)
    return Response(xml, media_type='application/samlmetadata+xml')


async def login(next: str | None = None) -> RedirectResponse:
    """Leave for the IdP with a signed AuthnRequest; the landing choice travels with the pending request."""
    from auth.session import LANGUAGE_KEY, ORGANISATION_KEY, PROFILE_KEY

    storage = app.storage.user
    start = await _off_loop(saml_sp.begin_login, safe_local_path(next), normalise_language(
        storage.get(LANGUAGE_KEY)), storage.get(PROFILE_KEY, 'private'), storage.get(ORGANISATION_KEY))
    response = RedirectResponse(start.redirect_to, status_code=303)
    _set_login_cookie(response, start.browser_binding, int(PENDING_LIFETIME.total_seconds()))
    return response


def _set_login_cookie(response: Response, value: str, max_age: int) -> None:
    """The login cookie goes only to /saml/. Behind https it is SameSite=None (the IdP's answer is a cross-site
    POST) and Secure; over plain http browsers refuse SameSite=None, so Lax (the test IdP is on the same site)."""
    secure = get_settings().secure_cookies
    samesite: Literal['none', 'lax'] = 'none' if secure else 'lax'
    if max_age:
        response.set_cookie(LOGIN_COOKIE, value, path='/saml/', httponly=True, max_age=max_age, secure=secure,
                            samesite=samesite)
    else:
        response.delete_cookie(LOGIN_COOKIE, path='/saml/', secure=secure, httponly=True, samesite=samesite)


async def assertion_consumer(request: Request) -> RedirectResponse:
    """The IdP's answer (HTTP-POST). Anything not fully right signs no one in and shows the refusal page."""
    form = await request.form()
    saml_response, relay_state = str(form.get('SAMLResponse') or ''), str(form.get('RelayState') or '')
    if not saml_response:
        return RedirectResponse('/kirjaudu/virhe?syy=invalid', status_code=303)
    try:
        identity = await _off_loop(saml_sp.complete_login, saml_response, relay_state,
                                      request.cookies.get(LOGIN_COOKIE))
    except SamlRefused as refused:
        log.warning('Sign-in refused: %s', refused)
        count_refusal('saml', refused.reason)
        return RedirectResponse(f'/kirjaudu/virhe?syy={refused.reason}', status_code=303)
    person = IdentifiedPerson(national_id=identity.national_id, given_name=identity.given_name,
                              surname=identity.surname, display_name=identity.display_name,
                              given_name_is_calling_name=identity.given_name_is_calling_name)
    user_id = await _off_loop(user_for_identification, person, identity.language)
    from auth.session import LANGUAGE_KEY

    # The cross-site POST arrives without the old cookie: keep the language chosen before leaving for the IdP.
    app.storage.user.setdefault(LANGUAGE_KEY, identity.language)
    await finish_sign_in(request, user_id, 'saml', profile=identity.profile, organisation_id=identity.organisation_id,
                         saml=SamlSessionInfo(identity.name_id, identity.session_index, identity.issuer))
    response = RedirectResponse(safe_local_path(identity.return_to), status_code=303)
    _set_login_cookie(response, '', 0)
    return response


def single_logout(request: Request) -> RedirectResponse:
    """Our LogoutRequest answered, or the IdP's own LogoutRequest (the user signed out elsewhere)."""
    try:
        outcome = saml_sp.handle_logout_message(request.url.query)
    except SamlRefused as refused:
        log.warning('Single logout message refused: %s', refused)
        return RedirectResponse('/kirjaudu/virhe?syy=logout', status_code=303)
    for user_id in outcome.ended_user_ids:
        session.end_sessions_of_user(user_id)
    if outcome.ended_user_ids:
        session.end_session()
    return RedirectResponse(outcome.redirect_to, status_code=303)


def refusal_page(syy: str = '') -> None:
    with frame(title=t('Kirjautuminen epäonnistui')), ui.card().classes('w-full max-w-3xl p-6 gap-3') \
            .mark('sign-in-refused'):
        ui.label(t('Kirjautuminen epäonnistui')).classes('text-2xl font-bold').props('role=heading aria-level=1')
        ui.label(t(REFUSAL_REASONS.get(syy, GENERIC_REFUSAL))).props('role=alert').mark('refusal-reason')
        ui.label(t('Et ole kirjautunut palveluun. Jos ongelma toistuu, ota yhteyttä asiakaspalveluun.'))
        with ui.row().classes('gap-4'):
            ui.link(t('Kirjaudu uudelleen'), '/kirjaudu').mark('try-again')
            ui.link(t('Palaa etusivulle'), '/')


def _load_idp_metadata_or_exit() -> None:
    """Outside test-idp mode the IdP metadata must pass its checks at start (or a last good copy must), and it is
    refreshed on a schedule after that."""
    if get_settings().sign_in_mode == 'test-idp':
        return
    try:
        saml_idp_metadata.current()
    except saml_idp_metadata.MetadataRefused as refused:
        print(f'Configuration error: SAML_IDP_METADATA: {refused}', file=sys.stderr)
        raise SystemExit(2) from None
    app.on_startup(saml_idp_metadata.start_refresh_schedule)


def register() -> None:
    _load_idp_metadata_or_exit()
    app.add_api_route('/saml/metadata', metadata, methods=['GET'])
    app.add_api_route('/saml/login', login, methods=['GET'])
    app.add_api_route('/saml/acs', assertion_consumer, methods=['POST'])
    app.add_api_route('/saml/slo', single_logout, methods=['GET'])
    ui.page('/kirjaudu/virhe')(refusal_page)
