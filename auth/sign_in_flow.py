"""What every successful sign-in does, whatever the method: a new browser id, the session, and the profile.

Every sign-in ends in an HTTP answer that replaces the browser id (`session.rotate_browser_id`): a session cookie
planted before sign-in is never signed in (session fixation). The password and TOTP forms check the secret over the
page's websocket, which cannot set a cookie, so they hand over to `/kirjaudu/jatka` with a one-time ticket: the ticket
waits in this browser's storage, and its random key travels only over the page's socket, so someone else holding a
copy of the same cookie cannot redeem it.

The landing choice "Organisaation edustajana asiointi" is only a wish: the organisation profile is given only to a
user who holds a representation right for the chosen organisation. Anyone else continues as a private person and is
told why, on the first page after sign-in (the frame's one-time notice).
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from nicegui import app, run
from starlette.requests import Request

from locales import N_, current_language, t
from models import UserSession
from services.representation import organisation_name, represented_organisations, represents

from . import session
from .session import NOTICE_KEY

HAND_OFF_KEY = 'sign_in_hand_off'
HAND_OFF_SECONDS = 60
# What a visitor chose before signing in and keeps afterwards; everything else stays with the old browser id.
KEPT_AT_SIGN_IN = (session.LANGUAGE_KEY, session.PROFILE_KEY, session.ORGANISATION_KEY)
KEPT_AT_SIGN_OUT = (session.LANGUAGE_KEY,)

NOTICES = {
    'no-right': N_('Sinulla ei ole oikeutta asioida organisaation {organisation} edustajana. Asioit nyt '
                   'yksityishenkilönä. Jos tarvitset asiointioikeuden, ota yhteyttä organisaatiosi pääkäyttäjään.'),
    'no-organisation': N_('Et valinnut organisaatiota, jota edustat. Asioit nyt yksityishenkilönä.'),
    'registered': N_('Rekisteröityminen onnistui. Tervetuloa asiakaspalveluportaaliin!'),
}


@dataclass(frozen=True)
class SamlSessionInfo:
    name_id: str
    session_index: str | None
    issuer: str


@dataclass(frozen=True)
class ProfileDecision:
    kind: str
    organisation_id: int | None
    notice: str | None = None  # a key of NOTICES
    organisation: str = ''


def decide_profile(user_id: int, wanted: str, organisation_id: int | None) -> ProfileDecision:
    """The profile the user may have: the organisation one only with a right for that organisation."""
    if wanted != 'organisation':
        return ProfileDecision('private', organisation_id)
    if organisation_id is not None:
        if represents(user_id, organisation_id):
            return ProfileDecision('organisation', organisation_id)
        return ProfileDecision('private', organisation_id, 'no-right', organisation_name(organisation_id))
    rights = represented_organisations(user_id)
    if len(rights) == 1:  # "without organisation" but only one to represent: no need to ask
        return ProfileDecision('organisation', rights[0][0])
    return ProfileDecision('private', None, 'no-organisation')


async def finish_sign_in(request: Request, user_id: int, method: str, *, profile: str, organisation_id: int | None,
                         saml: SamlSessionInfo | None = None, lang: str | None = None) -> ProfileDecision:
    """Start the session under a new browser id and apply the (checked) landing choice.

    Called from an HTTP route (the SAML ACS, the password hand-off): only an HTTP answer can set the new cookie."""
    await session.end_session_async()  # an earlier session of this browser, under the old id
    await session.rotate_browser_id(request, keep=KEPT_AT_SIGN_IN)
    await session.start_session(user_id, method, saml_name_id=saml.name_id if saml else None,
                                saml_session_index=saml.session_index if saml else None,
                                saml_issuer=saml.issuer if saml else None)
    decision = await run.io_bound(decide_profile, user_id, profile, organisation_id)
    assert decision is not None  # None only while the app stops
    session.choose_profile(decision.kind, decision.organisation_id)
    if decision.notice:
        set_notice(decision.notice, decision.organisation, lang)
    return decision


async def sign_out(request: Request) -> UserSession | None:
    """End this browser's session and give it a new id; returns the ended row (None when nobody was signed in)."""
    ended = await session.end_session_async()
    await session.rotate_browser_id(request, keep=KEPT_AT_SIGN_OUT)
    return ended


def offer_hand_off(user_id: int, method: str) -> str:
    """Leave a one-time sign-in ticket in this browser's storage (from a page's event handler); returns its key."""
    key = secrets.token_urlsafe(32)
    app.storage.user[HAND_OFF_KEY] = {'key': key, 'user_id': user_id, 'method': method,
                                      'expires': time.time() + HAND_OFF_SECONDS}
    return key


def redeem_hand_off(key: str) -> tuple[int, str] | None:
    """The (user id, method) of this browser's ticket when `key` is its key and it is fresh; then it is used up.

    A wrong key leaves the ticket alone: someone else holding a copy of this cookie must not be able to spoil the
    person's sign-in either (guessing a 256-bit key is no option)."""
    ticket = app.storage.user.get(HAND_OFF_KEY)
    if not isinstance(ticket, dict):
        return None
    if time.time() > ticket.get('expires', 0):
        app.storage.user.pop(HAND_OFF_KEY, None)
        return None
    if not key or not secrets.compare_digest(str(ticket.get('key', '')).encode(), key.encode()):
        return None
    app.storage.user.pop(HAND_OFF_KEY, None)
    return int(ticket['user_id']), str(ticket['method'])


def set_notice(key: str, organisation: str = '', lang: str | None = None) -> None:
    """A notice (a key of NOTICES) for the frame to show once on the next page, in the user's language."""
    app.storage.user[NOTICE_KEY] = t(NOTICES[key], lang or current_language(), organisation=organisation)
