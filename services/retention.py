"""Retention: personal data is not kept longer than needed (GDPR art. 5(1)(e)).

- Drafts that nobody sent and nobody touched for DRAFT_RETENTION_DAYS (default 180) are deleted with their
  attachments. A week before, the owner gets an email (`notifications.draft_expiring`, sent only to owners who
  allowed email); the deletion waits until a week after that warning, so nobody loses a draft unannounced.
  A draft reopened for completion has been sent: it is the centre's record and is never deleted here.
- Resolved requests keep their personal data for RESOLVED_RETENTION_DAYS (default 3650, ten years). Why ten: the
  requests concern payroll and invoices and may serve as accounting material, and the Accounting Act
  (kirjanpitolaki 1336/1997, 2:10) keeps the books ten years from the end of the financial year and vouchers and
  other accounting material six years from the end of the year it ended. Payroll records themselves have far
  longer times (decades, in the municipal recommendations) but live in the payroll system, not here. The binding
  time is set by the municipality's data management plan (tiedonohjaussuunnitelma, Information Management Act
  906/2019 §19) after the National Archives' rules; ten years is the default that does not cut any of the above.
  Then answers and the resolution text are emptied, messages, attachments and emails of the request deleted, and
  the request row (service, dates, stages, organisation) stays as a statistic.

`run_retention` is idempotent and safe with several instances: each request is claimed by a conditional UPDATE of
its `version` in its own transaction (the row lock makes a second instance's claim match no row), and the deletes
only match what is still there. Every action is written to the audit log and the application log.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from nicegui import background_tasks, run
from sqlalchemy import Exists, exists, update
from sqlmodel import Session, col, delete, select

from config import get_settings
from models import (
    Attachment,
    AttachmentBlob,
    AuditEvent,
    Message,
    OutboxEmail,
    RequestStatus,
    ServiceRequest,
    StageChange,
    saved_id,
    utcnow,
)
from models.db import session_scope

from . import audit, notifications

log = logging.getLogger(__name__)
WARNING_LEAD = timedelta(days=7)
RUN_INTERVAL_SECONDS = 3600
# The deletion may come up to one run later than a week after the warning; not earlier.
_SCHEDULE_SLACK = timedelta(seconds=RUN_INTERVAL_SECONDS)
FINNISH_TIME = ZoneInfo('Europe/Helsinki')


@dataclass
class RetentionResult:
    warned: list[int] = field(default_factory=list)
    drafts_deleted: list[int] = field(default_factory=list)
    anonymised: list[int] = field(default_factory=list)


def _record(db: Session, action: str, now: datetime, *, request_id: int | None = None, **details: object) -> None:
    """An audit event at the pass's own time (the rules compare these times with the requests')."""
    assert action in audit.ACTION_LABELS, action
    db.add(AuditEvent(at=now, actor_id=None, request_id=request_id, action=action, details=details))


def _claim(db: Session, request: ServiceRequest) -> bool:
    """Take the request for this transaction; False when another instance (or person) changed it meanwhile."""
    result = db.exec(update(ServiceRequest)
                     .where(col(ServiceRequest.id) == request.id, col(ServiceRequest.version) == request.version)
                     .values(version=ServiceRequest.version + 1))
    return result.rowcount == 1


def _warned_since(request_id: int, since: datetime) -> Exists:
    return exists().where(col(AuditEvent.request_id) == request_id, col(AuditEvent.action) == 'draft_expiry_warned',
                          col(AuditEvent.at) >= since)


def _delete_messages_files_and_emails(db: Session, request_id: int) -> None:
    attachment_ids = select(Attachment.id).where(Attachment.request_id == request_id)
    db.exec(delete(AttachmentBlob).where(col(AttachmentBlob.attachment_id).in_(attachment_ids)))
    db.exec(delete(Attachment).where(col(Attachment.request_id) == request_id))
    db.exec(delete(Message).where(col(Message.request_id) == request_id))
    db.exec(delete(OutboxEmail).where(col(OutboxEmail.request_id) == request_id))  # their bodies quote the request


def _unsent_drafts(db: Session, modified_before: datetime) -> list[ServiceRequest]:
    return list(db.exec(select(ServiceRequest).where(
        ServiceRequest.status == RequestStatus.DRAFT, col(ServiceRequest.sent_at).is_(None),
        ServiceRequest.modified_at <= modified_before).order_by(col(ServiceRequest.id))).all())


def _finnish_date(moment: datetime) -> date:
    return moment.astimezone(FINNISH_TIME).date()


def warn_expiring_drafts(now: datetime, retention: timedelta) -> list[int]:
    """Warn, once per untouched period, the owners of drafts that will be deleted in a week (or later)."""
    warned: list[int] = []
    with session_scope() as db:
        candidates = [saved_id(r) for r in _unsent_drafts(db, now - retention + WARNING_LEAD)]
    for number in candidates:
        with session_scope() as db:
            request = db.get(ServiceRequest, number)
            if request is None or request.status != RequestStatus.DRAFT or request.sent_at is not None:
                continue
            if db.exec(select(_warned_since(number, request.modified_at))).one():
                continue
            if not _claim(db, request):
                continue
            delete_on = _finnish_date(max(request.modified_at + retention, now + WARNING_LEAD))
            notifications.draft_expiring(db, request, delete_on)
            _record(db, 'draft_expiry_warned', now, request_id=number, delete_on=delete_on.isoformat())
            warned.append(number)
    for number in warned:
        log.info('Retention: warned the owner of draft %s of its deletion', number, extra={'request_number': number})
    return warned


def delete_expired_drafts(now: datetime, retention: timedelta) -> list[int]:
    """Delete drafts untouched for the retention time whose owner was warned at least a week ago."""
    deleted: list[int] = []
    with session_scope() as db:
        candidates = [saved_id(r) for r in _unsent_drafts(db, now - retention)]
    for number in candidates:
        with session_scope() as db:
            request = db.get(ServiceRequest, number)
            if request is None or request.status != RequestStatus.DRAFT or request.sent_at is not None \
                    or request.modified_at > now - retention:
                continue
            warned_long_enough = db.exec(select(exists().where(
                col(AuditEvent.request_id) == number, col(AuditEvent.action) == 'draft_expiry_warned',
                col(AuditEvent.at) >= request.modified_at,
                col(AuditEvent.at) <= now - WARNING_LEAD + _SCHEDULE_SLACK))).one()
            if not warned_long_enough or not _claim(db, request):
                continue
            _delete_messages_files_and_emails(db, number)
            db.exec(delete(StageChange).where(col(StageChange.request_id) == number))
            # The audit trail outlives the draft: its events stay, without the link to the deleted row.
            db.exec(update(AuditEvent).where(col(AuditEvent.request_id) == number).values(request_id=None))
            owner_id, service_code = request.owner_id, request.service_code
            db.exec(delete(ServiceRequest).where(col(ServiceRequest.id) == number))
            _record(db, 'draft_expired', now, request_number=number, owner_id=owner_id,
                         service_code=service_code)
            deleted.append(number)
    for number in deleted:
        log.info('Retention: deleted draft %s untouched for %s days', number, retention.days,
                 extra={'request_number': number})
    return deleted


def remove_resolved_personal_data(now: datetime, retention: timedelta) -> list[int]:
    """Empty the personal data of requests resolved longer ago than the retention time; keep the row."""
    removed: list[int] = []
    already = exists().where(col(AuditEvent.request_id) == ServiceRequest.id,
                             col(AuditEvent.action) == 'personal_data_removed')
    with session_scope() as db:
        candidates = [number for number in db.exec(select(ServiceRequest.id).where(
            ServiceRequest.status == RequestStatus.DONE, col(ServiceRequest.resolved_at).is_not(None),
            col(ServiceRequest.resolved_at) <= now - retention, ~already).order_by(col(ServiceRequest.id))).all()
                      if number is not None]  # a stored row's id is never None; its column type allows it
    for number in candidates:
        with session_scope() as db:
            request = db.get(ServiceRequest, number)
            if request is None or not _claim(db, request):
                continue
            _delete_messages_files_and_emails(db, number)
            request.answers = {}
            request.on_behalf_of = None
            request.resolution = None
            db.add(request)
            _record(db, 'personal_data_removed', now, request_id=number, retention_days=retention.days)
            removed.append(number)
    for number in removed:
        log.info('Retention: removed the personal data of request %s resolved over %s days ago', number,
                 retention.days, extra={'request_number': number})
    return removed


def run_retention(now: datetime | None = None) -> RetentionResult:
    """One pass of every retention rule (the scheduler calls this every hour)."""
    settings = get_settings()
    now = now or utcnow()
    drafts = timedelta(days=settings.draft_retention_days)
    resolved = timedelta(days=settings.resolved_retention_days)
    return RetentionResult(warned=warn_expiring_drafts(now, drafts),
                           drafts_deleted=delete_expired_drafts(now, drafts),
                           anonymised=remove_resolved_personal_data(now, resolved))


_task: asyncio.Task | None = None


async def _run_forever() -> None:
    while True:
        try:
            result = await run.io_bound(run_retention)  # the queries must not stall the event loop
            if result and (result.warned or result.drafts_deleted or result.anonymised):
                log.info('Retention pass: %d warned, %d drafts deleted, %d requests anonymised',
                         len(result.warned), len(result.drafts_deleted), len(result.anonymised))
        except Exception:  # a failing pass must not end the schedule; the next hour tries again
            log.exception('Retention pass failed')
        await asyncio.sleep(RUN_INTERVAL_SECONDS)


async def start_retention_schedule() -> None:
    """Start the hourly retention task (called from `app.on_startup`).

    Not in a demo installation (DEMO_DATA on): the seed's drafts date from 2023 and would be deleted within a week,
    emptying the screens the demo is for. There one pass runs by command: `python -m services.retention`.
    """
    global _task
    if get_settings().demo_data:
        log.info('Retention schedule off: DEMO_DATA is on (run one pass with python -m services.retention)')
        return
    if _task is None or _task.done():
        _task = background_tasks.create(_run_forever(), name='retention')  # NiceGUI cancels it at shutdown


if __name__ == '__main__':
    from config import load_settings_or_exit

    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    load_settings_or_exit()
    outcome = run_retention()
    print(f'Retention: {len(outcome.warned)} drafts warned, {len(outcome.drafts_deleted)} drafts deleted, '
          f'{len(outcome.anonymised)} resolved requests anonymised')
