"""Figure 4: the Oma asiointi and handler-queue queries on a database of 200,000 requests, SQLite and PostgreSQL.

Builds each database from scratch (migrations, demo data, then 20,000 citizens, 200,000 requests and 100,000
messages inserted in bulk), times the real service functions (`services.requests`, `services.handling`) and
prints the query plans of the SQL they ran (captured from the engine, then EXPLAINed), with the indexes used.
PostgreSQL gets a scratch database on BENCH_POSTGRES_URL's server (default the local one), dropped afterwards.
"""
from __future__ import annotations

import os
import random
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg
from sqlalchemy import event, insert, text

from bench.harness import scratch_postgres_database

REQUESTS = int(os.environ.get('BENCH_REQUESTS', '200000'))
CITIZENS = 20_000
HEAVY_OWNER_REQUESTS = 1_000  # Onni Korhonen, the demo citizen, gets this many: a heavy user's Oma asiointi
POSTGRES_SERVER = os.environ.get('BENCH_POSTGRES_URL', 'postgresql://postgres@127.0.0.1:5432/test')
REPEATS = 15


@contextmanager
def scratch_database(kind: str) -> Iterator[str]:
    if kind == 'sqlite':
        with tempfile.TemporaryDirectory(prefix='portal-bench-db-') as folder:
            yield f'sqlite:///{Path(folder) / "bench.db"}'
        return
    with scratch_postgres_database(POSTGRES_SERVER, 'portal_bench') as url:
        yield url


def _use(url: str) -> None:
    import config

    folder = tempfile.mkdtemp(prefix='portal-bench-settings-')
    os.environ.update({'PORTAL_IGNORE_DOTENV': '1', 'DATABASE_URL': url, 'DATA_DIR': folder, 'DEMO_DATA': 'false',
                       'LOG_LEVEL': 'ERROR'})
    config.reload_settings()


def populate(rng: random.Random) -> dict[str, int]:
    """Demo data plus the bulk: returns ids the queries need."""
    from sqlmodel import select

    from models import (
        FIRST_STAGE,
        Message,
        MessageKind,
        Organisation,
        RequestStatus,
        ServiceRequest,
        User,
        utcnow,
    )
    from models.db import get_engine, migrate, session_scope
    from services.catalogue import sync_services
    from services.demo_data import load_demo_data
    from services.forms import FORMS
    from services.stages import STAGES

    migrate()
    sync_services()
    load_demo_data()
    with session_scope() as db:
        onni = db.exec(select(User.id).where(User.username == 'onni.korhonen')).one()
        handlers = list(db.exec(select(User.id).where(User.username.in_(('kaisa.kasittelija', 'admin')))).all())
        organisations = list(db.exec(select(Organisation.id)).all())
    engine = get_engine()
    now = utcnow()
    with engine.begin() as connection:
        first_citizen = connection.execute(text('SELECT COALESCE(MAX(id), 0) FROM "user"')).scalar() + 1
        rows = [{'id': first_citizen + n, 'role': 'citizen', 'given_name': f'Etunimi{n}', 'surname': f'Sukunimi{n}',
                 'display_name': '', 'email': f'asiakas{n}@example.invalid', 'email_allowed': False, 'phone': '',
                 'identity_hash': uuid.uuid4().hex, 'language': 'fi', 'active': True, 'created_at': now,
                 'registered_at': now} for n in range(CITIZENS)]
        connection.execute(insert(User), rows)
        codes = list(FORMS)
        first_request = connection.execute(text('SELECT COALESCE(MAX(id), 0) FROM servicerequest')).scalar() + 1
        batch: list[dict] = []
        messages: list[dict] = []
        for n in range(REQUESTS):
            number = first_request + n
            owner = onni if n < HEAVY_OWNER_REQUESTS else first_citizen + rng.randrange(CITIZENS)
            roll = rng.random()
            status = RequestStatus.DRAFT if roll < 0.15 else RequestStatus.SENT if roll < 0.6 else RequestStatus.DONE
            created = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            sent = None if status == RequestStatus.DRAFT else created + timedelta(minutes=rng.randrange(600))
            batch.append({
                'id': number, 'service_code': rng.choice(codes), 'owner_id': owner,
                'organisation_id': rng.choice(organisations), 'status': status,
                'stage': FIRST_STAGE if status != RequestStatus.SENT else rng.choice(STAGES), 'current_step': 0,
                'answers': {}, 'completion_requested': status == RequestStatus.DRAFT and rng.random() < 0.1,
                'citizen_replied': status == RequestStatus.SENT and rng.random() < 0.05,
                'assigned_handler_id': rng.choice(handlers) if sent and rng.random() < 0.5 else None,
                'version': 1, 'created_at': created, 'modified_at': sent or created, 'sent_at': sent,
                'resolved_at': sent + timedelta(days=3) if status == RequestStatus.DONE else None})
            if sent and n % 2 == 0:
                messages.append({'request_id': number, 'author_id': rng.choice(handlers), 'kind': MessageKind.MESSAGE,
                                 'body': 'Käsittelemme palvelupyyntöäsi.', 'created_at': sent + timedelta(hours=2),
                                 'read_at': None if rng.random() < 0.3 else sent + timedelta(days=1)})
            if len(batch) == 10_000:
                connection.execute(insert(ServiceRequest), batch)
                batch.clear()
        if batch:
            connection.execute(insert(ServiceRequest), batch)
        for start in range(0, len(messages), 10_000):
            connection.execute(insert(Message), messages[start:start + 10_000])
    # Fresh statistics (and on PostgreSQL the visibility map, for index-only counts), as autovacuum leaves them.
    with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as connection:
        connection.execute(text('VACUUM ANALYZE' if engine.dialect.name == 'postgresql' else 'ANALYZE'))
    typical = first_citizen + 7
    return {'onni': onni, 'handler': handlers[0], 'typical': typical, 'organisation': organisations[0],
            'first_request': first_request}


def _queries(ids: dict[str, int]) -> list[tuple[str, Callable[[], object]]]:
    from sqlmodel import select

    from models import RequestStatus, User
    from models.db import session_scope
    from services import handling, requests
    from services.handling import QueueFilters

    with session_scope() as db:
        handler = db.get(User, ids['handler'])
    assert handler is not None and handler.is_staff and db.exec(select(User)).first() is not None
    onni, typical, mine = ids['onni'], ids['typical'], ids['handler']
    return [
        ('Oma asiointi: counts for the tabs (a citizen with 1,000 requests)',
         lambda: requests.count_by_status(onni)),
        ('Oma asiointi: Lähetetyt page 1, newest first (same citizen)',
         lambda: requests.list_requests(onni, RequestStatus.SENT)),
        ('Oma asiointi: Luonnokset page 1 (same citizen)', lambda: requests.list_requests(onni, RequestStatus.DRAFT)),
        ('Oma asiointi: Valmiit of a typical citizen', lambda: requests.list_requests(typical, RequestStatus.DONE)),
        ('Queue: open requests page 1, oldest sent first', lambda: handling.list_queue(handler, QueueFilters())),
        ('Queue: open requests page 200', lambda: handling.list_queue(handler, QueueFilters(), page=200)),
        ('Queue: the counts on the queue page', lambda: handling.queue_counts(handler)),
        ('Queue: assigned to me', lambda: handling.list_queue(handler, QueueFilters(handler=mine))),
        ('Queue: unassigned', lambda: handling.list_queue(handler, QueueFilters(handler=handling.UNASSIGNED))),
        ('Queue: one organisation',
         lambda: handling.list_queue(handler, QueueFilters(organisation_id=ids['organisation']))),
        ('Queue: waiting for completion', lambda: handling.list_queue(handler, QueueFilters(state='completion'))),
        ('Queue: all states, newest sent first',
         lambda: handling.list_queue(handler, QueueFilters(state='all'), descending=True)),
        ('Queue: search by request number',
         lambda: handling.list_queue(handler, QueueFilters(state='all', search=str(ids['first_request'] + 4321)))),
        ("Queue: search by a citizen's name",
         lambda: handling.list_queue(handler, QueueFilters(search='Sukunimi1234'))),
    ]


@contextmanager
def captured_sql(engine) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def capture(_connection, _cursor, statement, parameters, _context, _executemany) -> None:
        statements.append((statement, parameters))

    event.listen(engine, 'before_cursor_execute', capture)
    try:
        yield statements
    finally:
        event.remove(engine, 'before_cursor_execute', capture)


def plan(engine, statement: str, parameters: object) -> list[str]:
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        cursor = raw.cursor()
        if engine.dialect.name == 'postgresql':
            cursor.execute('EXPLAIN ' + statement, parameters)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute('EXPLAIN QUERY PLAN ' + statement, parameters)
        return [row[3] for row in cursor.fetchall()]


INDEX_NAME = re.compile(r'\b(ix_\w+|\w+_pkey|sqlite_autoindex_\w+|INTEGER PRIMARY KEY)')


def run_backend(kind: str) -> list[tuple[str, float, str]]:
    from models.db import get_engine

    results = []
    with scratch_database(kind) as url:
        _use(url)
        started = time.perf_counter()
        ids = populate(random.Random(2026))
        print(f'  {kind}: built {REQUESTS:,} requests, {CITIZENS:,} citizens in {time.perf_counter() - started:.0f} s')
        engine = get_engine()
        for name, call in _queries(ids):
            call()  # warm the cache
            timings = []
            for _ in range(REPEATS):
                begun = time.perf_counter()
                call()
                timings.append((time.perf_counter() - begun) * 1000)
            with captured_sql(engine) as statements:
                call()
            indexes: set[str] = set()
            plans = []
            for statement, parameters in statements:
                if not statement.lstrip().upper().startswith('SELECT'):
                    continue
                lines = plan(engine, statement, parameters)
                plans.append(lines)
                for line in lines:
                    indexes |= set(INDEX_NAME.findall(line))
            median = statistics.median(timings)
            results.append((name, median, ', '.join(sorted(indexes)) or 'none'))
            print(f'  {kind:10} {median:8.1f} ms  {name}\n{"":24}indexes: {", ".join(sorted(indexes)) or "none"}')
            if os.environ.get('BENCH_PLANS'):
                for lines in plans:
                    print('\n'.join(f'{"":28}{line}' for line in lines))
    return results


def main() -> dict[str, str]:
    print(f'== 4. Database of {REQUESTS:,} requests: Oma asiointi and handler-queue queries '
          f'(median of {REPEATS}, through the service functions)')
    summary = {}
    for kind in ('sqlite', 'postgresql'):
        try:
            results = run_backend(kind)
        except psycopg.OperationalError as error:
            print(f'  {kind}: skipped, server not reachable ({error})')
            continue
        worst = max(results, key=lambda row: row[1])
        summary[f'database {kind}: slowest query'] = f'{worst[1]:.1f} ms ({worst[0]})'
        summary[f'database {kind}: median of the queries'] = f'{statistics.median(r[1] for r in results):.1f} ms'
    return summary


if __name__ == '__main__':
    main()
