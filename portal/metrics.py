"""Prometheus metrics: requests by route and status, page render time, event-loop lag, connected clients, the email
outbox, sign-ins and refusals.

Served at `/metrics` on the portal's own port when `METRICS_TOKEN` is set (send `Authorization: Bearer <token>`), and
on a port of its own on 127.0.0.1 when `METRICS_PORT` is set; neither means no endpoint at all (the counters still
count, at no cost worth measuring).

Labels are route templates (`/palvelupyynto/{number}`), never raw paths, so request numbers do not multiply the series,
and no label ever holds a person's identity number, name or id.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings

from . import logs

log = logging.getLogger(__name__)

REQUESTS = Counter('portal_http_requests_total', 'HTTP requests by route template, method and status',
                   ['route', 'method', 'status'])
REQUEST_SECONDS = Histogram('portal_http_request_duration_seconds', 'Time to answer an HTTP request', ['route'])
PAGE_RENDER_SECONDS = Histogram('portal_page_render_seconds', 'Time to build and send a page (HTML answers)',
                                ['route'], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
LOOP_LAG_SECONDS = Gauge('portal_event_loop_lag_seconds', 'How late the last event-loop probe woke up')
LOOP_LAG_HISTOGRAM = Histogram('portal_event_loop_lag_histogram_seconds', 'Event-loop lag per probe',
                               buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
CONNECTED_CLIENTS = Gauge('portal_connected_clients', 'Browser tabs connected over the websocket')
PAGE_CLIENTS = Gauge('portal_page_clients', 'Pages held in memory (connected or waiting for their socket)')
SIGN_INS = Counter('portal_sign_ins_total', 'Successful sign-ins by method', ['method'])
SIGN_IN_REFUSALS = Counter('portal_sign_in_refusals_total', 'Refused sign-ins by method and reason',
                           ['method', 'reason'])

UNMATCHED_ROUTE = '(unmatched)'
LAG_PROBE_INTERVAL = 0.5


def count_sign_in(method: str) -> None:
    SIGN_INS.labels(method).inc()


def count_refusal(method: str, reason: str) -> None:
    SIGN_IN_REFUSALS.labels(method, reason).inc()


def _clients() -> tuple[int, int]:
    from nicegui import Client

    clients = list(Client.instances.values())
    return sum(1 for client in clients if client.has_socket_connection), len(clients)


CONNECTED_CLIENTS.set_function(lambda: _clients()[0])
PAGE_CLIENTS.set_function(lambda: _clients()[1])


class OutboxCollector(Collector):
    """Emails by state, read from the database at each scrape (the outbox is shared by every instance)."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        from sqlmodel import func, select

        from models import OutboxEmail
        from models.db import session_scope
        from models.outbox import EmailStatus

        family = GaugeMetricFamily('portal_outbox_emails', 'Emails in the outbox by state (pending and sending: '
                                   'the queue; failed: given up, see SÄHKÖPOSTIT)', labels=['status'])
        try:
            with session_scope() as db:
                counts = dict(db.exec(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)).all())
                retrying = db.exec(select(func.count()).select_from(OutboxEmail).where(
                    OutboxEmail.status == EmailStatus.PENDING, OutboxEmail.attempts > 0)).one()
        except Exception:  # a scrape must answer even while the database is away
            log.warning('outbox metrics: database unavailable')
            return
        for status in EmailStatus:
            family.add_metric([status.value], counts.get(status, 0))
        yield family
        failing = GaugeMetricFamily('portal_outbox_retrying_emails', 'Queued emails that failed at least once and '
                                    'wait for another try')
        failing.add_metric([], retrying)
        yield failing


def _match_route(scope: Scope) -> tuple[str, dict]:
    """The template and path parameters of the route this request is for, found before the access middleware may
    answer it first (a sign-in redirect) — so that, too, is counted under its template."""
    if scope.get('path', '').startswith('/_nicegui/'):
        return '/_nicegui/*', {}  # NiceGUI's static files, uploads and socket, mounted without a route template
    from nicegui import app

    for route in app.router.routes:
        if isinstance(route, Route):
            match, child = route.matches(scope)
            if match == Match.FULL:
                return route.path, child.get('path_params', {})
    return UNMATCHED_ROUTE, {}


class MetricsMiddleware:
    """Times and counts every HTTP request by its route template, numbers each one for the logs, and answers
    `/metrics` itself (before the access middleware, which would send the scraper to the sign-in page)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        if scope['path'] == '/metrics' and self.token:
            await self._serve_metrics(scope, send)
            return
        logs.bind_http_request(logs.new_http_request_id())
        route, path_params = _match_route(scope)
        if str(path_params.get('number', '')).isdigit():  # a service request's page: its lines carry its number
            logs.bind(request_number=int(path_params['number']))
        started = time.perf_counter()
        status, is_html = 500, False

        async def observe(message: Message) -> None:
            nonlocal status, is_html
            if message['type'] == 'http.response.start':
                status = message['status']
                is_html = any(name == b'content-type' and value.startswith(b'text/html')
                              for name, value in message.get('headers', []))
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            elapsed = time.perf_counter() - started
            REQUESTS.labels(route, scope['method'], str(status)).inc()
            REQUEST_SECONDS.labels(route).observe(elapsed)
            if is_html and scope['method'] == 'GET' and status == 200:
                PAGE_RENDER_SECONDS.labels(route).observe(elapsed)

    async def _serve_metrics(self, scope: Scope, send: Send) -> None:
        headers = dict(scope.get('headers', []))
        offered = headers.get(b'authorization', b'').decode('latin-1')
        if not hmac.compare_digest(offered.encode(), f'Bearer {self.token}'.encode()):
            await _answer(send, 401, b'Unauthorized\n', b'text/plain', [(b'www-authenticate', b'Bearer')])
            return
        body = await asyncio.to_thread(generate_latest, REGISTRY)  # the outbox query must not block the loop
        await _answer(send, 200, body, CONTENT_TYPE_LATEST.encode())


async def _answer(send: Send, status: int, body: bytes, content_type: bytes,
                  extra_headers: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b'content-type', content_type), (b'content-length', str(len(body)).encode()),
               (b'cache-control', b'no-store'), *(extra_headers or [])]
    await send({'type': 'http.response.start', 'status': status, 'headers': headers})
    await send({'type': 'http.response.body', 'body': body})


async def _probe_event_loop_lag() -> None:
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(LAG_PROBE_INTERVAL)
        lag = max(0.0, loop.time() - started - LAG_PROBE_INTERVAL)
        LOOP_LAG_SECONDS.set(lag)
        LOOP_LAG_HISTOGRAM.observe(lag)


_lag_task: asyncio.Task | None = None
_outbox_collector: OutboxCollector | None = None


async def _start_lag_probe() -> None:
    global _lag_task
    _lag_task = asyncio.create_task(_probe_event_loop_lag(), name='event-loop lag probe')


async def _stop_lag_probe() -> None:
    if _lag_task is not None:
        _lag_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await _lag_task


def install_metrics(settings: Settings) -> None:
    """Wire the metrics into the NiceGUI app: the middleware, the lag probe and, if asked, the separate port."""
    from nicegui import app
    from prometheus_client import start_http_server

    global _outbox_collector
    if _outbox_collector is None:
        _outbox_collector = OutboxCollector()
        REGISTRY.register(_outbox_collector)
    app.add_middleware(MetricsMiddleware, token=settings.metrics_token)
    app.on_startup(_start_lag_probe)
    app.on_shutdown(_stop_lag_probe)
    if settings.metrics_port:
        app.on_startup(lambda: start_http_server(settings.metrics_port, addr='127.0.0.1'))
