"""Delivery of the outbox against a real SMTP server (aiosmtpd): waiting out an outage with growing delays, each
email delivered once even with two workers on one database, lapsed claims taken over, 550 failed with its reason,
4xx retried, and the app's background loop starting and stopping cleanly."""
from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bench.harness import wait_until_async
from models import AuditEvent, EmailStatus, OutboxEmail, User, UserRole, saved_id, utcnow
from models.db import session_scope
from services.email import outbox
from services.email.delivery import DeliveryWorker, RetryPolicy, SmtpConfig
from services.email.templates import EmailContent, EmailKind
from tests.support.smtp import SmtpTestServer

FAST_RETRIES = RetryPolicy(first_delay=timedelta(seconds=1), max_delay=timedelta(seconds=2), max_attempts=10)


class Clock:
    """The outbox's clock, moved on by the test instead of waiting: an hour ahead of the real time, so that emails
    enqueued now (stamped with the real time by the model) are due at once."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(outbox, 'utcnow', clock)
    return clock


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    """A server that is not running until the test starts it."""
    server = SmtpTestServer()
    yield server
    server.stop()


def worker(smtp: SmtpTestServer, name: str, *, policy: RetryPolicy = FAST_RETRIES, batch_size: int = 20,
           lease: timedelta = timedelta(minutes=5)) -> DeliveryWorker:
    config = SmtpConfig(host=smtp.host, port=smtp.port, security='none', username='', password='',
                        mail_from='asiakaspalvelu@monetra.example', timeout=5)
    return DeliveryWorker(config, worker_id=name, policy=policy, batch_size=batch_size, lease=lease)


def add_emails(count: int, recipient: str = 'onni@example.org', prefix: str = 'Viesti') -> list[int]:
    with session_scope() as db:
        rows = [outbox.enqueue(db, kind=EmailKind.MESSAGE, recipient=recipient, language='fi',
                               content=EmailContent(f'{prefix} {n}', f'Teksti {n}', f'<p>Teksti {n}</p>'))
                for n in range(count)]
        db.flush()
        return [saved_id(row) for row in rows]


def rows() -> dict[int, OutboxEmail]:
    with session_scope() as db:
        return {saved_id(row): row for row in db.exec(select(OutboxEmail)).all()}


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy()
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert policy.delay(30) == timedelta(hours=1)


@pytest.mark.db
def test_emails_wait_out_an_outage_and_arrive_once_with_two_workers(database: str, smtp: SmtpTestServer,
                                                                    clock: Clock) -> None:
    ids = add_emails(30)
    # Delays long enough that a slow round never sees its own rescheduled emails come due again.
    outage_policy = RetryPolicy(first_delay=timedelta(seconds=1), max_delay=timedelta(seconds=4), max_attempts=10)
    during_outage = worker(smtp, 'instance-a', policy=outage_policy, batch_size=30)
    first, second = worker(smtp, 'instance-a', batch_size=7), worker(smtp, 'instance-b', batch_size=7)

    # The server is down: every round leaves the emails pending, each time waiting longer.
    for attempt in (1, 2, 3):
        started = clock()
        assert asyncio.run(during_outage.deliver_due()) == 30
        state = rows()
        assert {row.status for row in state.values()} == {EmailStatus.PENDING}
        assert {row.attempts for row in state.values()} == {attempt}
        assert all('Connect' in (row.last_error or '') or 'refused' in (row.last_error or '').lower()
                   for row in state.values()), {row.last_error for row in state.values()}
        wait = outage_policy.delay(attempt)
        for row in state.values():
            assert row.locked_by is None and row.locked_until is None
            assert started + wait <= row.next_attempt_at <= clock() + wait
        assert asyncio.run(during_outage.deliver_due()) == 0  # nothing is due before its time
        clock.advance(max(row.next_attempt_at for row in state.values()) - clock() + timedelta(milliseconds=10))

    # The server is back: two instances deliver at the same time; every email arrives exactly once.
    smtp.start()
    barrier = threading.Barrier(2)

    def drain(delivery: DeliveryWorker) -> int:
        barrier.wait()
        claimed = 0
        while True:
            got = asyncio.run(delivery.deliver_due())
            claimed += got
            if not got:
                return claimed

    with ThreadPoolExecutor(2) as pool:
        claimed = list(pool.map(drain, (first, second)))
    assert sum(claimed) == len(ids)
    print('claimed per instance:', claimed)
    subjects = Counter(mail.subject for mail in smtp.received)
    assert subjects == Counter(f'Viesti {n}' for n in range(30))
    state = rows()
    assert {row.status for row in state.values()} == {EmailStatus.SENT}
    assert {row.attempts for row in state.values()} == {4}
    assert all(row.sent_at is not None and row.last_error is None for row in state.values())


@pytest.mark.db
def test_concurrent_claims_never_share_a_row(database: str) -> None:
    ids = add_emails(60)
    barrier = threading.Barrier(4)

    def claim(name: str) -> list[int]:
        barrier.wait()
        return [saved_id(row) for row in outbox.claim_due(name, limit=60, lease=timedelta(minutes=5))]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(claim, ('a', 'b', 'c', 'd')))
    everything = [email_id for result in results for email_id in result]
    assert sorted(everything) == sorted(ids)  # each row claimed, none by two workers
    state = rows()
    for name, result in zip(('a', 'b', 'c', 'd'), results, strict=True):
        assert all(state[email_id].locked_by == name and state[email_id].status == EmailStatus.SENDING
                   for email_id in result)


@pytest.mark.db
def test_the_claim_of_a_dead_instance_lapses_and_another_delivers(database: str, smtp: SmtpTestServer,
                                                                  clock: Clock) -> None:
    smtp.start()
    [email_id] = add_emails(1)
    [claimed] = outbox.claim_due('dead-instance', limit=10, lease=timedelta(seconds=0.5))
    assert claimed.id == email_id
    alive = worker(smtp, 'alive')
    assert asyncio.run(alive.deliver_due()) == 0  # the claim still holds
    clock.advance(timedelta(seconds=0.6))
    assert asyncio.run(alive.deliver_due()) == 1
    assert [mail.subject for mail in smtp.received] == ['Viesti 0']
    assert rows()[email_id].status == EmailStatus.SENT
    assert rows()[email_id].attempts == 2
    assert not outbox.mark_sent(email_id, 'dead-instance')  # a late word from the dead instance changes nothing


@pytest.mark.db
def test_permanently_refused_address_is_marked_failed_with_the_reason(database: str, smtp: SmtpTestServer) -> None:
    smtp.handler.refuse_permanently.add('ei.ole@example.org')
    smtp.start()
    [refused] = add_emails(1, recipient='ei.ole@example.org', prefix='Hylätty')
    delivered = add_emails(2, prefix='Perillä')
    asyncio.run(worker(smtp, 'w').deliver_due())

    state = rows()
    assert state[refused].status == EmailStatus.FAILED
    assert (state[refused].last_error or '').startswith('550 5.1.1 <ei.ole@example.org>: Recipient address rejected')
    assert state[refused].attempts == 1
    assert all(state[email_id].status == EmailStatus.SENT for email_id in delivered)
    assert sorted(mail.subject for mail in smtp.received) == ['Perillä 0', 'Perillä 1']
    assert asyncio.run(worker(smtp, 'w').deliver_due()) == 0  # a failed email is not tried again by itself


@pytest.mark.db
def test_temporary_refusal_is_retried_until_accepted(database: str, smtp: SmtpTestServer, clock: Clock) -> None:
    smtp.handler.refuse_temporarily.add('tayna@example.org')
    smtp.start()
    [email_id] = add_emails(1, recipient='tayna@example.org')
    delivery = worker(smtp, 'w')
    asyncio.run(delivery.deliver_due())
    row = rows()[email_id]
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1)
    assert (row.last_error or '').startswith('451 4.3.0')
    assert row.next_attempt_at > clock()

    smtp.handler.refuse_temporarily.clear()
    clock.advance(FAST_RETRIES.delay(1) + timedelta(milliseconds=50))
    asyncio.run(delivery.deliver_due())
    row = rows()[email_id]
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)
    assert [mail.recipients for mail in smtp.received] == [['tayna@example.org']]


@pytest.mark.db
def test_gives_up_after_the_last_attempt(database: str, smtp: SmtpTestServer) -> None:
    smtp.handler.refuse_temporarily.add('tayna@example.org')
    smtp.start()
    [email_id] = add_emails(1, recipient='tayna@example.org')
    policy = RetryPolicy(first_delay=timedelta(0), max_delay=timedelta(0), max_attempts=3)
    delivery = worker(smtp, 'w', policy=policy)
    for _ in range(3):
        asyncio.run(delivery.deliver_due())
    row = rows()[email_id]
    assert row.status == EmailStatus.FAILED
    error = row.last_error or ''
    assert error.startswith('451 4.3.0') and error.endswith('(gave up after 3 attempts)')


def staff_and_citizen() -> tuple[User, User]:
    with session_scope() as db:
        handler = User(username='kaisa', role=UserRole.HANDLER, registered_at=utcnow())
        citizen = User(username='onni', role=UserRole.CITIZEN, email='onni@example.org', registered_at=utcnow())
        db.add_all([handler, citizen])
    return handler, citizen


@pytest.mark.db
def test_staff_retry_sends_a_failed_email_again(database: str, smtp: SmtpTestServer) -> None:
    smtp.handler.refuse_permanently.add('onni@example.org')
    smtp.start()
    [email_id] = add_emails(1)
    asyncio.run(worker(smtp, 'w').deliver_due())
    assert rows()[email_id].status == EmailStatus.FAILED
    handler, citizen = staff_and_citizen()

    with pytest.raises(outbox.NotAllowed):
        outbox.retry_now(citizen, email_id)
    smtp.handler.refuse_permanently.clear()  # the address was fixed at the receiving end
    assert outbox.retry_now(handler, email_id)
    row = rows()[email_id]
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 0)
    asyncio.run(worker(smtp, 'w').deliver_due())
    assert rows()[email_id].status == EmailStatus.SENT
    assert not outbox.retry_now(handler, email_id)  # a sent email is not sent again
    assert len(smtp.received) == 1
    with session_scope() as db:
        event = db.exec(select(AuditEvent).where(AuditEvent.action == 'email_retry')).one()
    assert event.actor_id == handler.id and event.details['previous_status'] == 'failed'


@pytest.mark.db
def test_outbox_listing_is_for_staff_and_a_citizen_sees_only_their_own(database: str) -> None:
    own = add_emails(2, recipient='Onni@Example.org')
    others = add_emails(1, recipient='toinen@example.org')
    handler, citizen = staff_and_citizen()
    assert len(outbox.list_outbox(handler)) == 3
    assert outbox.count_by_status(handler).by_status[EmailStatus.PENDING] == 3
    with pytest.raises(outbox.NotAllowed):
        outbox.list_outbox(citizen)
    assert sorted(saved_id(row) for row in outbox.list_mailbox(citizen)) == sorted(own)
    assert outbox.get_email(citizen, others[0]) is None
    assert outbox.get_email(handler, others[0]) is not None


@pytest.mark.db
async def test_app_delivery_loop_starts_delivers_and_stops(database: str, smtp: SmtpTestServer,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import config
    from services.email import delivery

    smtp.start()
    monkeypatch.setenv('SMTP_HOST', smtp.host)
    monkeypatch.setenv('SMTP_PORT', str(smtp.port))
    monkeypatch.setenv('SMTP_SECURITY', 'none')
    config.reload_settings()
    add_emails(3)
    await delivery.start_email_delivery()
    try:
        await wait_until_async(lambda: len(smtp.received) == 3, 'the background loop to deliver three emails')
    finally:
        await asyncio.wait_for(delivery.stop_email_delivery(), timeout=5)
    assert sorted(mail.subject for mail in smtp.received) == ['Viesti 0', 'Viesti 1', 'Viesti 2']
    assert delivery._task is None


@pytest.mark.db
async def test_without_smtp_host_emails_stay_in_the_outbox(database: str) -> None:
    from services.email import delivery

    add_emails(1)
    await delivery.start_email_delivery()
    assert delivery._task is None
    await delivery.stop_email_delivery()
    assert {row.status for row in rows().values()} == {EmailStatus.PENDING}
