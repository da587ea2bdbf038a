"""A database that stops answering without refusing (a frozen host, a half-open link): it must freeze nothing.

The portal reaches PostgreSQL through a forwarder (tests/scaleout/blackhole.py) that, switched mid-test, keeps
accepting connections and swallowing what is sent, and answers nothing. Meanwhile:
- what needs no database (`/health/live`, answered by the event loop) keeps answering at once, again and again, while
  several people's pages wait for the database;
- every page that needs the database answers with the "temporarily unavailable" page (503) within a few seconds
  (DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT, the client-side deadline in models/db.py), in the browser too;
- when the database answers again, the same pages work again.
"""
from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.harness import wait_until
from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, wait_for_page
from tests.support.server import PortalServer, start_portal

from .blackhole import BlackholeForwarder

UNAVAILABLE = 'Palvelu on tilapäisesti poissa käytöstä'
CONNECT_TIMEOUT, STATEMENT_TIMEOUT = 2, 4
# A pooled connection is pinged (cut at the connect timeout), then a new one tried (the connect timeout again).
WITHIN_SECONDS = 2 * CONNECT_TIMEOUT + 4
LIVE_WITHIN_SECONDS = 1.0  # the event loop answers while pages wait for the database


def _get(url: str, cookie: str = '', timeout: float = 30, accept: str = 'text/html') -> tuple[int, str, float]:
    """Status, body and seconds taken of a GET (by default a browser's Accept, so pages are drawn as for a person)."""
    request = urllib.request.Request(url, headers={'Accept': accept, **({'Cookie': cookie} if cookie else {})})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


@pytest.fixture
def forwarder() -> Iterator[BlackholeForwarder]:
    forwarder = BlackholeForwarder(('127.0.0.1', 5432))
    yield forwarder
    forwarder.close()


@pytest.fixture
def portal(tmp_path: Path, postgres_url: str, forwarder: BlackholeForwarder) -> Iterator[PortalServer]:
    through_forwarder = re.sub(r'@[^/]+/', f'@127.0.0.1:{forwarder.port}/', postgres_url)
    server = start_portal(tmp_path / 'data', through_forwarder, DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
                          DATABASE_STATEMENT_TIMEOUT=str(STATEMENT_TIMEOUT))
    yield server
    server.stop()


def _signed_in_page(browser: Browser, portal: PortalServer) -> tuple[Page, str]:
    context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900}, locale='fi-FI')
    page = context.new_page()
    sign_in_with_password(page, 'onni.korhonen', 'Demo-salasana-2026')
    cookie = '; '.join(f'{c["name"]}={c["value"]}' for c in context.cookies())
    return page, cookie


def test_a_silent_database_freezes_nothing(browser: Browser, portal: PortalServer,
                                           forwarder: BlackholeForwarder) -> None:
    page, cookie = _signed_in_page(browser, portal)
    pages = ['/oma-asiointi', '/paasivu', '/palvelut', '/omat-tiedot', '/yhteystiedot']
    for path in pages:
        assert _get(portal.base_url + path, cookie)[0] == 200, path

    forwarder.go_silent()
    with ThreadPoolExecutor(len(pages)) as pool:
        waiting = [pool.submit(_get, portal.base_url + path, cookie) for path in pages]
        # While every one of them waits for the database, the loop answers what needs none, each time at once.
        live_times = []
        while not all(future.done() for future in waiting):
            status, _body, seconds = _get(portal.base_url + '/health/live', timeout=10, accept='application/json')
            assert status == 200
            live_times.append(seconds)
        answers = [future.result() for future in waiting]
    assert max(live_times) < LIVE_WITHIN_SECONDS, f'/health/live took {max(live_times):.2f} s'
    print(f'database silent: /health/live answered {len(live_times)} times, slowest {max(live_times):.3f} s; pages '
          f'answered 503 in {", ".join(f"{seconds:.1f}" for _status, _body, seconds in answers)} s')
    for path, (status, body, seconds) in zip(pages, answers, strict=True):
        assert status == 503 and UNAVAILABLE in body, (path, status, body[:200])
        assert seconds < WITHIN_SECONDS, f'{path} took {seconds:.1f} s with the database silent'

    # In the browser: the friendly page, in time, not a spinner that never ends.
    started = time.monotonic()
    response = page.goto('/oma-asiointi', timeout=WITHIN_SECONDS * 1000)
    assert response is not None and response.status == 503
    expect(page.get_by_role('heading', name=UNAVAILABLE, level=1)).to_be_visible()
    assert time.monotonic() - started < WITHIN_SECONDS
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_DIR / 'database-silent.png'), full_page=True)

    # The database answers again: so do the pages (the silenced connections are thrown away, new ones made).
    forwarder.restore()
    wait_until(lambda: _get(portal.base_url + '/health')[0] == 200, '/health to answer 200', 30)
    page.goto('/oma-asiointi')
    wait_for_page(page)
    expect(page.get_by_role('tab', name=re.compile('Luonnokset'))).to_be_visible()
    page.context.close()
