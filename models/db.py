"""The database engine, sessions and migrations, for SQLite (default) and PostgreSQL alike."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from config import PROJECT_DIR, get_settings

_engines: dict[str, Engine] = {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA journal_mode=WAL')  # readers do not wait for the writer
    cursor.execute('PRAGMA busy_timeout=5000')
    cursor.close()


def _private_sqlite_file(path: Path) -> None:
    """The database file readable by this user only (0600, like the secrets beside it); SQLite gives its -wal and
    -shm files the same mode. An existing file made before this is tightened too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, path.with_name(path.name + '-wal'), path.with_name(path.name + '-shm')):
        if file.exists():
            file.chmod(0o600)


def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the life of the process."""
    url = url or get_settings().database_url
    if url not in _engines:
        if url.startswith('sqlite'):
            _private_sqlite_file(Path(url.removeprefix('sqlite:///')))
            engine = create_engine(url, connect_args={'check_same_thread': False, 'timeout': 10})
            event.listen(engine, 'connect', _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        _engines[url] = engine
    return _engines[url]


def dispose_engines(url_suffix: str = '') -> None:
    """Close and forget the engines whose URL ends with `url_suffix` (all of them by default)."""
    for url in [url for url in _engines if url.endswith(url_suffix)]:
        _engines.pop(url).dispose()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back on an exception."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# Any fixed number: the key of PostgreSQL's advisory lock that serialises start-up work across instances.
_STARTUP_LOCK_KEY = 7_405_001


@contextmanager
def startup_lock(url: str | None = None) -> Iterator[None]:
    """Let one instance at a time migrate and seed a shared PostgreSQL database (SQLite is one process anyway)."""
    url = url or get_settings().database_url
    if not url.startswith('postgresql'):
        yield
        return
    with get_engine(url).connect() as connection:
        connection.execute(text('SELECT pg_advisory_lock(:key)'), {'key': _STARTUP_LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text('SELECT pg_advisory_unlock(:key)'), {'key': _STARTUP_LOCK_KEY})


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(PROJECT_DIR / 'alembic.ini'))
    cfg.set_main_option('script_location', str(PROJECT_DIR / 'migrations'))
    cfg.attributes['database_url'] = url or get_settings().database_url
    return cfg


def migrate(url: str | None = None, revision: str = 'head') -> None:
    """Bring the schema up to `revision` (Alembic); safe to call on every start."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = 'base') -> None:
    command.downgrade(alembic_config(url), revision)
