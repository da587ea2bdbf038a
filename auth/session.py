"""Server-side sessions.

The browser holds only NiceGUI's signed session cookie; `app.storage.user` keeps the id of a `UserSession` row, and
the row is the truth: sign-out or an idle timeout ends it for every tab and every instance at once.

The cookie's browser id (the key of `app.storage.user`) is replaced at every sign-in and sign-out
(`rotate_browser_id`), so an id planted in a victim's browser before sign-in is never signed in. Whoever must know
that sessions ended (open pages, `auth.page_guard`) registers with `on_sessions_ended`.
"""
from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from nicegui import app
from sqlmodel import col, select
from starlette.requests import Request

from config import get_settings
from models import Organisation, Region, User, UserSession, utcnow
from models.db import session_scope
from portal.logs import bind as bind_log_context
from portal.metrics import count_sign_in

SESSION_KEY = 'session_id'
# The landing choice (profile and target organisation), kept for the session in app.storage.user.
PROFILE_KEY = 'profile'
ORGANISATION_KEY = 'organisation_id'
LANGUAGE_KEY = 'language'
NOTICE_KEY = 'notice'  # a one-time notice for the next page (components.frame shows it)
# Writing last_seen on every request would make every page load a write; a minute's precision is enough.
_TOUCH_INTERVAL = timedelta(seconds=60)
log = logging.getLogger(__name__)
_ended_listeners: list[Callable[[set[str]], None]] = []


def on_sessions_ended(listener: Callable[[set[str]], None]) -> None:
    """Call `listener` with the ids of sessions this process has just ended (from any thread)."""
    _ended_listeners.append(listener)


def announce_ended(session_ids: Iterable[str]) -> None:
    """Tell the listeners that these sessions have ended (also for code that ends a session row itself)."""
    ended = set(session_ids)
    if not ended:
        return
    for listener in _ended_listeners:
        try:
            listener(ended)
        except Exception:  # telling open pages must never undo or block a sign-out
            log.exception('A listener of ended sessions failed')


async def rotate_browser_id(request: Request, *, keep: Iterable[str] = ()) -> None:
    """Give this browser a new id (a new session cookie), carrying over only the `keep` keys of its storage.

    The old id's storage is emptied: a copy of the old cookie, planted or stolen, opens an empty storage.
    NiceGUI has no public call to create another browser's storage; `_create_user_storage` is what its own request
    middleware calls for a new browser (NiceGUI 3.18, pinned in pyproject).
    """
    old_storage = app.storage.user
    carried = {key: old_storage[key] for key in keep if key in old_storage}
    new_id = str(uuid.uuid4())
    await app.storage._create_user_storage(new_id)  # pylint: disable=protected-access
    request.session['id'] = new_id  # the session middleware signs it into the answer's cookie
    old_storage.clear()
    app.storage.user.update(carried)  # now the new id's storage


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: UserSession


def start_session(user_id: int, auth_method: str, *, saml_name_id: str | None = None,
                  saml_session_index: str | None = None, saml_issuer: str | None = None) -> str:
    """Open a session for the user in this browser (replacing any earlier one) and return its id."""
    end_session()
    session_id = secrets.token_urlsafe(32)
    with session_scope() as db:
        db.add(UserSession(id=session_id, user_id=user_id, auth_method=auth_method, saml_name_id=saml_name_id,
                           saml_session_index=saml_session_index, saml_issuer=saml_issuer))
        user = db.get(User, user_id)
        assert user is not None
        user.last_login_at = utcnow()
        chosen_language = app.storage.user.get(LANGUAGE_KEY)
        if chosen_language:  # KIELI chosen before signing in carries over to the account
            user.language = chosen_language
        db.add(user)
    app.storage.user[SESSION_KEY] = session_id
    count_sign_in(auth_method)
    bind_log_context(user_id=user_id)
    log.info('Signed in with %s', auth_method)  # the line carries the user id, never the identity number
    return session_id


def load_session(session_id: str | None) -> SignedIn | None:
    """The live session with this id, or None when it has ended or been idle too long (then it is ended)."""
    if not session_id:
        return None
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    with session_scope() as db:
        row = db.get(UserSession, session_id)
        if row is None or row.ended_at is not None:
            return None
        now = utcnow()
        idle = now - row.last_seen_at > idle_limit
        if idle:
            row.ended_at = now
            db.add(row)
            signed_in = None
        else:
            user = db.get(User, row.user_id)
            if user is None or not user.active:
                return None
            if now - row.last_seen_at > _TOUCH_INTERVAL:
                row.last_seen_at = now
                db.add(row)
            bind_log_context(user_id=user.id)
            signed_in = SignedIn(user=user, session=row)
    if idle:
        announce_ended([session_id])
    return signed_in


def is_live(session_id: str) -> bool:
    """Whether the session can still be used: not ended, not idle too long, its user active. One read, no writes."""
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    with session_scope() as db:
        found = db.exec(select(UserSession.id).join(User, col(User.id) == UserSession.user_id).where(
            UserSession.id == session_id, col(UserSession.ended_at).is_(None),
            UserSession.last_seen_at >= utcnow() - idle_limit, col(User.active).is_(True))).first()
    return found is not None


def current() -> SignedIn | None:
    """The signed-in user of the current page or request."""
    return load_session(app.storage.user.get(SESSION_KEY))


def current_user() -> User | None:
    signed_in = current()
    return signed_in.user if signed_in else None


def touch() -> None:
    """Note activity that does not load a page (typing in a long form), so the idle timeout does not strike."""
    session_id = app.storage.user.get(SESSION_KEY)
    if session_id:
        with session_scope() as db:
            row = db.get(UserSession, session_id)
            if row is not None and row.ended_at is None:
                row.last_seen_at = utcnow()
                db.add(row)


def seconds_left() -> float | None:
    """Seconds until this browser's session ends for idleness (0 when it has ended), None when not signed in.

    Only reads: asking must not count as activity."""
    session_id = app.storage.user.get(SESSION_KEY)
    if not session_id:
        return None
    with session_scope() as db:
        row = db.get(UserSession, session_id)
    if row is None or row.ended_at is not None:
        return 0.0
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    return max(0.0, (row.last_seen_at + idle_limit - utcnow()).total_seconds())


def end_session() -> UserSession | None:
    """End this browser's session on the server and forget it here; returns the ended row (for SAML logout)."""
    session_id = app.storage.user.pop(SESSION_KEY, None)
    if not session_id:
        return None
    with session_scope() as db:
        row = db.get(UserSession, session_id)
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
            db.add(row)
    announce_ended([session_id])
    return row


def end_sessions_of_user(user_id: int, *, keep: str | None = None) -> int:
    """End every session of a user but `keep` (SAML logout started by the IdP, account removal, password change);
    returns how many were open."""
    with session_scope() as db:
        rows = db.exec(select(UserSession).where(UserSession.user_id == user_id, UserSession.id != keep,
                                                 col(UserSession.ended_at).is_(None))).all()
        for row in rows:
            row.ended_at = utcnow()
            db.add(row)
    announce_ended(row.id for row in rows)
    return len(rows)


@dataclass(frozen=True)
class Profile:
    """The landing choice: a private person or an organisation's representative, and the target organisation."""

    kind: str  # 'private' or 'organisation'
    organisation: Organisation | None
    region: Region | None


def current_profile() -> Profile:
    kind = app.storage.user.get(PROFILE_KEY, 'private')
    organisation_id = app.storage.user.get(ORGANISATION_KEY)
    if kind == 'organisation':
        # Checked on every use, so a right withdrawn during the session stops working at once.
        from services.representation import represents

        signed_in = current()
        if signed_in is not None and not represents(signed_in.user.id or 0, organisation_id):
            kind = 'private'
    with session_scope() as db:
        organisation = db.get(Organisation, organisation_id) if organisation_id else None
        region = db.get(Region, organisation.region_id) if organisation else None
        if region is None:
            region = db.exec(select(Region).where(Region.name == get_settings().default_region)).first()
    return Profile(kind=kind, organisation=organisation, region=region)


def choose_profile(kind: str, organisation_id: int | None) -> None:
    app.storage.user[PROFILE_KEY] = 'organisation' if kind == 'organisation' else 'private'
    if organisation_id is None:
        app.storage.user.pop(ORGANISATION_KEY, None)
    else:
        app.storage.user[ORGANISATION_KEY] = organisation_id
