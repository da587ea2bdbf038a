"""Forged socket events and forged log lines (issue 12, finding 10).

A signed-in citizen's own browser is the attacker: it sends the tables' `request` and `delete` events with arguments no
page would send (a page number that is text or astronomically large, a sort column that is an object, a draft number
of a sent request). Nothing may raise on the server, nothing be deleted, and the page must go on answering. Values
that reach the log (here a path with an encoded newline) cannot start a line of their own.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import httpx

from bench.support import Tab, sign_in
from tests.support.server import PROJECT_DIR, PortalServer

FORGED_PAGINATIONS = [
    'abc', None, [1, 2], {'pagination': 'x'},
    {'pagination': {'page': 'abc', 'rowsPerPage': 'kaikki', 'sortBy': {'$ne': 1}, 'descending': 'yes'}},
    {'pagination': {'page': 10 ** 30, 'rowsPerPage': -5, 'sortBy': 'owner_id; DROP TABLE user'}},
    {'pagination': {'page': 1.5, 'rowsPerPage': True}},
]
SENT_REQUEST = 978373
DRAFT = 5474


async def _until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'the page stopped answering'
        await asyncio.sleep(0.05)


def _listeners(tab: Tab, event_type: str) -> list[tuple[int, str]]:
    return [(element_id, listener['listener_id']) for element_id, element in tab.elements.items()
            for listener in element.get('events', []) if listener['type'] == event_type]


async def test_forged_table_events_raise_nothing_and_delete_nothing(attacker: httpx.AsyncClient,
                                                                    portal: PortalServer) -> None:
    await sign_in(attacker, 'onni.korhonen')
    tab = await (await Tab(attacker, '/oma-asiointi').load()).connect()
    try:
        tables = _listeners(tab, 'request')
        assert len(tables) == 3  # Luonnokset, Lähetetyt, Valmiit
        for element_id, listener_id in tables:
            for args in FORGED_PAGINATIONS:
                await tab._emit(element_id, listener_id, [args])
        [(drafts, delete_listener)] = _listeners(tab, 'delete')
        for delete_args in ({'number': 'abc', 'title': 'x'}, {'number': SENT_REQUEST, 'title': 'Sent'}, 'abc', None):
            await tab._emit(drafts, delete_listener, [delete_args])
        # A proper request afterwards is still answered with fresh rows: the forged ones were handled, not fatal.
        seen = len(tab.received)
        element_id, listener_id = tables[0]
        await tab._emit(element_id, listener_id, [{'pagination': {'page': 1, 'rowsPerPage': 10, 'sortBy': 'created',
                                                                  'descending': True}}])
        await _until(lambda: any(event == 'update' for event, _ in tab.received[seen:]))
    finally:
        await tab.close()
    log = portal.log()
    assert 'Traceback' not in log and 'Error' not in log, log
    # No dialog to delete a sent request was even offered, and both requests are still there.
    assert not any('Poistetaanko luonnos' in str(data) for _, data in tab.received)
    for number in (SENT_REQUEST, DRAFT):
        assert (await attacker.get(f'/oma-asiointi/{number}')).status_code == 200


_LOG_ATTACK = '''
import asyncio, httpx
from config import load_settings
from portal.logs import configure_logging
from services.log_hygiene import escape_log_values
configure_logging(load_settings())
escape_log_values()
from sqlalchemy.exc import OperationalError
from pages.unavailable import DatabaseUnavailableMiddleware

async def app(scope, receive, send):
    raise OperationalError('SELECT 1', {}, Exception('database down'))

async def main():
    transport = httpx.ASGITransport(DatabaseUnavailableMiddleware(app))
    async with httpx.AsyncClient(transport=transport, base_url='http://portal') as client:
        await client.get('/oma-asiointi%0D%0A2026-12-02 12:00:00,000 WARNING auth: admin signed in from 10.0.0.1')

asyncio.run(main())
'''


def test_an_encoded_newline_in_a_url_cannot_forge_a_log_line(tmp_path) -> None:
    """The portal's own logging set-up (main.py) and a path that the database-down page logs."""
    result = subprocess.run([sys.executable, '-c', _LOG_ATTACK], cwd=PROJECT_DIR, capture_output=True, text=True,
                            env={'PORTAL_IGNORE_DOTENV': '1', 'PATH': '/usr/bin:/bin', 'LOG_LEVEL': 'WARNING',
                                 'DATA_DIR': str(tmp_path)}, timeout=60, check=True)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert 'database unavailable on /oma-asiointi\\r\\n2026-12-02 12:00:00,000 WARNING auth: admin' in lines[0]
