"""Fixtures for domain tests: a fresh migrated database and settings that point at it."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.support.databases import fresh_database_url

# Settings the whole suite starts from; a test changes what it needs.
os.environ.update({'PORTAL_IGNORE_DOTENV': '1', 'DEMO_DATA': 'false', 'SIGN_IN_MODE': 'test-idp', 'SMTP_HOST': '',
                   'LOG_LEVEL': 'WARNING'})


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point DATA_DIR at a temporary folder and reload the settings; yields the folder."""
    import config

    data_dir = tmp_path / 'data'
    monkeypatch.setenv('DATA_DIR', str(data_dir))
    config.reload_settings()
    yield data_dir
    monkeypatch.undo()
    config.reload_settings()


@pytest.fixture
def database(settings_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database migrated to head, set as DATABASE_URL; yields its URL."""
    import config
    from models.db import migrate

    with fresh_database_url(tmp_path) as url:
        monkeypatch.setenv('DATABASE_URL', url)
        config.reload_settings()
        migrate()
        yield config.get_settings().database_url


class HeldClock:
    """The sign-in throttle's clock, held still and moved by hand: its delays are seen without racing real time."""

    def __init__(self) -> None:
        from models import utcnow

        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> HeldClock:
    from auth import throttle

    held = HeldClock()
    monkeypatch.setattr(throttle, 'clock', held)
    return held
