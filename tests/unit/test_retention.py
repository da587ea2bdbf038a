"""Retention: an untouched draft is warned about once a week before, deleted with its attachments at the retention
time; resolved requests lose their personal data after theirs and stay as statistics. Safe to run twice at once."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from bench.harness import wait_until_async
from models import (
    Attachment,
    AttachmentBlob,
    AuditEvent,
    Message,
    MessageKind,
    OutboxEmail,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    saved_id,
    utcnow,
)
from models.db import session_scope
from services import retention
from services.attachments import check_upload, store_attachment
from tests.support.rows import found

pytestmark = pytest.mark.db
PDF = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'


@pytest.fixture
def owner(database: str) -> User:
    with session_scope() as db:
        user = User(username='anna.asiakas', given_name='Anna', surname='Asiakas', email='anna@example.fi',
                    email_allowed=True, language='fi')
        db.add(user)
        db.flush()
        return user


def _draft(owner: User, days_untouched: float) -> int:
    with session_scope() as db:
        request = ServiceRequest(service_code='verokortti', owner_id=saved_id(owner), status=RequestStatus.DRAFT,
                                 answers={'first_name': 'Anna', 'email': 'anna@example.fi'},
                                 modified_at=utcnow() - timedelta(days=days_untouched))
        db.add(request)
        db.flush()
        store_attachment(db, request, owner, check_upload('palkkalaskelma.pdf', PDF))
        return saved_id(request)


def _events(action: str) -> list[AuditEvent]:
    with session_scope() as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _warning_emails(number: int) -> list[OutboxEmail]:
    with session_scope() as db:
        return list(db.exec(select(OutboxEmail).where(OutboxEmail.request_id == number,
                                                      OutboxEmail.kind == 'draft_expiring')).all())


def test_draft_is_warned_once_at_173_days_and_deleted_with_attachments_at_180(owner: User) -> None:
    number = _draft(owner, 173)
    fresh = _draft(owner, 100)
    now = utcnow()
    assert retention.run_retention(now).warned == [number]
    emails = _warning_emails(number)
    assert len(emails) == 1 and emails[0].recipient == 'anna@example.fi'
    delete_on = (now + timedelta(days=7)).astimezone(retention.FINNISH_TIME)
    assert f'{delete_on.day}.{delete_on.month}.{delete_on.year}' in emails[0].body_text.replace('.0', '.')

    later = retention.run_retention(now + timedelta(hours=1))  # the next hourly pass: no second warning
    assert later.warned == [] and later.drafts_deleted == [] and len(_warning_emails(number)) == 1

    week_later = retention.run_retention(now + timedelta(days=7))  # now 180 days untouched
    assert week_later.drafts_deleted == [number]
    with session_scope() as db:
        assert db.get(ServiceRequest, number) is None
        assert db.exec(select(Attachment).where(Attachment.request_id == number)).all() == []
        assert db.exec(select(AttachmentBlob)).all() and len(db.exec(select(AttachmentBlob)).all()) == 1  # fresh's
        assert db.get(ServiceRequest, fresh) is not None
    deleted = _events('draft_expired')
    assert [(e.details['request_number'], e.request_id, e.actor_id) for e in deleted] == [(number, None, None)]
    assert _events('draft_expiry_warned')[0].request_id is None  # the trail stays, unlinked from the gone row


def test_overdue_draft_without_warning_is_warned_first_and_kept_a_week(owner: User) -> None:
    number = _draft(owner, 400)  # e.g. older than the feature
    now = utcnow()
    first = retention.run_retention(now)
    assert (first.warned, first.drafts_deleted) == ([number], [])
    assert retention.run_retention(now + timedelta(days=6)).drafts_deleted == []
    assert retention.run_retention(now + timedelta(days=7)).drafts_deleted == [number]


def test_touching_a_draft_after_the_warning_saves_it_and_a_new_period_starts(owner: User) -> None:
    number = _draft(owner, 175)
    now = utcnow()
    assert retention.run_retention(now).warned == [number]
    edited = utcnow() + timedelta(minutes=5)  # the owner edits the draft after the warning
    with session_scope() as db:
        found(db.get(ServiceRequest, number)).modified_at = edited
    assert retention.run_retention(now + timedelta(days=7)) == retention.RetentionResult()
    assert retention.run_retention(edited + timedelta(days=172)) == retention.RetentionResult()
    assert retention.run_retention(edited + timedelta(days=173)).warned == [number]  # warned again, once
    assert retention.run_retention(edited + timedelta(days=173, hours=1)).warned == []


def test_a_sent_request_reopened_as_draft_is_never_deleted(owner: User) -> None:
    number = _draft(owner, 500)
    with session_scope() as db:
        found(db.get(ServiceRequest, number)).sent_at = utcnow() - timedelta(days=501)
    now = utcnow()
    assert retention.run_retention(now) == retention.RetentionResult()
    assert retention.run_retention(now + timedelta(days=30)) == retention.RetentionResult()


def test_resolved_request_personal_data_is_removed_and_the_row_kept(owner: User, monkeypatch) -> None:
    monkeypatch.setenv('RESOLVED_RETENTION_DAYS', '3650')
    import config

    config.reload_settings()
    now = utcnow()
    numbers = []
    for resolved_days_ago in (3651, 3649):
        with session_scope() as db:
            sent_at = now - timedelta(days=resolved_days_ago + 3)
            request = ServiceRequest(service_code='verokortti', owner_id=saved_id(owner), status=RequestStatus.DONE,
                                     answers={'first_name': 'Anna', 'iban': 'FI4822223333444455'},
                                     on_behalf_of='Aino Asiakas', resolution='Verokortti tilattu Annalle.',
                                     sent_at=sent_at, resolved_at=now - timedelta(days=resolved_days_ago))
            db.add(request)
            db.flush()
            number = saved_id(request)
            db.add(StageChange(request_id=number, stage='Vireillepano/-tulo', changed_at=sent_at))
            message = Message(request_id=number, kind=MessageKind.RESOLUTION, body='Verokortti tilattu.')
            db.add(message)
            db.add(Message(request_id=number, kind=MessageKind.NOTE, body='Sisäinen muistiinpano'))
            db.flush()
            store_attachment(db, request, owner, check_upload('liite.pdf', PDF), message_id=message.id)
            db.add(OutboxEmail(kind='resolved', recipient='anna@example.fi', subject='Ratkaistu',
                               body_text='Hei Anna', body_html='<p>Hei Anna</p>', request_id=number))
            numbers.append(number)
    old, recent = numbers
    assert retention.run_retention(now).anonymised == [old]
    assert retention.run_retention(now + timedelta(hours=1)).anonymised == []  # done once
    with session_scope() as db:
        kept = found(db.get(ServiceRequest, old))
        assert (kept.answers, kept.on_behalf_of, kept.resolution) == ({}, None, None)
        assert (kept.status, kept.service_code, kept.resolved_at is not None) == (RequestStatus.DONE, 'verokortti',
                                                                                   True)
        assert len(db.exec(select(StageChange).where(StageChange.request_id == old)).all()) == 1
        for table in (Message, Attachment, OutboxEmail):
            assert db.exec(select(table).where(table.request_id == old)).all() == [], table
            assert db.exec(select(table).where(table.request_id == recent)).all() != [], table
        assert found(db.get(ServiceRequest, recent)).answers['iban'] == 'FI4822223333444455'
    assert [e.request_id for e in _events('personal_data_removed')] == [old]


def test_two_instances_at_once_warn_and_delete_once(owner: User) -> None:
    numbers = [_draft(owner, 174) for _ in range(5)]
    now = utcnow()
    results: list[retention.RetentionResult] = []

    def one_pass(moment) -> None:
        results.append(retention.run_retention(moment))

    for moment in (now, now + timedelta(days=7)):
        threads = [threading.Thread(target=one_pass, args=(moment,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    warned = sorted(n for r in results for n in r.warned)
    deleted = sorted(n for r in results for n in r.drafts_deleted)
    assert warned == numbers and deleted == numbers
    assert sum(len(_warning_emails(n)) for n in numbers) == 0  # the rows went with the drafts
    assert len(_events('draft_expiry_warned')) == 5 and len(_events('draft_expired')) == 5


async def test_the_schedule_runs_a_pass_at_start_but_not_in_a_demo(owner: User, monkeypatch) -> None:
    import asyncio

    from nicegui import core

    import config

    monkeypatch.setattr(core, 'loop', asyncio.get_running_loop())  # as when the app runs
    number = _draft(owner, 175)
    monkeypatch.setenv('DEMO_DATA', 'true')
    config.reload_settings()
    await retention.start_retention_schedule()
    assert retention._task is None or retention._task.done()
    monkeypatch.setenv('DEMO_DATA', 'false')
    config.reload_settings()
    await retention.start_retention_schedule()
    try:
        await wait_until_async(lambda: _events('draft_expiry_warned'), 'the schedule to warn of the draft')
        assert [e.request_id for e in _events('draft_expiry_warned')] == [number]
    finally:
        found(retention._task).cancel()
