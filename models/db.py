"""The database engine, sessions and migrations, for SQLite (default) and PostgreSQL alike.

Timeouts (DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT): a database that stops answering must fail a page
within seconds, never freeze the instance. PostgreSQL gets `connect_timeout` and `statement_timeout`; but a server
that accepts and then says nothing (a frozen host, a half-open link) never cancels anything, so every round trip is
also given a client-side deadline (`_Deadlines`): past it, the connection's socket is shut down, the waiting call
fails with a database error and the page shows "temporarily unavailable" (pages/unavailable.py).
"""
from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from config import PROJECT_DIR, Settings, get_settings, loaded_settings

log = logging.getLogger(__name__)
# (url, long_statements) -> engine
_engines: dict[tuple[str, bool], Engine] = {}


def _sqlite_pragmas(busy_ms: int, dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA journal_mode=WAL')  # readers do not wait for the writer
    cursor.execute(f'PRAGMA busy_timeout={int(busy_ms)}')  # a writer waits this long for another, then fails
    cursor.close()


class _Deadlines:
    """A client-side deadline for each PostgreSQL round trip, watched by one daemon thread.

    A call registers its connection's socket with a deadline and removes it when it returns (try/finally, so no stale
    entry can outlive the call, and the socket is open while registered). Past the deadline the socket is shut down;
    psycopg's wait then wakes, the call raises OperationalError and SQLAlchemy discards the connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: dict[int, tuple[float, int]] = {}  # id(DBAPI connection) -> (deadline, socket fd)
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, dbapi_connection: Any, seconds: float) -> int | None:
        try:
            fd = dbapi_connection.fileno()
        except Exception:  # closed or broken: the call itself will say so
            return None
        key = id(dbapi_connection)
        with self._lock:
            self._due[key] = (time.monotonic() + seconds, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name='database-deadlines', daemon=True)
                self._thread.start()
        self._wake.set()
        return key

    def release(self, key: int | None) -> None:
        if key is not None:
            with self._lock:
                self._due.pop(key, None)

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                overdue = [(key, fd) for key, (deadline, fd) in self._due.items() if deadline <= now]
                for key, fd in overdue:
                    self._due.pop(key)
                    _shut_down(fd)
                next_due = min((deadline for deadline, _ in self._due.values()), default=None)
            if overdue:
                log.warning('database did not answer in time: %d connection(s) cut', len(overdue))
            self._wake.clear()
            self._wake.wait(None if next_due is None else max(0.05, next_due - time.monotonic()))


def _shut_down(fd: int) -> None:
    """Shut the socket down (both ways) without closing the caller's descriptor: its pending wait ends with EOF."""
    try:
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


_deadlines = _Deadlines()


def _with_deadline(call: Callable[..., Any], seconds: float, connection_of: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def watched(*args: Any, **kwargs: Any) -> Any:
        key = _deadlines.watch(connection_of(*args), seconds)
        try:
            return call(*args, **kwargs)
        finally:
            _deadlines.release(key)

    return watched


def _guard_round_trips(engine: Engine, connect_timeout: int, statement_timeout: int | None) -> None:
    """Give the dialect's calls that wait for the server a deadline (instance attributes shadow the methods)."""
    dialect: Any = engine.dialect
    dialect.do_ping = _with_deadline(dialect.do_ping, connect_timeout, lambda connection: connection)
    if statement_timeout is None:  # long statements (migrations) are not cut
        return
    # The server cancels a statement at statement_timeout and answers; the deadline is for a server that cannot.
    seconds = statement_timeout + connect_timeout
    for name in ('do_execute', 'do_execute_no_params', 'do_executemany'):
        setattr(dialect, name, _with_deadline(getattr(dialect, name), seconds,
                                              lambda cursor, *_args, **_kwargs: cursor.connection))
    for name in ('do_commit', 'do_rollback'):
        setattr(dialect, name, _with_deadline(getattr(dialect, name), seconds, lambda connection: connection))


def _private_sqlite_file(path: Path) -> None:
    """The database file readable by this user only (0600, like the secrets beside it); SQLite gives its -wal and
    -shm files the same mode. An existing file made before this is tightened too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, path.with_name(path.name + '-wal'), path.with_name(path.name + '-shm')):
        if file.exists():
            file.chmod(0o600)


def get_engine(url: str | None = None, *, long_statements: bool = False) -> Engine:
    """One engine per database URL for the life of the process; `long_statements` gives one without the statement
    timeout (migrations, the start-up lock, which may wait for another instance's migration)."""
    url = url or get_settings().database_url
    # SQLite: one engine per file, always. A second one would open the file again, and closing any descriptor of a
    # file drops every POSIX lock this process holds on it: SQLite's WAL then loses committed writes.
    key = (url, long_statements and not url.startswith('sqlite'))
    if key not in _engines:
        # A caller naming the URL (tests, tools) may not have loaded settings: then the defaults.
        settings = loaded_settings()
        connect_timeout, statement_timeout = ((settings.database_connect_timeout, settings.database_statement_timeout)
                                              if settings else (Settings.database_connect_timeout,
                                                                Settings.database_statement_timeout))
        if url.startswith('sqlite'):
            _private_sqlite_file(Path(url.removeprefix('sqlite:///')))
            engine = create_engine(url, connect_args={'check_same_thread': False, 'timeout': statement_timeout})
            event.listen(engine, 'connect', functools.partial(_sqlite_pragmas, statement_timeout * 1000))
        else:
            options = '-c statement_timeout=0' if long_statements else f'-c statement_timeout={statement_timeout}s'
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                   pool_timeout=connect_timeout,  # waiting for a free pooled connection
                                   connect_args={'connect_timeout': connect_timeout, 'options': options})
            _guard_round_trips(engine, connect_timeout, None if long_statements else statement_timeout)
        _engines[key] = engine
    return _engines[key]


def dispose_engines(url_suffix: str = '') -> None:
    """Close and forget the engines whose URL ends with `url_suffix` (all of them by default)."""
    for key in [key for key in _engines if key[0].endswith(url_suffix)]:
        _engines.pop(key).dispose()


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
    with get_engine(url, long_statements=True).connect() as connection:
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
