"""Live updates: a small publish/subscribe bus that tells open pages something changed, on every instance.

A service publishes an event to a topic (`user_topic(id)`, `request_topic(number)`, `QUEUE_TOPIC`) when its
transaction commits; a page subscribes the topics it shows and redraws the affected part. Events carry ids only,
never personal data: a subscriber reads what it may see through the services, with its own user's rights.

Delivery, in order of preference:
- Redis pub/sub when `NICEGUI_REDIS_URL` is set (the scale-out setup has it): one channel per installation, one
  listener per instance that hands each event to that instance's subscribers;
- PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL and there is no Redis;
- in process otherwise (one instance on SQLite).

Nothing polls: a page costs one dictionary entry per topic until an event for it comes.

API for other modules: `publish(topic, kind, **data)` (thread-safe, any time), `publish_after_commit(db, topic,
kind, **data)` (sent only if `db` commits), `subscribe(topic, callback) -> unsubscribe`, where `callback(event)` may
be sync or async and runs on the event loop.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

QUEUE_TOPIC = 'queue'  # any change the handlers' queue shows
_PENDING_KEY = 'live_pending'
_RECONNECT_SECONDS = (0.5, 1, 2, 5)


def user_topic(user_id: int) -> str:
    return f'user:{user_id}'


def request_topic(number: int) -> str:
    return f'request:{number}'


@dataclass(frozen=True)
class LiveEvent:
    topic: str
    kind: str  # e.g. 'message', 'reply', 'changed', 'signed_out'
    data: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({'topic': self.topic, 'kind': self.kind, 'data': self.data})

    @staticmethod
    def from_json(text: str | bytes) -> LiveEvent:
        raw = json.loads(text)
        return LiveEvent(topic=str(raw['topic']), kind=str(raw['kind']), data=dict(raw.get('data') or {}))


Callback = Callable[[LiveEvent], Awaitable[None] | None]


class _Bus:
    def __init__(self) -> None:
        self.subscribers: dict[str, set[Callback]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.transport: _Transport | None = None

    # --- subscribing ----------------------------------------------------------------------------------------------
    def subscribe(self, topic: str, callback: Callback) -> Callable[[], None]:
        self.subscribers.setdefault(topic, set()).add(callback)

        def unsubscribe() -> None:
            callbacks = self.subscribers.get(topic)
            if callbacks is not None:
                callbacks.discard(callback)
                if not callbacks:
                    del self.subscribers[topic]
        return unsubscribe

    def deliver(self, event: LiveEvent) -> None:
        """Hand an event to this instance's subscribers (on the event loop)."""
        for callback in list(self.subscribers.get(event.topic, ())):
            try:
                result = callback(event)
                if asyncio.iscoroutine(result):
                    task = asyncio.ensure_future(result)
                    task.add_done_callback(_log_failure)
            except Exception:  # one broken page must not stop the others
                log.exception('live update subscriber failed')

    # --- publishing -----------------------------------------------------------------------------------------------
    def publish(self, event: LiveEvent) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return  # no event loop (a command-line tool, a unit test): nobody is listening here
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._send(event)
        else:  # from a worker thread (run.io_bound)
            loop.call_soon_threadsafe(self._send, event)

    def _send(self, event: LiveEvent) -> None:
        if self.transport is None:
            self.deliver(event)
        else:
            self.transport.send(event)


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error('live update subscriber failed', exc_info=task.exception())


_bus = _Bus()


def subscribe(topic: str, callback: Callback) -> Callable[[], None]:
    """Call `callback(event)` for every event on `topic` on this instance; returns the function that unsubscribes."""
    return _bus.subscribe(topic, callback)


def publish(topic: str, kind: str, **data: object) -> None:
    """Tell every instance's subscribers of `topic` that `kind` happened. Thread-safe; never blocks on the network."""
    _bus.publish(LiveEvent(topic, kind, dict(data)))


def publish_after_commit(db: Session, topic: str, kind: str, **data: object) -> None:
    """Publish when `db` commits (a subscriber then reads the new state); nothing is sent if it rolls back."""
    db.info.setdefault(_PENDING_KEY, []).append(LiveEvent(topic, kind, dict(data)))


@sa_event.listens_for(Session, 'after_commit')
def _send_pending(db: Session) -> None:
    for pending in db.info.pop(_PENDING_KEY, []):
        _bus.publish(pending)


@sa_event.listens_for(Session, 'after_rollback')
def _drop_pending(db: Session) -> None:
    db.info.pop(_PENDING_KEY, None)


# --- transports between instances ------------------------------------------------------------------------------------

class _Transport:
    """Sends events to every instance (this one included) and hands received ones to `_bus.deliver`."""

    def __init__(self) -> None:
        self.task: asyncio.Task | None = None
        self.ready = asyncio.Event()

    def send(self, event: LiveEvent) -> None:
        asyncio.ensure_future(self._send(event)).add_done_callback(_log_failure)

    async def _send(self, event: LiveEvent) -> None:
        raise NotImplementedError

    async def listen(self) -> None:
        raise NotImplementedError

    async def run(self) -> None:
        """Listen for ever, reconnecting after a failure (events published meanwhile are lost: pages redraw on
        their next own action anyway)."""
        attempt = 0
        while True:
            try:
                await self.listen()
                attempt = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the connection broke: wait a moment and listen again
                self.ready.clear()
                log.warning('live updates: listener lost its connection (%s); reconnecting', error)
                await asyncio.sleep(_RECONNECT_SECONDS[min(attempt, len(_RECONNECT_SECONDS) - 1)])
                attempt += 1

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task


class _RedisTransport(_Transport):
    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        import redis.asyncio as redis

        self.channel = channel
        self.redis = redis.from_url(url)

    async def _send(self, event: LiveEvent) -> None:
        await self.redis.publish(self.channel, event.to_json())

    async def listen(self) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.channel)
            self.ready.set()
            async for message in pubsub.listen():
                if message.get('type') == 'message':
                    _deliver_raw(message['data'])
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def close(self) -> None:
        await super().close()
        with contextlib.suppress(Exception):
            await self.redis.aclose()


class _PostgresTransport(_Transport):
    """LISTEN/NOTIFY on a connection of its own (psycopg's async connection; payloads stay far under 8000 bytes)."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        self.sender: psycopg.AsyncConnection | None = None  # one connection kept for sending, opened again if it breaks
        self.send_lock = asyncio.Lock()

    async def _send(self, event: LiveEvent) -> None:
        import psycopg

        async with self.send_lock:
            for attempt in (1, 2):
                try:
                    if self.sender is None or self.sender.closed:
                        self.sender = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
                    await self.sender.execute('SELECT pg_notify(%s, %s)', (self.channel, event.to_json()))
                    return
                except psycopg.OperationalError:
                    self.sender = None
                    if attempt == 2:
                        raise

    async def close(self) -> None:
        await super().close()
        if self.sender is not None:
            with contextlib.suppress(Exception):
                await self.sender.close()

    async def listen(self) -> None:
        import psycopg
        from psycopg import sql

        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as connection:
            await connection.execute(sql.SQL('LISTEN {}').format(sql.Identifier(self.channel)))
            self.ready.set()
            async for notification in connection.notifies():
                _deliver_raw(notification.payload)


def _deliver_raw(payload: str | bytes) -> None:
    try:
        event = LiveEvent.from_json(payload)
    except (ValueError, KeyError, TypeError):
        log.warning('live updates: ignored a malformed event')
        return
    _bus.deliver(event)


def _libpq_url(database_url: str) -> str | None:
    """'postgresql+psycopg://…' → 'postgresql://…' for psycopg; None for other databases."""
    scheme, _, rest = database_url.partition('://')
    return f'postgresql://{rest}' if scheme.split('+')[0] in ('postgresql', 'postgres') else None


async def start(database_url: str) -> None:
    """Start the bus on this instance's event loop (NiceGUI start-up)."""
    _bus.loop = asyncio.get_running_loop()
    redis_url = os.environ.get('NICEGUI_REDIS_URL', '').strip()
    prefix = os.environ.get('NICEGUI_REDIS_KEY_PREFIX', 'nicegui:')
    postgres_url = _libpq_url(database_url)
    if redis_url:
        _bus.transport = _RedisTransport(redis_url, f'{prefix}live')
    elif postgres_url:
        _bus.transport = _PostgresTransport(postgres_url, 'portal_live')
    else:
        return
    _bus.transport.task = asyncio.create_task(_bus.transport.run(), name='live updates listener')
    try:
        await asyncio.wait_for(_bus.transport.ready.wait(), timeout=5)
    except TimeoutError:
        log.warning('live updates: listener not ready yet; it keeps trying')


async def stop() -> None:
    if _bus.transport is not None:
        await _bus.transport.close()
        _bus.transport = None
    _bus.loop = None


def transport_name() -> str:
    return type(_bus.transport).__name__.strip('_').removesuffix('Transport').lower() if _bus.transport \
        else 'in-process'
