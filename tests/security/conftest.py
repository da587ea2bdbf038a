"""Security tests: each one is an attack, written as the requests or socket events an attacker would send, asserting
that nothing happens. Browser attacks live in `browser/` (a separate pytest run: sync Playwright and NiceGUI's async
`User` fixture do not share one process).

What this folder offers (the root `tests/conftest.py` adds `settings_env` and `database`):
- `portal`: the real server (`main.py`) with demo data on a free port, one per test module;
- `attacker`: an `httpx.AsyncClient` on that server with a cookie jar of its own (a browser the attacker controls);
  `bench.support.Tab` drives a page over NiceGUI's socket without a browser, so forged events can be sent;
- `demo_env`: a fresh demo database for NiceGUI's `User` fixture (list it before `user` in the test's arguments).
Tests that touch the database carry `@pytest.mark.db`: CI runs those again on PostgreSQL (TEST_POSTGRES_URL).
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.databases import fresh_database_url
from tests.support.server import PortalServer, start_portal


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """One server with fresh demo data for the attacks of a module."""
    tmp = tmp_path_factory.mktemp('portal')
    with fresh_database_url(tmp) as url:
        server = start_portal(tmp / 'data', url)
        yield server
        server.stop()


@pytest.fixture
async def attacker(portal: PortalServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=portal.base_url, timeout=60, follow_redirects=True) as client:
        yield client


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Environment for NiceGUI's `User` fixture: its own data folder and a fresh database with the demo data."""
    with fresh_database_url(tmp_path) as url:
        monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
        monkeypatch.setenv('DATABASE_URL', url)
        monkeypatch.setenv('DEMO_DATA', 'true')
        yield url
