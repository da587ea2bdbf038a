"""The audit log: who changed a request's state, stage or handler, who wrote what kind of message, and who looked
at a person's details, with when.

Events are written in the same transaction as the change they record, so a change without its event (or the other
way round) cannot be committed. Reading the log and exporting it as CSV are staff-only.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from locales import N_, t
from models import AuditEvent, ServiceRequest, User, UserRole
from models.db import session_scope

from .formatting import format_datetime

# Action codes stored in `AuditEvent.action`, with the Finnish label shown to handlers.
ACTION_LABELS: dict[str, str] = {
    'request_viewed': N_('Avasi palvelupyynnön ja henkilötiedot'),
    'assigned': N_('Vaihtoi käsittelijän'),
    'stage_changed': N_('Vaihtoi käsittelyvaiheen'),
    'message_sent': N_('Lähetti viestin asiakkaalle'),
    'question_sent': N_('Lähetti kysymyksen asiakkaalle'),
    'completion_requested': N_('Pyysi täydennystä'),
    'note_added': N_('Lisäsi sisäisen muistiinpanon'),
    'resolved': N_('Ratkaisi palvelupyynnön'),
    'audit_exported': N_('Vei lokin CSV-tiedostoksi'),
    'staff_created': N_('Loi käsittelijätunnuksen'),
    'staff_changed': N_('Muutti käsittelijätunnusta'),
    'representation_granted': N_('Myönsi asiointioikeuden'),
    'representation_revoked': N_('Poisti asiointioikeuden'),
    # Written by the citizen's side (services.workflow, services.messages) and the email outbox.
    'draft_created': N_('Aloitti luonnoksen'),
    'request_sent': N_('Lähetti palvelupyynnön'),
    'request_resent': N_('Lähetti täydennetyn palvelupyynnön'),
    'citizen_replied': N_('Vastasi viestiin'),
    'draft_deleted': N_('Poisti luonnoksen'),
    'request_withdrawn': N_('Perui palvelupyynnön'),
    'email_retry': N_('Lähetti sähköpostin uudelleen'),
    # Reach everyone: personal data, retention and accessibility feedback (services.my_data, .retention, .feedback).
    'data_exported': N_('Latasi omat tietonsa'),
    'account_deletion_requested': N_('Pyysi käyttäjätilin poistamista'),
    'draft_expiry_warned': N_('Varoitti luonnoksen poistumisesta'),
    'draft_expired': N_('Poisti vanhentuneen luonnoksen'),
    'personal_data_removed': N_('Poisti henkilötiedot säilytysajan päätyttyä'),
    'feedback_handled': N_('Käsitteli saavutettavuuspalautteen'),
    # The person's own account (services.registration, services.account).
    'registered': N_('Rekisteröityi käyttäjäksi'),
    'own_details_changed': N_('Muutti omia tietojaan'),
    'password_changed': N_('Vaihtoi salasanan'),
}


# Names of the detail keys handlers see in the log (other keys are shown as they are).
DETAIL_LABELS: dict[str, str] = {
    'previous': N_('aiempi'),
    'handler': N_('käsittelijä'),
    'stage': N_('vaihe'),
    'message': N_('viesti nro'),
    'message_id': N_('viesti nro'),
    'attachments': N_('liitteitä'),
    'user': N_('käyttäjä nro'),
    'organisation': N_('organisaatio nro'),
    'role': N_('rooli'),
    'service': N_('palvelu'),
}


class AuditForbidden(PermissionError):
    """Only the centre's staff read the audit log."""


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    request_id: int | None
    action: str
    details: dict

    @property
    def label(self) -> str:
        return t(ACTION_LABELS.get(self.action, self.action))

    @property
    def details_text(self) -> str:
        return ', '.join(f'{t(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key}: '
                         f'{t(value) if isinstance(value, str) else value}' for key, value in self.details.items())


def record(db: Session, actor: User | None, action: str, *, request_id: int | None = None, **details: object) -> None:
    """Add an event to the caller's transaction."""
    assert action in ACTION_LABELS, action
    db.add(AuditEvent(actor_id=actor.id if actor else None, request_id=request_id, action=action,
                      details={key: value for key, value in details.items() if value is not None}))


def _require_staff(actor: User) -> None:
    if actor.role not in (UserRole.HANDLER, UserRole.ADMIN) or not actor.active:
        raise AuditForbidden


def _rows(db: Session, query) -> list[AuditRow]:
    names: dict[int, str] = {}
    rows = []
    for event in db.exec(query).all():
        if event.actor_id is not None and event.actor_id not in names:
            person = db.get(User, event.actor_id)
            names[event.actor_id] = person.full_name if person else str(event.actor_id)
        rows.append(AuditRow(at=event.at, actor=names.get(event.actor_id, '') if event.actor_id else '',
                             request_id=event.request_id, action=event.action, details=dict(event.details)))
    return rows


def events_for_request(actor: User, request_id: int) -> list[AuditRow]:
    """The request's events, oldest first."""
    _require_staff(actor)
    with session_scope() as db:
        return _rows(db, select(AuditEvent).where(AuditEvent.request_id == request_id)
                     .order_by(col(AuditEvent.at), col(AuditEvent.id)))


def _cell(value: object) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection): such a cell starts with an apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(('=', '+', '-', '@', '\t', '\r')) else text


def export_csv(actor: User, request_id: int | None = None) -> str:
    """The log as CSV (one request's events for any handler; the whole log for admins). The export is logged too."""
    _require_staff(actor)
    if request_id is None and actor.role != UserRole.ADMIN:
        raise AuditForbidden
    with session_scope() as db:
        if request_id is not None and db.get(ServiceRequest, request_id) is None:
            raise LookupError(request_id)
        query = select(AuditEvent).order_by(col(AuditEvent.at), col(AuditEvent.id))
        if request_id is not None:
            query = query.where(AuditEvent.request_id == request_id)
        rows = _rows(db, query)
        record(db, actor, 'audit_exported', request_id=request_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=';')  # Finnish spreadsheets expect semicolons
    writer.writerow([t('Aika'), t('Tekijä'), t('Palvelupyyntö'), t('Tapahtuma'), t('Koodi'), t('Tiedot')])
    for row in rows:
        writer.writerow([_cell(value) for value in (format_datetime(row.at), row.actor, row.request_id or '',
                                                      row.label, row.action, row.details_text)])
    return buffer.getvalue()
