"""/liitteet/<id>: downloading an attachment, for the owner of its request or the centre's staff only.

A missing attachment and someone else's give the same 404, so ids cannot be probed.
"""
from __future__ import annotations

from fastapi import Response
from fastapi.responses import HTMLResponse
from nicegui import app

from auth import session
from locales import t
from models import Attachment
from models.db import session_scope
from services.attachments import load_for_download
from services.text_hygiene import content_disposition


def _not_found() -> HTMLResponse:
    text = t('Liitettä ei löytynyt.')
    return HTMLResponse(f'<!doctype html><html lang="fi"><title>{text}</title><p>{text}</p></html>',
                        status_code=404)


def download_attachment(attachment_id: str) -> Response:
    # Taken as text so that a malformed id gets the same 404 as any other, not a validation error.
    user = session.current_user()
    if user is None or not attachment_id.isdigit() or len(attachment_id) > 18:
        return _not_found()
    with session_scope() as db:
        found = load_for_download(db, user, int(attachment_id))
    if found is None:
        return _not_found()
    return file_response(*found)


def file_response(attachment: Attachment, data: bytes) -> Response:
    """The file as a download (also used by the integration API)."""
    return Response(data, media_type=attachment.content_type, headers={
        # An ASCII fallback name plus the exact UTF-8 name, safe whatever characters a stored name holds.
        'Content-Disposition': content_disposition(attachment.filename),
        'X-Content-Type-Options': 'nosniff',  # never let the browser run an upload as something else
        'Cache-Control': 'private, no-store',
    })


def register() -> None:
    app.get('/liitteet/{attachment_id}')(download_attachment)
