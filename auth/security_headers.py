"""Response headers and origins that NiceGUI and Starlette leave open by default.

- Every HTTP response gets a Content-Security-Policy, `X-Frame-Options: DENY`, `Referrer-Policy: same-origin`,
  `X-Content-Type-Options: nosniff` and, behind https, `Strict-Transport-Security`.
- The CSP allows scripts from this origin and inline ones only with the response's nonce: the middleware writes a
  fresh nonce into every `<script` tag of an HTML page (NiceGUI's template, our own head scripts). Data never appears
  as a raw tag in NiceGUI's HTML (its elements are HTML-escaped inside one script), so only the page's own tags get
  it. `'unsafe-eval'` stays: Vue compiles slot templates and NiceGUI evaluates `:prop` values with `new Function`,
  which is why no props string may carry data (tests/security/test_props_strings.py). Styles may be inline (Quasar
  and Tailwind's runtime write them).
- NiceGUI's Socket.IO server accepts every origin and answers it with credentials; `restrict_socket_origin` limits
  it to BASE_URL's origin, so another site's page cannot drive a signed-in person's socket.
"""
from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from nicegui import core
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings, get_settings

_SCRIPT_TAG = re.compile(rb'<script(?=[\s>])')


def base_origin(settings: Settings) -> str:
    parts = urlsplit(settings.base_url)
    return f'{parts.scheme}://{parts.netloc}'


def content_security_policy(settings: Settings, nonce: str) -> str:
    socket_origin = base_origin(settings).replace('https://', 'wss://').replace('http://', 'ws://')
    return '; '.join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        f"connect-src 'self' {socket_origin}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def security_headers(settings: Settings, nonce: str) -> dict[str, str]:
    headers = {
        'Content-Security-Policy': content_security_policy(settings, nonce),
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'same-origin',
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    }
    if settings.secure_cookies:  # BASE_URL is https
        headers['Strict-Transport-Security'] = 'max-age=31536000'
    return headers


class SecurityHeadersMiddleware:
    """Outermost ASGI middleware: adds the headers to every response and the nonce to an HTML page's scripts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        start: Message | None = None
        body = bytearray()

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(get_settings(), nonce).items():
                    headers[name] = value
                if not headers.get('content-type', '').startswith('text/html') or scope['method'] == 'HEAD' \
                        or 'content-encoding' in headers:
                    await send(message)
                    return
                start = message  # an HTML page: hold the start until the whole body is there
                return
            if start is None or message['type'] != 'http.response.body':
                await send(message)
                return
            body.extend(message.get('body', b''))
            if message.get('more_body', False):
                return
            page = _SCRIPT_TAG.sub(b'<script nonce="' + nonce.encode() + b'"', bytes(body))
            headers = MutableHeaders(scope=start)
            if 'content-length' in headers:
                headers['content-length'] = str(len(page))
            await send(start)
            await send({'type': 'http.response.body', 'body': page, 'more_body': False})

        await self.app(scope, receive, send_with_headers)


def restrict_socket_origin(settings: Settings) -> None:
    """Only pages served from BASE_URL may open NiceGUI's socket (engineio reads this setting per request)."""
    core.sio.eio.cors_allowed_origins = [base_origin(settings)]
