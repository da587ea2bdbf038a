"""The page guard checks every event of a signed-in page against its session, in a worker thread; a check that has
to wait for the database must not let a later event of the same page overtake the earlier one."""
from __future__ import annotations

import asyncio
import threading

import pytest
from nicegui import Client

from bench.harness import wait_until_async


class FakeClient:
    id = 'page-1'


async def test_events_keep_their_order_while_the_session_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from auth import page_guard

    checks: list[str] = []
    release = threading.Event()

    def is_live(session_id: str) -> bool:  # the first check waits for the database, later ones do not
        checks.append(session_id)
        if len(checks) == 1:
            release.wait(10)
        return True

    client = FakeClient()
    monkeypatch.setattr(page_guard.session, 'is_live', is_live)
    monkeypatch.setattr(page_guard, 'bound_session_id', lambda _client: 'session-1')
    monkeypatch.setitem(Client.instances, client.id, client)
    page_guard._live_until.clear()
    handled: list[int] = []
    guarded = page_guard._guard(lambda _sid, msg: handled.append(msg['n']))

    first = asyncio.create_task(guarded('sid', {'client_id': client.id, 'n': 1}))
    await wait_until_async(lambda: checks, 'the first check to start')
    second = asyncio.create_task(guarded('sid', {'client_id': client.id, 'n': 2}))
    await asyncio.sleep(0)  # let the second event run as far as it may
    assert handled == []
    release.set()
    await asyncio.gather(first, second)
    assert handled == [1, 2]
    assert checks == ['session-1']  # the second event used the first one's fresh answer


async def test_an_event_of_an_ended_session_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from auth import page_guard

    client = FakeClient()
    sent_away: list[object] = []
    monkeypatch.setattr(page_guard.session, 'is_live', lambda _session_id: False)
    monkeypatch.setattr(page_guard, 'bound_session_id', lambda _client: 'session-2')
    monkeypatch.setattr(page_guard, 'send_to_sign_in', sent_away.append)
    monkeypatch.setitem(Client.instances, client.id, client)
    page_guard._live_until.clear()
    handled: list[int] = []
    guarded = page_guard._guard(lambda _sid, msg: handled.append(msg['n']))
    await guarded('sid', {'client_id': client.id, 'n': 1})
    assert handled == [] and sent_away == [client]
