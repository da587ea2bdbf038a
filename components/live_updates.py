"""A page's subscription to live updates (`services.live`): redraw a part of the page when an event comes.

The subscription lives as long as the browser tab's client: it ends when the client is deleted (tab closed,
navigated away, reconnect timed out) or when the page's session has ended (signed out elsewhere, timed out): every
event re-checks the session before anything is drawn. The callback runs in the client's context, so it may change
elements; database reads belong in `run.io_bound`, as in any handler.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from nicegui import app, run, ui

from auth.session import SESSION_KEY, load_session
from services import live


def follow(topics: Iterable[str], on_event: Callable[[live.LiveEvent], Awaitable[None] | None]) -> None:
    """Call `on_event(event)` in this page's context for every event on `topics` while the page is open.

    Events that arrive while one redraw runs are folded into one more redraw afterwards, so a burst of messages does
    not start a redraw per message.
    """
    client = ui.context.client
    session_id = app.storage.user.get(SESSION_KEY)
    running = False
    again: live.LiveEvent | None = None

    async def handle(event: live.LiveEvent) -> None:
        nonlocal running, again
        if client.id not in client.instances:  # deleted meanwhile
            return
        if running:
            again = event
            return
        running = True
        try:
            if await run.io_bound(load_session, session_id) is None:
                stop()  # the session ended: this page shows nothing new any more
                return
            pending: live.LiveEvent | None = event
            while pending is not None:
                with client:
                    result = on_event(pending)
                    if asyncio.iscoroutine(result):
                        await result
                pending, again = again, None
        finally:
            running = False

    unsubscribes = [live.subscribe(topic, handle) for topic in topics]

    def stop() -> None:
        for unsubscribe in unsubscribes:
            unsubscribe()

    client.on_delete(stop)
