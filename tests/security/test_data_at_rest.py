"""Data at rest (issue 12, finding 10): someone with a copy of the database, or another account on the host, gets
neither the staff's TOTP secrets nor the SQLite file."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from models import User
from models.db import dispose_engines, downgrade, get_engine, migrate, session_scope
from models.encrypted import decrypt_secret
from services.demo_data import load_demo_data
from tests.support.databases import POSTGRES_ENV
from tests.support.staff import DEMO_TOTP_SECRET

pytestmark = pytest.mark.db


def _stored_secrets() -> dict[str, str]:
    with get_engine().connect() as connection:
        rows = connection.execute(text('SELECT username, totp_secret FROM "user" WHERE totp_secret IS NOT NULL'))
        return dict(rows.all())


def test_a_copy_of_the_database_holds_no_totp_secret_in_clear(database: str) -> None:
    load_demo_data()
    stored = _stored_secrets()
    assert {'admin', 'kaisa.kasittelija'} <= set(stored)
    assert all(value.startswith('enc1:') and DEMO_TOTP_SECRET not in value for value in stored.values())
    assert decrypt_secret(stored['admin'], key='a-key-that-is-not-the-portals') is None  # the copy without the key
    with session_scope() as db:  # the portal itself reads them
        assert db.exec(select(User.totp_secret).where(User.username == 'admin')).one() == DEMO_TOTP_SECRET


def test_the_migration_encrypts_secrets_stored_in_clear_before_it(database: str) -> None:
    load_demo_data()
    downgrade(database, '0004')
    assert _stored_secrets()['admin'] == DEMO_TOTP_SECRET  # as an older installation has it
    migrate(database)
    assert _stored_secrets()['admin'].startswith('enc1:')
    with session_scope() as db:
        assert db.exec(select(User.totp_secret).where(User.username == 'admin')).one() == DEMO_TOTP_SECRET


@pytest.mark.skipif(bool(os.environ.get(POSTGRES_ENV)), reason='the SQLite file only')
def test_other_accounts_on_the_host_cannot_read_the_sqlite_file(database: str, settings_env: Path) -> None:
    path = Path(database.removeprefix('sqlite:///'))
    load_demo_data()
    for file in (path, path.with_name(path.name + '-wal')):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    # A file left readable by an older version is tightened when the portal opens it.
    dispose_engines()
    path.chmod(0o644)
    get_engine(database)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
