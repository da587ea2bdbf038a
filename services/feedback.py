"""Accessibility feedback (saavutettavuuspalaute): anyone may send it from the accessibility statement; the centre's
staff read it on /kasittely/palaute and mark it handled. Requests to delete an account are shown there as well.

Law 306/2019 §16 requires a feedback channel and an answer within 14 days, so handlers see the oldest open feedback
first and every message stays listed until someone marks it handled.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from locales import normalise_language, nt, t
from models import AccessibilityFeedback, User, UserRole, saved_id, utcnow
from models.db import session_scope

from . import audit
from .validation import check_email

FEEDBACK_MAX_LENGTH = 4000
PAGE_MAX_LENGTH = 300


class FeedbackForbidden(PermissionError):
    """Only the centre's staff read and handle feedback."""


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    created_at: datetime
    page: str
    email: str
    body: str
    language: str
    handled_at: datetime | None


@dataclass(frozen=True)
class DeletionRequestRow:
    user_id: int
    name: str
    email: str
    requested_at: datetime


def validate_feedback(body: str, email: str, page: str) -> dict[str, str]:
    """Problems by field name ('body', 'email', 'page'), in the current language; empty when the feedback is fine."""
    errors: dict[str, str] = {}
    text = (body or '').strip()
    if not text:
        errors['body'] = t('Kirjoita palautteesi.')
    elif len(text) > FEEDBACK_MAX_LENGTH:
        errors['body'] = nt('Teksti on liian pitkä: enintään {count} merkki.',
                            'Teksti on liian pitkä: enintään {count} merkkiä.', FEEDBACK_MAX_LENGTH)
    if (email or '').strip():
        checked = check_email(email)
        if not checked.ok:
            errors['email'] = checked.error or ''
    if len((page or '').strip()) > PAGE_MAX_LENGTH:
        errors['page'] = nt('Teksti on liian pitkä: enintään {count} merkki.',
                            'Teksti on liian pitkä: enintään {count} merkkiä.', PAGE_MAX_LENGTH)
    return errors


def submit_feedback(body: str, email: str, page: str, language: str) -> int:
    """Store feedback that `validate_feedback` accepted; returns its id. Raises ValueError for invalid input, so a
    caller that skipped validation cannot store junk."""
    if validate_feedback(body, email, page):
        raise ValueError('invalid feedback')
    address = check_email(email).value if (email or '').strip() else ''
    with session_scope() as db:
        row = AccessibilityFeedback(body=body.strip(), email=str(address), page=(page or '').strip(),
                                    language=normalise_language(language))
        db.add(row)
        db.flush()
        assert row.id is not None
        return row.id


def _require_staff(actor: User) -> None:
    if actor.role not in (UserRole.HANDLER, UserRole.ADMIN) or not actor.active:
        raise FeedbackForbidden


def list_feedback(actor: User, *, include_handled: bool = True) -> list[FeedbackRow]:
    """Open feedback first (oldest first, as the 14-day answer time runs), then handled feedback (newest first)."""
    _require_staff(actor)
    with session_scope() as db:
        query = select(AccessibilityFeedback)
        if not include_handled:
            query = query.where(col(AccessibilityFeedback.handled_at).is_(None))
        rows = db.exec(query).all()
    open_rows = sorted((r for r in rows if r.handled_at is None), key=lambda r: r.created_at)
    handled = [r for _, r in sorted(((r.handled_at, r) for r in rows if r.handled_at is not None),
                                    key=lambda pair: pair[0], reverse=True)]
    return [FeedbackRow(id=saved_id(r), created_at=r.created_at, page=r.page, email=r.email, body=r.body,
                        language=r.language, handled_at=r.handled_at) for r in (*open_rows, *handled)]


def mark_handled(actor: User, feedback_id: int) -> bool:
    """Mark feedback handled; False when it was already handled (by someone else in the meantime) or is missing."""
    _require_staff(actor)
    with session_scope() as db:
        row = db.get(AccessibilityFeedback, feedback_id)
        if row is None or row.handled_at is not None:
            return False
        row.handled_at = utcnow()
        db.add(row)
        audit.record(db, actor, 'feedback_handled', feedback_id=feedback_id)
        return True


def list_deletion_requests(actor: User) -> list[DeletionRequestRow]:
    """Accounts whose owner asked for deletion ("Pyydä käyttäjätilin poistamista"), oldest request first."""
    _require_staff(actor)
    with session_scope() as db:
        users = db.exec(select(User).where(col(User.deletion_requested_at).is_not(None))
                        .order_by(col(User.deletion_requested_at))).all()
        return [DeletionRequestRow(user_id=saved_id(u), name=u.full_name, email=u.email,
                                   requested_at=u.deletion_requested_at)
                for u in users if u.deletion_requested_at is not None]  # all are: the query asks for that
