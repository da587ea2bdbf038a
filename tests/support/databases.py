"""A fresh, migrated database per test: an SQLite file by default, or a new PostgreSQL database when
TEST_POSTGRES_URL names a server (CI runs the `db` tests that way too)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from bench.harness import scratch_postgres_database
from models.db import get_engine

POSTGRES_ENV = 'TEST_POSTGRES_URL'  # e.g. postgresql://postgres@127.0.0.1:5432/test


@contextmanager
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield f'sqlite:///{tmp_path / "portal.db"}'
        return
    with scratch_postgres_database(server, 'portal_test') as url:
        yield url


def engine_of(url: str) -> Engine:
    """An engine on the database of a server started by a test (`postgresql://` there means psycopg here)."""
    if url.startswith('postgresql://'):
        url = 'postgresql+psycopg://' + url.removeprefix('postgresql://')
    return get_engine(url)


def drafts_of(database_url: str, username: str) -> dict[int, dict]:
    """A person's drafts in a test server's database: {number: answers}."""
    from sqlmodel import Session, select

    from models import RequestStatus, ServiceRequest, User

    with Session(engine_of(database_url)) as db:
        owner = db.exec(select(User).where(User.username == username)).one()
        rows = db.exec(select(ServiceRequest).where(ServiceRequest.owner_id == owner.id,
                                                    ServiceRequest.status == RequestStatus.DRAFT)).all()
        return {row.id: dict(row.answers) for row in rows if row.id is not None}


def attachment_count(database_url: str, request_id: int) -> int:
    from sqlmodel import Session, col, select

    from models import Attachment

    with Session(engine_of(database_url)) as db:
        return len(db.exec(select(Attachment).where(col(Attachment.request_id) == request_id)).all())
