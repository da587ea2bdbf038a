"""What people see while the database is out of reach: a friendly "temporarily unavailable" instead of a trace.

Three places a database error can surface, one answer for each:
- in the access middleware or a route before any page exists: an ASGI middleware outside everything answers 503
  with a short page in Finnish, Swedish and English (the user's language is in storage we may not reach);
- while a page is being built: an exception handler for the same errors gives that page;
- in an event on a page that is already open (Jatka, Tallenna …): a notification says nothing typed is lost — the
  fields keep their values in the browser, and pressing the button again once the database is back saves them.
`/health` answers 503 meanwhile (pages/health.py), so a load balancer can take the instance out.
"""
from __future__ import annotations

import contextlib
import html
import logging

from fastapi import Request
from fastapi.responses import HTMLResponse
from nicegui import app, ui
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from locales import LANGUAGES, N_, t

log = logging.getLogger(__name__)
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeoutError)
TITLE = N_('Palvelu on tilapäisesti poissa käytöstä')
TEXT = N_('Emme saa juuri nyt yhteyttä tietokantaan. Mitään kirjoittamaasi ei ole menetetty: yritä hetken '
          'kuluttua uudelleen.')


def is_database_down(error: BaseException) -> bool:
    return isinstance(error, DATABASE_DOWN)


def unavailable_page() -> HTMLResponse:
    sections = ''.join(f'<section lang="{lang}"><h{1 if lang == "fi" else 2}>{html.escape(t(TITLE, lang))}'
                       f'</h{1 if lang == "fi" else 2}><p>{html.escape(t(TEXT, lang))}</p></section>'
                       for lang in LANGUAGES)
    body = (f'<!doctype html><html lang="fi"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{html.escape(t(TITLE, "fi"))}</title>'
            '<style>body{font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}'
            'section+section{border-top:1px solid #ccc;margin-top:1.5rem}</style></head>'
            f'<body><main>{sections}</main></body></html>')
    return HTMLResponse(body, status_code=503, headers={'Retry-After': '10', 'Cache-Control': 'no-store'})


class DatabaseUnavailableMiddleware:
    """Outermost ASGI middleware: a database error that escapes the app becomes the 503 page (websockets pass)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message['type'] == 'http.response.start'
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except DATABASE_DOWN as error:
            log.warning('database unavailable on %s: %s', scope.get('path'), error.__class__.__name__)
            if started:
                raise
            await unavailable_page()(scope, receive, send)


async def _page_error(_request: Request, error: Exception) -> HTMLResponse:
    log.warning('database unavailable while building a page: %s', error.__class__.__name__)
    return unavailable_page()


def _event_error(error: Exception) -> None:
    if not is_database_down(error):
        return
    with contextlib.suppress(RuntimeError):  # not inside a page (a background task): the log has it
        ui.notify(f'{t(TITLE)}. {t(TEXT)}', type='warning', multi_line=True, timeout=10_000, close_button=t('Sulje'))


def register() -> None:
    app.add_middleware(DatabaseUnavailableMiddleware)  # added after the access middleware, so it wraps it
    for error_class in DATABASE_DOWN:
        app.add_exception_handler(error_class, _page_error)
    app.on_exception(_event_error)
