"""Migrations and demo data, on SQLite and (in CI's second run) on PostgreSQL."""
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel, col, func, select

from models import Message, Organisation, Region, RequestStatus, ServiceRequest, User, saved_id
from models.db import downgrade, get_engine, migrate, session_scope
from services.demo_data import load_demo_data

pytestmark = pytest.mark.db


def test_migrations_go_up_to_head_and_back_to_empty(database: str) -> None:
    tables = set(inspect(get_engine()).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    downgrade(database, 'base')
    assert set(inspect(get_engine()).get_table_names()) <= {'alembic_version'}
    migrate(database)
    assert set(SQLModel.metadata.tables) <= set(inspect(get_engine()).get_table_names())


def _counts() -> dict[str, int]:
    with session_scope() as db:
        return {model.__name__: db.exec(select(func.count()).select_from(model)).one()
                for model in (Region, Organisation, User, ServiceRequest, Message)}


def test_demo_data_holds_the_seed_and_loading_twice_changes_nothing(database: str) -> None:
    load_demo_data()
    first = _counts()
    load_demo_data()
    assert _counts() == first
    with session_scope() as db:
        onni = db.exec(select(User).where(User.display_name == 'Onni Juhani Korhonen')).one()
        requests = {r.id: r for r in db.exec(select(ServiceRequest).where(ServiceRequest.owner_id == onni.id))}
        assert {n for n, r in requests.items() if r.status == RequestStatus.DRAFT} == {5474, 5453}
        assert {n for n, r in requests.items() if r.status == RequestStatus.SENT} == {
            979728, 978373, 979825, 979738, 978635}
        unread = db.exec(select(func.count()).where(Message.request_id == 978373, col(Message.read_at).is_(None))).one()
        assert unread == 2
        assert db.exec(select(Organisation).where(Organisation.name == 'Jyväskylän kaupunki')).one()
        assert len(db.exec(select(Region)).all()) >= 2
        assert onni.identity_hash and '150585' not in onni.identity_hash


def test_new_requests_are_numbered_after_the_seed(database: str) -> None:
    load_demo_data()
    with session_scope() as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        request = ServiceRequest(service_code='verokortti', owner_id=saved_id(onni))
        db.add(request)
        db.flush()
        assert saved_id(request) > 979825


def test_saved_id_gives_a_flushed_rows_id_and_refuses_an_unsaved_row(database: str) -> None:
    with session_scope() as db:
        region = Region(name='Tunnukseton alue')
        with pytest.raises(ValueError, match='Region has no id yet'):
            saved_id(region)
        db.add(region)
        db.flush()
        assert region.id is not None and saved_id(region) == region.id


def test_instances_starting_together_take_turns(database: str, tmp_path: Path) -> None:
    """Three instances migrating and seeding one PostgreSQL database at once all start (advisory lock)."""
    import os
    import subprocess
    import sys

    if not database.startswith('postgresql'):
        pytest.skip('one SQLite file belongs to one process; CI runs this against PostgreSQL')
    downgrade(database, 'base')
    code = ('from config import load_settings_or_exit; from services.startup import prepare_database; '
            'prepare_database(load_settings_or_exit())')
    env = {**os.environ, 'DEMO_DATA': 'true', 'DATABASE_URL': database}
    processes = [subprocess.Popen([sys.executable, '-c', code], env={**env, 'DATA_DIR': str(tmp_path / str(i))},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for i in range(3)]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(ServiceRequest)).one() == 7


def test_statements_have_a_time_limit_and_migrations_none(database: str) -> None:
    """DATABASE_STATEMENT_TIMEOUT: PostgreSQL's statement_timeout, SQLite's busy timeout; the migration engine has
    no limit (a migration, or the start-up lock waiting for another instance's, may take long)."""
    from sqlalchemy import text

    with get_engine().connect() as connection, get_engine(long_statements=True).connect() as long_connection:
        if connection.dialect.name == 'postgresql':
            assert connection.execute(text('SHOW statement_timeout')).scalar() == '10s'
            assert long_connection.execute(text('SHOW statement_timeout')).scalar() == '0'
        else:
            assert connection.execute(text('PRAGMA busy_timeout')).scalar() == 10_000
