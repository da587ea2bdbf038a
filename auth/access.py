"""Who may open which path: decided here, in one middleware, not on each page."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from models import UserRole

from . import page_guard
from .session import SESSION_KEY, SignedIn, for_request, read_for_request

# Paths anyone may open. Everything else needs a signed-in user; staff paths need the staff role.
PUBLIC_PREFIXES = ('/_nicegui', '/static/', '/saml/', '/test-idp/', '/kirjaudu', '/health',
                   '/saavutettavuusseloste', '/favicon',
                   '/api/')  # the integration API checks its own per-system keys (pages/integration_api.py)
STAFF_PREFIX = '/kasittely'
STAFF_SIGN_IN = '/kasittely/kirjaudu'  # the centre's own sign-in (pages/staff_sign_in.py)
PUBLIC_PATHS = {'/', STAFF_SIGN_IN}
REGISTRATION_PATH = '/rekisteroidy'


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class AccessMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if path.startswith('/_nicegui'):
            if not await page_guard.upload_allowed(path):  # a page's upload needs that page's session, still live
                return Response('403', status_code=403)
            return await call_next(request)
        # The one read of the session for this request, in a worker thread; the page and frame reuse it.
        # A page navigation also gets the profile its frame shows, in the same thread hop.
        wants_page = request.method == 'GET' and 'text/html' in request.headers.get('accept', '')
        read = await read_for_request(app.storage.user.get(SESSION_KEY), with_profile=wants_page)
        with for_request(read):
            return await self._decide(request, call_next, path, read.signed_in)

    @staticmethod
    async def _decide(request: Request, call_next: RequestResponseEndpoint, path: str,
                      signed_in: SignedIn | None) -> Response:
        if signed_in is not None:
            page_guard.bind(request, signed_in.session.id)  # a page drawn now lives only as long as this session
        if is_public(path):
            return await call_next(request)
        if signed_in is None:
            sign_in = STAFF_SIGN_IN if path.startswith(STAFF_PREFIX) else '/kirjaudu'
            return RedirectResponse(f'{sign_in}?next={quote(path)}', status_code=303)
        user = signed_in.user
        if path.startswith(STAFF_PREFIX):
            if user.role not in (UserRole.HANDLER, UserRole.ADMIN):
                return Response('403', status_code=403) if path.startswith('/kasittely/api') else \
                    RedirectResponse('/paasivu?kielletty=1', status_code=303)
        elif user.registered_at is None and path != REGISTRATION_PATH:
            return RedirectResponse(REGISTRATION_PATH, status_code=303)
        return await call_next(request)
