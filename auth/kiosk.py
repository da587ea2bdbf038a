"""Kiosk mode (KIOSK_MODE=true), for shared screens in a service point: nothing of one person may stay for the next.

- Every page and the sign-out answer carry `Cache-Control: no-store`, so Back after sign-out cannot show a cached
  page: the browser asks again and the access middleware sends an anonymous visitor to sign in.
- The sign-out answer carries `Clear-Site-Data: "cache", "cookies", "storage"` (the browser drops the session
  cookie, local and session storage and its cache), and the server forgets this browser's `app.storage.user`
  after the session has been ended by the sign-out route itself, and drops the browser id from the cookie session.
"""
from __future__ import annotations

from nicegui import app
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from config import get_settings

SIGN_OUT_PATH = '/kirjaudu/ulos'
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class KioskMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if not get_settings().kiosk_mode:
            return response
        path = request.url.path
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
