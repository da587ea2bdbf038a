"""Server-side sessions.

The browser holds only NiceGUI's signed session cookie; `app.storage.user` keeps the id of a `UserSession` row, and
the row is the truth: sign-out or an idle timeout ends it for every tab and every instance at once.

The cookie's browser id (the key of `app.storage.user`) is replaced at every sign-in and sign-out
(`rotate_browser_id`), so an id planted in a victim's browser before sign-in is never signed in. Whoever must know
that sessions ended (open pages, `auth.page_guard`) registers with `on_sessions_ended`.

One read per HTTP request, off the event loop: the access middleware reads the session in a worker thread
(`read_for_request`) and keeps it for the request (`for_request`); the page and its frame take it from there
(`current_session`) instead of querying again. Event handlers run long after that request, so they read again
(`current_session_async`), in a thread.
"""
from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from nicegui import app, run
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


def _open_session_row(session_id: str, user_id: int, auth_method: str, chosen_language: str | None,
                      saml: tuple[str | None, str | None, str | None]) -> None:
    saml_name_id, saml_session_index, saml_issuer = saml
    with session_scope() as db:
        db.add(UserSession(id=session_id, user_id=user_id, auth_method=auth_method, saml_name_id=saml_name_id,
                           saml_session_index=saml_session_index, saml_issuer=saml_issuer))
        user = db.get(User, user_id)
        assert user is not None
        user.last_login_at = utcnow()
        if chosen_language:  # KIELI chosen before signing in carries over to the account
            user.language = chosen_language
        db.add(user)


async def start_session(user_id: int, auth_method: str, *, saml_name_id: str | None = None,
                        saml_session_index: str | None = None, saml_issuer: str | None = None) -> str:
    """Open a session for the user in this browser (replacing any earlier one) and return its id.

    The database work runs in a worker thread; this browser's storage is written here, on the loop."""
    await end_session_async()
    session_id = secrets.token_urlsafe(32)
    await run.io_bound(_open_session_row, session_id, user_id, auth_method, app.storage.user.get(LANGUAGE_KEY),
                       (saml_name_id, saml_session_index, saml_issuer))
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


@dataclass
class RequestRead:
    """The session (and, for a page, the profile) as the access middleware read it for one HTTP request. `open` turns
    False when the request's answer is ready: tasks started while drawing the page (timers, handlers) copy the
    context, and must read again."""

    session_id: str | None
    signed_in: SignedIn | None
    profile_key: tuple[str, int | None] | None = None  # the landing choice the profile was read for
    profile: Profile | None = None
    open: bool = True


_request_session: ContextVar[RequestRead | None] = ContextVar('portal_request_session', default=None)


def _profile_key() -> tuple[str, int | None]:
    return app.storage.user.get(PROFILE_KEY, 'private'), app.storage.user.get(ORGANISATION_KEY)


def _read_request(session_id: str | None,
                  profile_key: tuple[str, int | None] | None) -> tuple[SignedIn | None, Profile | None]:
    signed_in = load_session(session_id) if session_id else None
    return signed_in, _profile_for(*profile_key, signed_in) if profile_key else None


async def read_for_request(session_id: str | None, *, with_profile: bool = False) -> RequestRead:
    """The access middleware's one read for a request, in a worker thread: the session, and for a page (which draws
    the frame's header) the profile too."""
    profile_key = _profile_key() if with_profile else None
    if not session_id and profile_key is None:
        return RequestRead(None, None)
    read = await run.io_bound(_read_request, session_id, profile_key)
    signed_in, profile = read if read is not None else (None, None)
    if signed_in is not None:
        bind_log_context(user_id=signed_in.user.id)  # the worker thread's binding stays in that thread
    return RequestRead(session_id, signed_in, profile_key, profile)


@contextmanager
def for_request(read: RequestRead) -> Iterator[None]:
    """Keep the request's read for `current_session` and `current_profile` while the request is handled."""
    token = _request_session.set(read)
    try:
        yield
    finally:
        read.open = False
        _request_session.reset(token)


def _held_for_request() -> RequestRead | None:
    """The access middleware's read, when this is still its request and this browser has not signed in or out since."""
    held = _request_session.get()
    if held is not None and held.open and held.session_id == app.storage.user.get(SESSION_KEY):
        return held
    return None


def current_session() -> SignedIn | None:
    """The signed-in user of the current HTTP request: the access middleware's read, no query. Outside such a request
    (or after this browser signed in or out in it) the session is read again, on the calling thread."""
    held = _held_for_request()
    return held.signed_in if held is not None else load_session(app.storage.user.get(SESSION_KEY))


async def current_session_async() -> SignedIn | None:
    """For event handlers: the session read again (it may have ended since the page was drawn), off the loop."""
    return (await read_for_request(app.storage.user.get(SESSION_KEY))).signed_in


def current_session_id() -> str | None:
    """This browser's session id (no check that it still lives)."""
    return app.storage.user.get(SESSION_KEY)


def current() -> SignedIn | None:
    """The signed-in user of the current page or request (see `current_session`)."""
    return current_session()


def current_user() -> User | None:
    signed_in = current()
    return signed_in.user if signed_in else None


async def current_user_async() -> User | None:
    signed_in = await current_session_async()
    return signed_in.user if signed_in else None


def _touch_row(session_id: str) -> None:
    with session_scope() as db:
        row = db.get(UserSession, session_id)
        if row is not None and row.ended_at is None:
            row.last_seen_at = utcnow()
            db.add(row)


async def touch() -> None:
    """Note activity that does not load a page (typing in a long form), so the idle timeout does not strike."""
    session_id = app.storage.user.get(SESSION_KEY)
    if session_id:
        await run.io_bound(_touch_row, session_id)


def seconds_left_of(session_ids: Iterable[str]) -> dict[str, float]:
    """Seconds until each session ends for idleness (0 when it has ended or is unknown), in one read.

    Only reads: asking must not count as activity. Blocks on the database: call it in a worker thread."""
    wanted = set(session_ids)
    if not wanted:
        return {}
    with session_scope() as db:
        rows = db.exec(select(UserSession.id, UserSession.last_seen_at, UserSession.ended_at)
                       .where(col(UserSession.id).in_(wanted))).all()
    idle_limit = timedelta(minutes=get_settings().session_idle_minutes)
    now = utcnow()
    left = dict.fromkeys(wanted, 0.0)
    for session_id, last_seen_at, ended_at in rows:
        if ended_at is None:
            left[session_id] = max(0.0, (last_seen_at + idle_limit - now).total_seconds())
    return left


def _end_row(session_id: str) -> UserSession | None:
    with session_scope() as db:
        row = db.get(UserSession, session_id)
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
            db.add(row)
    return row


def end_session() -> UserSession | None:
    """End this browser's session on the server and forget it here; returns the ended row (for SAML logout).
    Blocks on the database: for sync routes (which FastAPI runs in a thread); async code uses `end_session_async`."""
    session_id = app.storage.user.pop(SESSION_KEY, None)
    if not session_id:
        return None
    row = _end_row(session_id)
    announce_ended([session_id])
    return row


async def end_session_async() -> UserSession | None:
    """`end_session` with the database work in a worker thread."""
    session_id = app.storage.user.pop(SESSION_KEY, None)
    if not session_id:
        return None
    row = await run.io_bound(_end_row, session_id)
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


def _profile_for(kind: str, organisation_id: int | None, signed_in: SignedIn | None) -> Profile:
    if kind == 'organisation':
        # Checked on every use, so a right withdrawn during the session stops working at once.
        from services.representation import represents

        if signed_in is not None and not represents(signed_in.user.id or 0, organisation_id):
            kind = 'private'
    with session_scope() as db:
        organisation = db.get(Organisation, organisation_id) if organisation_id else None
        region = db.get(Region, organisation.region_id) if organisation else None
        if region is None:
            region = db.exec(select(Region).where(Region.name == get_settings().default_region)).first()
    return Profile(kind=kind, organisation=organisation, region=region)


def current_profile() -> Profile:
    """The landing choice as it may be used: read by the access middleware for this page, else read here."""
    held = _held_for_request()
    key = _profile_key()
    if held is not None and held.profile is not None and held.profile_key == key:
        return held.profile
    return _profile_for(*key, current() if key[0] == 'organisation' else None)


async def current_profile_async() -> Profile:
    """`current_profile` with its reads in a worker thread (the session from the request, else read again)."""
    key = _profile_key()
    signed_in = None
    if key[0] == 'organisation':
        held = _held_for_request()
        signed_in = held.signed_in if held is not None else await current_session_async()
    profile = await run.io_bound(_profile_for, *key, signed_in)
    assert profile is not None  # None only while the app stops
    return profile


def choose_profile(kind: str, organisation_id: int | None) -> None:
    app.storage.user[PROFILE_KEY] = 'organisation' if kind == 'organisation' else 'private'
    if organisation_id is None:
        app.storage.user.pop(ORGANISATION_KEY, None)
    else:
        app.storage.user[ORGANISATION_KEY] = organisation_id
