"""Oma asiointi with many requests: is the Lähetetyt tab's first page as quick for a user with 5,000 requests as for
one with none?

Run: `.venv/bin/python -m bench.oma_asiointi` (SQLite in a temporary folder), and on PostgreSQL as well when
`BENCH_POSTGRES_URL` names a server (e.g. postgresql://postgres@127.0.0.1:5432/postgres; a throwaway database is
created there and dropped). Prints the median of repeated runs of `services.requests.list_requests` + `count_by_status`
(what the page does for one tab) and the database's plan for both queries.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

MANY = 5_000
OTHERS = 200  # other citizens, 100 requests each, so the table is not the one user's alone
OTHER_EACH = 100
RUNS = 40


def _prepare(url: str) -> tuple[int, int, int]:
    """Migrate the database at `url` and fill it; returns (many_id, five_id, empty_id)."""
    import config

    os.environ['DATABASE_URL'] = url
    config.reload_settings()
    from sqlalchemy import insert
    from sqlmodel import select

    from models import Message, MessageKind, RequestStatus, ServiceRequest, User, utcnow
    from models.db import migrate, session_scope

    migrate()
    start = utcnow() - timedelta(days=400)
    with session_scope() as db:
        users = [User(username=name) for name in ('bench.many', 'bench.five', 'bench.empty')]
        users += [User(username=f'bench.other{i}') for i in range(OTHERS)]
        db.add_all(users)
        db.flush()
        many, five, empty = (u.id for u in users[:3])
        statuses = (RequestStatus.SENT, RequestStatus.SENT, RequestStatus.SENT, RequestStatus.DONE,
                    RequestStatus.DRAFT)

        def rows(owner: int, count: int, *, all_sent: bool = False) -> list[dict]:
            return [{'service_code': 'verokortti' if i % 2 else 'tilinumero-liikasuoritus', 'owner_id': owner,
                     'status': RequestStatus.SENT if all_sent else statuses[i % len(statuses)],
                     'stage': 'Vireillepano/-tulo', 'current_step': 1, 'answers': {}, 'created_at': start,
                     'modified_at': start + timedelta(minutes=7 * i + owner), 'sent_at': start,
                     'completion_requested': False, 'citizen_replied': False, 'version': 1}
                    for i in range(count)]

        db.execute(insert(ServiceRequest), rows(many, MANY, all_sent=True))
        db.execute(insert(ServiceRequest), rows(five, 5, all_sent=True))
        for user in users[3:]:
            db.execute(insert(ServiceRequest), rows(user.id, OTHER_EACH))
        db.flush()
        # Every tenth of the many requests has an unread question, so the unread counts have work to do.
        ids = db.exec(select(ServiceRequest.id).where(ServiceRequest.owner_id == many)).all()
        db.execute(insert(Message), [{'request_id': rid, 'kind': MessageKind.QUESTION, 'body': 'Kysymys',
                                   'created_at': start} for rid in ids[::10]])
    if url.startswith('postgresql'):
        # What autovacuum would have done by the time anyone looks: statistics and the visibility map (which lets
        # the count be answered from the index alone).

        from models.db import get_engine

        with get_engine().connect().execution_options(isolation_level='AUTOCOMMIT') as connection:
            connection.exec_driver_sql('VACUUM ANALYZE')
    return many, five, empty


def _time(owner_id: int) -> float:
    from models import RequestStatus
    from services.requests import count_by_status, list_requests

    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        page = list_requests(owner_id, RequestStatus.SENT, page=1, per_page=10)
        count_by_status(owner_id)
        timings.append(time.perf_counter() - began)
    assert len(page.rows) <= 10
    return statistics.median(timings) * 1000


def _plans(owner_id: int) -> list[str]:
    """The engine's plan for the page query and the count query (shows whether the index is used)."""
    from sqlalchemy import func, select

    from models import Message, RequestStatus, ServiceRequest
    from models.db import get_engine
    from services.requests import CENTRE_MESSAGE_KINDS

    unread = (select(func.count()).where(Message.request_id == ServiceRequest.id, Message.read_at.is_(None),
                                         Message.kind.in_(CENTRE_MESSAGE_KINDS))
              .correlate(ServiceRequest).scalar_subquery())
    page = (select(ServiceRequest.id, ServiceRequest.modified_at, unread)
            .where(ServiceRequest.owner_id == owner_id, ServiceRequest.status == RequestStatus.SENT)
            .order_by(ServiceRequest.modified_at.desc(), ServiceRequest.id.desc()).limit(10))
    count = (select(ServiceRequest.status, func.count()).where(ServiceRequest.owner_id == owner_id)
             .group_by(ServiceRequest.status))
    engine = get_engine()
    prefix = 'EXPLAIN QUERY PLAN ' if engine.dialect.name == 'sqlite' else 'EXPLAIN '
    lines = []
    with engine.connect() as connection:
        for name, query in (('page', page), ('counts', count)):
            compiled = query.compile(engine, compile_kwargs={'literal_binds': True})
            rows = connection.exec_driver_sql(prefix + str(compiled)).all()
            lines.append(f'  plan of the {name} query:')
            lines += ['    ' + str(row[-1]) for row in rows]
    return lines


def run(url: str, label: str) -> None:
    began = time.perf_counter()
    many, five, empty = _prepare(url)
    print(f'{label}: filled in {time.perf_counter() - began:.1f} s '
          f'({MANY} requests for one user, {OTHERS * OTHER_EACH} for {OTHERS} others)')
    _time(many)  # warm up caches and the connection pool
    results = {'0 requests': _time(empty), '5 requests': _time(five), f'{MANY} requests': _time(many)}
    for name, ms in results.items():
        print(f'  Lähetetyt, first page + tab counts, user with {name:>14}: median {ms:6.2f} ms of {RUNS} runs')
    print('\n'.join(_plans(many)))


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault('PORTAL_IGNORE_DOTENV', '1')
    os.environ['DEMO_DATA'] = 'false'
    os.environ.setdefault('LOG_LEVEL', 'WARNING')
    with tempfile.TemporaryDirectory() as folder:
        os.environ['DATA_DIR'] = str(Path(folder) / 'data')
        run(f'sqlite:///{folder}/bench.db', 'SQLite')
        server = os.environ.get('BENCH_POSTGRES_URL')
        if not server:
            print('PostgreSQL: skipped (set BENCH_POSTGRES_URL to run it)')
            return
        from bench.harness import scratch_postgres_database
        from models.db import dispose_engines

        with scratch_postgres_database(server, 'bench_oma') as url:
            try:
                run(url, 'PostgreSQL')
            finally:
                dispose_engines()

if __name__ == '__main__':
    main()
