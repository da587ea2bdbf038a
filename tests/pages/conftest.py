"""NiceGUI `User`-fixture tests (run with `-p nicegui.testing.user_plugin`): each test runs `main.py` against its
own fresh database with the demo data."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui.testing import User

from tests.support.databases import fresh_database_url


@pytest.fixture(autouse=True)
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database_url(tmp_path) as url:
        monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
        monkeypatch.setenv('DATABASE_URL', url)
        monkeypatch.setenv('DEMO_DATA', 'true')
        yield url


async def sign_in_with_password(user: User, username: str, password: str) -> None:
    await user.open('/kirjaudu/salasana')
    user.find(marker='username').type(username)
    user.find(marker='password').type(password)
    user.find(marker='submit').click()
    await user.should_see('KÄYTTÄJÄ', retries=100)  # argon2 runs in a worker thread: allow it up to 10 s
    await follow_new_browser_id(user)


async def follow_new_browser_id(user: User) -> None:
    """After a sign-in or sign-out, let the test's simulated events see the browser's new id.

    Those give the browser a new id (no session fixation). A real page's events read `app.storage.user` through the
    request that drew the page; the User fixture's simulated events read it through the test's own last request, which
    still carries the old cookie until the test makes a request again (a plain route: no page, no notice used up).
    """
    await user.http_client.get('/health')
