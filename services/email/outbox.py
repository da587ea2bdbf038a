"""The outbox: every email is a row written in the caller's transaction, claimed by one delivering instance at a
time, and marked sent or failed.

Claiming is a single conditional UPDATE per row (`... WHERE id = ? AND <still due>`): whichever instance's update
matches first wins, the other sees zero rows changed. That holds on SQLite (one writer at a time) and on PostgreSQL
(the second UPDATE waits for the first to commit, then re-checks its WHERE on the new row). A claim carries
`locked_until`, so the claim of an instance that died mid-delivery lapses and another instance takes the email over.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select, update

from models import EmailStatus, OutboxEmail, ServiceRequest, User, utcnow
from models.db import session_scope
from services import audit

from .templates import EmailContent, EmailKind

ERROR_MAX_LENGTH = 1000  # the column's size


class NotAllowed(PermissionError):
    """The viewer may not see or change this email."""


def enqueue(db: Session, *, kind: EmailKind, recipient: str, language: str, content: EmailContent,
            request_id: int | None = None) -> OutboxEmail:
    """Add an email to the outbox in the caller's transaction: it exists exactly when the event that causes it does."""
    email = OutboxEmail(kind=kind.value, recipient=recipient, language=language, subject=content.subject[:300],
                        body_text=content.text, body_html=content.html, request_id=request_id)
    db.add(email)
    return email


def _due(now: datetime):
    """Pending and due, or claimed by an instance whose claim has lapsed."""
    return or_(and_(col(OutboxEmail.status) == EmailStatus.PENDING, col(OutboxEmail.next_attempt_at) <= now),
               and_(col(OutboxEmail.status) == EmailStatus.SENDING, col(OutboxEmail.locked_until) < now))


def claim_due(worker_id: str, *, limit: int, lease: timedelta, now: datetime | None = None) -> list[OutboxEmail]:
    """Claim up to `limit` due emails for `worker_id`; each row is won by exactly one worker."""
    now = now or utcnow()
    with session_scope() as db:
        candidates = db.exec(select(OutboxEmail.id).where(_due(now))
                             .order_by(col(OutboxEmail.next_attempt_at), col(OutboxEmail.id)).limit(limit)).all()
    claimed: list[OutboxEmail] = []
    for email_id in candidates:
        with session_scope() as db:
            result = db.exec(update(OutboxEmail)
                             .where(col(OutboxEmail.id) == email_id, _due(now))
                             .values(status=EmailStatus.SENDING, locked_until=now + lease, locked_by=worker_id,
                                     attempts=OutboxEmail.attempts + 1))
            if result.rowcount == 1:
                claimed.append(db.exec(select(OutboxEmail).where(OutboxEmail.id == email_id)).one())
    return claimed


def _finish_claim(email_id: int, worker_id: str, **values: object) -> bool:
    """Change a row this worker still holds; False when its claim lapsed and another worker took it over."""
    with session_scope() as db:
        result = db.exec(update(OutboxEmail)
                         .where(col(OutboxEmail.id) == email_id, col(OutboxEmail.status) == EmailStatus.SENDING,
                                col(OutboxEmail.locked_by) == worker_id)
                         .values(locked_until=None, locked_by=None, **values))
        return result.rowcount == 1


def mark_sent(email_id: int, worker_id: str) -> bool:
    return _finish_claim(email_id, worker_id, status=EmailStatus.SENT, sent_at=utcnow(), last_error=None)


def mark_retry(email_id: int, worker_id: str, error: str, delay: timedelta) -> bool:
    return _finish_claim(email_id, worker_id, status=EmailStatus.PENDING, next_attempt_at=utcnow() + delay,
                         last_error=error[:ERROR_MAX_LENGTH])


def mark_failed(email_id: int, worker_id: str, reason: str) -> bool:
    return _finish_claim(email_id, worker_id, status=EmailStatus.FAILED, last_error=reason[:ERROR_MAX_LENGTH])


# --- Reading and retrying, for the outbox view (staff) and the development mailbox (a citizen's own emails) ---

@dataclass(frozen=True)
class OutboxCounts:
    by_status: dict[EmailStatus, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def _require_staff(viewer: User) -> None:
    if not viewer.is_staff:
        raise NotAllowed('the outbox is for staff only')


def count_by_status(viewer: User) -> OutboxCounts:
    _require_staff(viewer)
    with session_scope() as db:
        counts = dict(db.exec(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)).all())
    return OutboxCounts({status: counts.get(status, 0) for status in EmailStatus})


def list_outbox(viewer: User, status: EmailStatus | None = None, limit: int = 200) -> Sequence[OutboxEmail]:
    """The newest emails first, optionally of one status."""
    _require_staff(viewer)
    query = select(OutboxEmail).order_by(col(OutboxEmail.created_at).desc(), col(OutboxEmail.id).desc()).limit(limit)
    if status is not None:
        query = query.where(OutboxEmail.status == status)
    with session_scope() as db:
        return db.exec(query).all()


def _own_emails(user: User):
    """Emails about the user's own requests, and the user's other emails (registration) sent to their address."""
    own_requests = select(ServiceRequest.id).where(ServiceRequest.owner_id == user.id)
    conditions: list[ColumnElement[bool]] = [col(OutboxEmail.request_id).in_(own_requests)]
    if user.email:
        conditions.append(and_(col(OutboxEmail.request_id).is_(None),
                               func.lower(OutboxEmail.recipient) == user.email.lower()))
    return or_(*conditions)


def list_mailbox(user: User, limit: int = 100) -> Sequence[OutboxEmail]:
    """A citizen's own emails, newest first (the development mailbox when no SMTP server is configured)."""
    with session_scope() as db:
        return db.exec(select(OutboxEmail).where(_own_emails(user))
                       .order_by(col(OutboxEmail.created_at).desc(), col(OutboxEmail.id).desc()).limit(limit)).all()


def get_email(viewer: User, email_id: int) -> OutboxEmail | None:
    """One email: any for staff, only one's own for a citizen; None when it does not exist or is not theirs."""
    query = select(OutboxEmail).where(OutboxEmail.id == email_id)
    if not viewer.is_staff:
        query = query.where(_own_emails(viewer))
    with session_scope() as db:
        return db.exec(query).first()


def retry_now(viewer: User, email_id: int) -> bool:
    """Staff: send a failed or waiting email again at once (a failed one gets a fresh round of attempts).

    False when the email is no longer failed or pending (e.g. another instance delivered it meanwhile).
    """
    _require_staff(viewer)
    now = utcnow()
    with session_scope() as db:
        email = db.exec(select(OutboxEmail).where(OutboxEmail.id == email_id)).first()
        if email is None:
            return False
        previous = {'email_id': email_id, 'previous_status': email.status.value, 'previous_error': email.last_error}
        values: dict[str, object] = {'status': EmailStatus.PENDING, 'next_attempt_at': now}
        if email.status == EmailStatus.FAILED:
            values['attempts'] = 0
        result = db.exec(update(OutboxEmail)
                         .where(col(OutboxEmail.id) == email_id,
                                col(OutboxEmail.status).in_((EmailStatus.FAILED, EmailStatus.PENDING)))
                         .values(**values))
        if result.rowcount != 1:
            return False
        audit.record(db, viewer, 'email_retry', request_id=email.request_id, **previous)
        return True
