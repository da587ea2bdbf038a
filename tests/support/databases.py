"""A fresh, migrated database per test: an SQLite file by default, or a new PostgreSQL database when
TEST_POSTGRES_URL names a server (CI runs the `db` tests that way too)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

POSTGRES_ENV = 'TEST_POSTGRES_URL'  # e.g. postgresql://postgres@127.0.0.1:5432/test


def _admin_dsn(url: str) -> str:
    return url.replace('postgresql+psycopg://', 'postgresql://')


@contextmanager
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield f'sqlite:///{tmp_path / "portal.db"}'
        return
    name = f'portal_test_{uuid.uuid4().hex[:12]}'
    admin = _admin_dsn(server)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE {name}')
    try:
        yield admin.rsplit('/', 1)[0] + f'/{name}'
    finally:
        from models.db import _engines

        for url in [url for url in _engines if url.endswith(f'/{name}')]:
            _engines.pop(url).dispose()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
