"""Kiosk mode (KIOSK_MODE=true), for shared screens in a service point: nothing of one person may stay for the next.

- Every page and the sign-out answer carry `Cache-Control: no-store`, so Back after sign-out cannot show a cached
  page: the browser asks again and the access middleware sends an anonymous visitor to sign in.
- The sign-out answer carries `Clear-Site-Data: "cache", "cookies", "storage"` (the browser drops the session
  cookie, local and session storage and its cache), and the server forgets this browser's `app.storage.user`
  after the session has been ended by the sign-out route itself, and drops the browser id from the cookie session.
- The server ends a session idle for longer than KIOSK_IDLE_SECONDS (plus the minute by which `last_seen_at` may
  lag) at the next request, so a tab closed without signing out does not leave the next person signed in even
  when the browser's own countdown never ran to the end.
"""
from __future__ import annotations

from datetime import timedelta

from nicegui import app, run
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from config import get_settings
from models import UserSession, utcnow
from models.db import session_scope

from .session import SESSION_KEY, announce_ended

SIGN_OUT_PATH = '/kirjaudu/ulos'
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
# `auth.session` writes last_seen_at at most once a minute (and page activity is reported once a minute).
_LAST_SEEN_LAG = timedelta(seconds=60)


def end_if_idle(session_id: str, idle_seconds: int) -> bool:
    """End the session when it has been idle too long for a kiosk; True when it was ended. Runs in a worker thread."""
    with session_scope() as db:
        row = db.get(UserSession, session_id)
        if row is None or row.ended_at is not None:
            return False
        if utcnow() - row.last_seen_at <= timedelta(seconds=idle_seconds) + _LAST_SEEN_LAG:
            return False
        row.ended_at = utcnow()
        db.add(row)
    announce_ended([session_id])
    return True


class KioskMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        settings = get_settings()
        path = request.url.path
        session_id = app.storage.user.get(SESSION_KEY) if settings.kiosk_mode else None
        if session_id and not path.startswith('/_nicegui'):
            # Before the access check, which then sees no session; off the loop, and awaited, so in order.
            await run.io_bound(end_if_idle, session_id, settings.kiosk_idle_seconds)
        response = await call_next(request)
        if not settings.kiosk_mode:
            return response
        if path == SIGN_OUT_PATH:
            # After the route: it needs the session id in app.storage.user to end the session on the server.
            app.storage.user.clear()
            # An empty session makes the session middleware delete the cookie instead of sending the same browser
            # id again (a Set-Cookie in this very answer would survive Clear-Site-Data); the next person gets a new id.
            request.session.clear()
            response.headers['Clear-Site-Data'] = CLEAR_SITE_DATA
        if path == SIGN_OUT_PATH or response.headers.get('content-type', '').startswith('text/html'):
            response.headers['Cache-Control'] = 'no-store'
        return response
