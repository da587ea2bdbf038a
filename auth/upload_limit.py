"""Upload bodies are limited on the server: NiceGUI's `max_file_size` is checked only in the browser.

A pure ASGI middleware, so the body is refused before it is read: an upload to an element's URL
(`/_nicegui/client/<client>/upload/<element>`) needs a Content-Length no larger than one attachment plus room for
the multipart envelope; without one (chunked) or over it the answer is 413. Whether the file's content is
acceptable is checked afterwards by `services.attachments.check_upload`.
"""
from __future__ import annotations

import re

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from config import get_settings

UPLOAD_PATH = re.compile(r'^/_nicegui/client/[^/]+/upload/[^/]+/?$')
MULTIPART_ALLOWANCE = 64 * 1024  # headers and boundaries around the file


def upload_body_limit() -> int:
    return get_settings().attachment_max_file_mb * 1024 * 1024 + MULTIPART_ALLOWANCE


class UploadLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] == 'http' and scope.get('method') == 'POST' and UPLOAD_PATH.match(scope.get('path', '')):
            length = dict(scope.get('headers') or []).get(b'content-length', b'')
            if not length.isdigit() or int(length) > upload_body_limit():
                response = PlainTextResponse('Request body too large or without Content-Length', status_code=413)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
