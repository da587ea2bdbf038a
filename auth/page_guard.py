"""Open pages do not outlive their session.

A NiceGUI page stays open in the browser and keeps talking to the server over its websocket long after the HTTP
request that drew it; its event handlers were made while someone was signed in. So the page is tied to the session
it was drawn for (the access middleware notes that session on the request, `bind`), and every way in from such a
page is checked here, in one place, instead of in each handler:

- every socket event (clicks, typing, a value change that an autosave would store) goes through `_guarded_event`,
  which wraps NiceGUI's own Socket.IO handler: when the session has ended, the event is dropped;
- every upload to an element's URL is checked by the access middleware (`upload_allowed`): the session must be live
  and be the uploading browser's own;
- a page that reconnects is checked on connect.
A page whose session has ended is sent to the sign-in page, its timers stop and its disconnect handlers (the wizard's
autosave) are dropped. When a session ends in this process (sign-out in another tab, a password change, the idle
timeout, an admin closing the account), `auth.session` announces it and the pages drawn for it leave at once.

Another instance's sign-out is seen at the page's next event (the session row is the truth; a live answer is trusted
for `LIVE_CHECK_SECONDS`). With a cross-instance bus, publishing the ended ids and calling `retire_pages_of` on each
instance would make those pages leave at once too.
"""
from __future__ import annotations

import asyncio
import json
import re
import time
import weakref
from collections.abc import Callable
from urllib.parse import quote

from nicegui import Client, app, core, run, ui
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.requests import Request

from . import session

SESSION_STATE = 'portal_session_id'  # key in request.state: the session a page was drawn for
# A live answer from the database is trusted this long: events come many a second, and the check is a read (in a
# worker thread). Ends on this instance reach the cache at once; another instance's within this time.
LIVE_CHECK_SECONDS = 5.0
_UPLOAD_PATH = re.compile(r'^/_nicegui/client/(?P<client>[^/]+)/upload/')
# While the database is out of reach, an event cannot be checked, and cannot store anything either: it goes on to its
# handler, whose failure shows the "temporarily unavailable" notice (pages/unavailable.py).
_DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeoutError)
# The tab that signs out is itself still connected while its request to the sign-out route is under way: it must not
# be turned to the sign-in page (a SAML sign-out continues to the IdP). Each page notes when it starts to leave, and
# a key, a click or typing in it afterwards (a download also fires beforeunload) means it stayed.
_WATCH_LEAVING = ('if (!window.portalLeavingWatched) { window.portalLeavingWatched = true; '
                  'addEventListener("beforeunload", () => { window.portalLeaving = true; }); '
                  'for (const kind of ["pointerdown", "keydown", "input"]) '
                  'addEventListener(kind, () => { window.portalLeaving = false; }, true); }')
_live_until: dict[str, float] = {}
_retired: weakref.WeakSet[Client] = weakref.WeakSet()
_event_order: weakref.WeakKeyDictionary[Client, asyncio.Lock] = weakref.WeakKeyDictionary()


def bind(request: Request, session_id: str) -> None:
    """Note that this request (and the page it draws) belongs to `session_id`."""
    setattr(request.state, SESSION_STATE, session_id)


def bound_session_id(client: Client) -> str | None:
    request = client.request
    return getattr(request.state, SESSION_STATE, None) if request is not None else None


def _remember_live(session_id: str, now: float) -> None:
    if len(_live_until) > 10_000:  # forget stale answers now and then
        for key in [key for key, until in _live_until.items() if until <= now]:
            _live_until.pop(key, None)
    _live_until[session_id] = now + LIVE_CHECK_SECONDS


async def session_still_live(session_id: str) -> bool:
    """Whether the session lives: from the recent answer without waiting, else read in a worker thread."""
    if _live_until.get(session_id, 0.0) > time.monotonic():
        return True
    live = bool(await run.io_bound(session.is_live, session_id))
    if live:
        _remember_live(session_id, time.monotonic())
    return live


async def page_allowed(client: Client) -> bool:
    """A page drawn for nobody is public; one drawn for a session only while that session lives."""
    session_id = bound_session_id(client)
    return session_id is None or await session_still_live(session_id)


def send_to_sign_in(client: Client) -> None:
    """Send the page to sign in, and stop what it would still do on its own (timers, saving on disconnect)."""
    path = client.request.url.path if client.request is not None else '/'
    target = f'/kirjaudu?istunto=paattynyt&next={quote(path)}'
    client.run_javascript(f'if (!window.portalLeaving) window.location.assign({json.dumps(target)});')
    if client in _retired:
        return
    _retired.add(client)
    client.disconnect_handlers.clear()
    for element in list(client.elements.values()):
        if isinstance(element, ui.timer):
            element.cancel()


def is_retired(client: Client) -> bool:
    """Whether the page has been sent to sign in (its own timers must then stay quiet)."""
    return client in _retired


def retire_pages_of(session_ids: set[str]) -> None:
    """Send every open page of these (ended) sessions on this instance to sign in. Runs on the event loop."""
    for client in list(Client.instances.values()):
        if bound_session_id(client) in session_ids:
            send_to_sign_in(client)


def _sessions_ended(session_ids: set[str]) -> None:
    """Listener of `auth.session`: may be called from a worker thread, so the pages are reached via the loop."""
    for session_id in session_ids:
        _live_until.pop(session_id, None)
    loop = core.loop
    if loop is None or loop.is_closed():
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        retire_pages_of(session_ids)
    else:
        loop.call_soon_threadsafe(retire_pages_of, session_ids)


async def upload_allowed(path: str) -> bool:
    """For the access middleware: an upload to a page's element needs that page's session, live, in this browser."""
    match = _UPLOAD_PATH.match(path)
    client = Client.instances.get(match.group('client')) if match else None
    if client is None:
        return True  # not an upload, or no such page (NiceGUI answers 404)
    session_id = bound_session_id(client)
    if session_id is None:
        return True
    if app.storage.user.get(session.SESSION_KEY) == session_id and await session_still_live(session_id):
        return True
    send_to_sign_in(client)
    return False


def _guard(original: Callable) -> Callable:
    async def _guarded_event(sid: str, msg: dict) -> object:
        client = Client.instances.get(msg.get('client_id', '')) if isinstance(msg, dict) else None
        if client is None or bound_session_id(client) is None:
            return _dispatch(original, sid, msg)  # a public page: nothing to check, nothing to wait for
        # Socket.IO runs each event in its own task; a check that waits for the database must not let a later event
        # of the same page overtake it (typing, then Lähetä). The lock is fair (first come, first served) and is
        # taken without waiting when free, so the usual case (a recent answer in the cache) never yields.
        async with _event_order.setdefault(client, asyncio.Lock()):
            try:
                allowed = await page_allowed(client)
            except _DATABASE_DOWN:
                allowed = True
            if not allowed:
                send_to_sign_in(client)
                return None
            return _dispatch(original, sid, msg)

    return _guarded_event


def _dispatch(original: Callable, sid: str, msg: dict) -> object:
    """Hand an allowed event to NiceGUI, which runs the page's handler here: the browser suite's blocking-call check
    counts what happens inside this frame as the handler's, not the guard's (tests/browser/conftest.py)."""
    return original(sid, msg)


async def _check_on_connect(client: Client) -> None:
    if bound_session_id(client) is None:
        return
    if await page_allowed(client):
        client.run_javascript(_WATCH_LEAVING)
    else:
        send_to_sign_in(client)


def install() -> None:
    """Wrap NiceGUI's socket event handler, check reconnecting pages, and listen for ended sessions."""
    handlers = core.sio.handlers['/']
    handlers['event'] = _guard(handlers['event'])
    app.on_connect(_check_on_connect)
    session.on_sessions_ended(_sessions_ended)
