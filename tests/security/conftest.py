"""Security tests: each one is an attack, written as the requests or socket events an attacker would send, asserting
that nothing happens. Browser attacks live in `browser/` (a separate pytest run: sync Playwright and NiceGUI's async
`User` fixture do not share one process).

What this folder offers (the root `tests/conftest.py` adds `settings_env` and `database`):
- `portal`: the real server (`main.py`) with demo data on a free port, one per test module (tests/browser's fixture);
- `attacker`: an `httpx.AsyncClient` on that server with a cookie jar of its own (a browser the attacker controls);
  `bench.support.Tab` drives a page over NiceGUI's socket without a browser, so forged events can be sent, and
  `bench.support.sign_in` signs it in;
- NiceGUI's `User` fixture works here too (the run loads its plugin): give the test a demo database first, as
  tests/pages/conftest.py's `demo_database` does.
Tests that touch the database carry `@pytest.mark.db`: CI runs those again on PostgreSQL (TEST_POSTGRES_URL).
"""
from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.browser.conftest import portal
from tests.support.server import PortalServer

__all__ = ['attacker', 'portal']


@pytest.fixture
async def attacker(portal: PortalServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=portal.base_url, timeout=60, follow_redirects=True) as client:
        yield client
