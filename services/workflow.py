"""The life of a citizen's service request up to sending: draft, save answers and step, validate, send.

No UI here: the wizard calls these functions, and tests call them without a browser. Every function takes the
signed-in user's id and checks ownership in the database itself (`RequestNotAvailable` otherwise, which the pages
turn into "not found" so that other people's request numbers reveal nothing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import (
    FIRST_STAGE,
    Attachment,
    AttachmentBlob,
    AuditEvent,
    Message,
    MessageKind,
    Organisation,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    utcnow,
)
from models.db import session_scope

from . import attachments as attachment_store
from . import live, notifications
from .fields import field_type
from .forms import FormDefinition, get_form
from .forms.versions import form_for_request, publish
from .text_hygiene import clean_value
from .validation import Context, check_field


class RequestNotAvailable(LookupError):
    """No such request, not this user's, or not editable now (the pages show 'not found')."""


@dataclass(frozen=True)
class EditableRequest:
    number: int
    form: FormDefinition
    answers: dict
    current_step: int
    completion_requested: bool
    attachments: dict[str, list[Attachment]]
    completion_note: str = ''  # the handler's request for more information, shown above the form


@dataclass
class StepResult:
    answers: dict = field(default_factory=dict)  # normalised answers of the checked fields
    errors: dict[str, str] = field(default_factory=dict)  # field name → message

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SendResult:
    number: int
    sent_now: bool  # False when it had already been sent (a double click): nothing was done twice


def organisation_names() -> tuple[str, ...]:
    with session_scope() as db:
        return tuple(db.exec(select(Organisation.name).where(Organisation.active).order_by(Organisation.name)).all())


def validation_context(today: date | None = None) -> Context:
    return Context(organisation_names=organisation_names(), today=today)


def prefill_answers(form: FormDefinition, user: User, target_organisation: str | None) -> dict:
    """The first answers of a new form from the signed-in user's details (`FieldDefinition.prefill`)."""
    sources = {'given_name': user.given_name, 'surname': user.surname, 'email': user.email, 'phone': user.phone,
               'target_organisation': target_organisation or ''}
    return {f.name: sources.get(f.prefill, '') for f in form.field_map.values() if f.prefill}


def validate_step(form: FormDefinition, step_index: int, answers: dict, *, attachment_counts: dict[str, int],
                  context: Context) -> StepResult:
    """Check the fields of one step that are shown for these answers; hidden (conditional) fields are skipped."""
    result = StepResult()
    for definition in form.visible_fields(step_index, answers):
        files = field_type(definition).files
        raw = attachment_counts.get(definition.name, 0) if files else answers.get(definition.name, '')
        checked = check_field(definition, raw, context)
        if checked.ok:
            if not files:
                result.answers[definition.name] = checked.value
        else:
            result.errors[definition.name] = checked.error or ''
    return result


def validate_all(form: FormDefinition, answers: dict, *, attachment_counts: dict[str, int],
                 context: Context) -> dict[int, StepResult]:
    """Every step's result, for sending: {step index: result} of the steps with errors."""
    results = {index: validate_step(form, index, answers, attachment_counts=attachment_counts, context=context)
               for index in range(len(form.steps))}
    return {index: result for index, result in results.items() if not result.ok}


def _stored_answers(form: FormDefinition, answers: dict) -> dict:
    """Only the form's own fields, as JSON-friendly values; typed text is kept even when not (yet) valid."""
    return {name: field_type(definition).normalise(answers[name], definition)
            for name, definition in form.field_map.items() if name in answers and not field_type(definition).files}


def _on_behalf_of(answers: dict) -> str | None:
    if not answers.get('on_behalf'):
        return None
    who = str(answers.get('represented_name', '')).strip()
    basis = str(answers.get('represented_relation', '')).strip()
    text = f'{who} ({basis})' if who and basis else who or basis
    return text[:200] or None


def _organisation_id(db: Session, name: object) -> int | None:
    if not isinstance(name, str) or not name.strip():
        return None
    return db.exec(select(Organisation.id).where(Organisation.name == name.strip())).first()


def _editable(db: Session, user_id: int, number: int) -> ServiceRequest:
    """The user's own request that may still be edited: a draft (also one reopened for completion)."""
    request = db.get(ServiceRequest, number)
    if request is None or request.owner_id != user_id or request.status != RequestStatus.DRAFT \
            or get_form(request.service_code) is None:
        raise RequestNotAvailable(number)
    return request


def _apply_answers(db: Session, request: ServiceRequest, form: FormDefinition, answers: dict) -> None:
    request.answers = {**request.answers, **_stored_answers(form, answers)}
    request.form_version = publish(db, form)  # filled in with the form as it is now
    request.on_behalf_of = _on_behalf_of(request.answers)
    organisation_id = _organisation_id(db, request.answers.get('organisation'))
    if organisation_id is not None:
        request.organisation_id = organisation_id
    request.modified_at = utcnow()


def create_draft(user_id: int, form_code: str, answers: dict, *, step: int = 0,
                 organisation_id: int | None = None, representing_organisation_id: int | None = None) -> int:
    """A new draft of the user's; returns its number."""
    form = get_form(form_code)
    if form is None:
        raise RequestNotAvailable(form_code)
    with session_scope() as db:
        request = ServiceRequest(service_code=form.code, owner_id=user_id, organisation_id=organisation_id,
                                 representing_organisation_id=representing_organisation_id,
                                 current_step=_clamp_step(form, step), answers={})
        _apply_answers(db, request, form, answers)
        db.add(request)
        db.flush()
        db.add(AuditEvent(actor_id=user_id, request_id=request.id, action='draft_created',
                          details={'service': form.code}))
        assert request.id is not None
        return request.id


def _clamp_step(form: FormDefinition, step: int) -> int:
    # One past the last step is the preview.
    return max(0, min(step, len(form.steps)))


def open_draft(user_id: int, number: int) -> EditableRequest:
    """The user's draft for the form, with its answers, step and attachments."""
    with session_scope() as db:
        request = _editable(db, user_id, number)
        form = get_form(request.service_code)
        assert form is not None
        files: dict[str, list[Attachment]] = {}
        for attachment in attachment_store.list_attachments(db, number):
            if attachment.message_id is None:
                files.setdefault(attachment.field_name, []).append(attachment)
        note = ''
        if request.completion_requested:
            asked = db.exec(select(Message).where(Message.request_id == number,
                                                  Message.kind == MessageKind.INFO_REQUEST)
                            .order_by(col(Message.created_at).desc(), col(Message.id).desc())).first()
            note = asked.body if asked else ''
            # Reading the note on the form is reading the message: its "Uusia viestejä" count goes.
            db.exec(update(Message).where(col(Message.request_id) == number, col(Message.read_at).is_(None),
                                          col(Message.kind) == MessageKind.INFO_REQUEST).values(read_at=utcnow()))
        return EditableRequest(number=number, form=form, answers=dict(request.answers),
                               current_step=_clamp_step(form, request.current_step),
                               completion_requested=request.completion_requested, attachments=files,
                               completion_note=note)


def save_progress(user_id: int, number: int, answers: dict, step: int) -> None:
    """Keep what has been typed and where the user is, valid or not (a draft may be unfinished)."""
    with session_scope() as db:
        request = _editable(db, user_id, number)
        form = get_form(request.service_code)
        assert form is not None
        _apply_answers(db, request, form, answers)
        request.current_step = _clamp_step(form, step)
        db.add(request)


def add_attachment(user_id: int, number: int, field_name: str, filename: str, data: bytes) -> Attachment:
    """Check a file by its content and the limits, then store it with the user's draft.

    Raises `attachments.AttachmentRefused` with a message for the user.
    """
    with session_scope() as db:
        request = _editable(db, user_id, number)
        form = get_form(request.service_code)
        assert form is not None
        definition = form.field_map.get(field_name)
        if definition is None or not field_type(definition).files:
            raise RequestNotAvailable(field_name)
        checked = attachment_store.check_upload(filename, data,
                                                already_attached_bytes=attachment_store.attached_bytes(db, number),
                                                already_attached_count=attachment_store.attached_count(db, number))
        uploader = db.get(User, user_id)
        assert uploader is not None
        attachment = attachment_store.store_attachment(db, request, uploader, checked, field_name=field_name)
        request.modified_at = utcnow()
        db.add(request)
        return attachment


def remove_attachment(user_id: int, number: int, attachment_id: int) -> None:
    """Remove a file from the user's draft (a sent request's files stay as sent)."""
    with session_scope() as db:
        _editable(db, user_id, number)
        attachment = db.get(Attachment, attachment_id)
        if attachment is None or attachment.request_id != number or attachment.message_id is not None:
            raise RequestNotAvailable(attachment_id)
        blob = db.get(AttachmentBlob, attachment_id)
        if blob is not None:
            db.delete(blob)
            db.flush()
        db.delete(attachment)


def attachment_counts(db: Session, number: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for attachment in attachment_store.list_attachments(db, number):
        if attachment.message_id is None:
            counts[attachment.field_name] = counts.get(attachment.field_name, 0) + 1
    return counts


class RequestIncomplete(ValueError):
    """Sending was refused: some answers are missing or wrong (`steps` holds them by step)."""

    def __init__(self, steps: dict[int, StepResult]) -> None:
        super().__init__('request incomplete')
        self.steps = steps


def send_request(user_id: int, number: int, *, context: Context | None = None) -> SendResult:
    """Send the user's draft: validate every step, then change draft → sent in one conditional UPDATE.

    A second send of the same request (a double click, two tabs) finds no draft row to update and does nothing, so
    the request is sent, staged and e-mailed once.
    """
    context = context or validation_context()
    with session_scope() as db:
        request = db.get(ServiceRequest, number)
        if request is None or request.owner_id != user_id:
            raise RequestNotAvailable(number)
        if request.status != RequestStatus.DRAFT:
            return SendResult(number, sent_now=False)
        form = get_form(request.service_code)
        if form is None:
            raise RequestNotAvailable(number)
        problems = validate_all(form, request.answers, attachment_counts=attachment_counts(db, number),
                                context=context)
        if problems:
            raise RequestIncomplete(problems)
        normalised = dict(request.answers)
        for index in range(len(form.steps)):
            normalised |= validate_step(form, index, request.answers, attachment_counts={}, context=context).answers
        resent = request.completion_requested
        now = utcnow()
        # A Core UPDATE passes no session flush: clean the answers here (services/text_hygiene.py).
        values: dict = {'status': RequestStatus.SENT, 'answers': clean_value(normalised), 'completion_requested': False,
                        'modified_at': now, 'current_step': len(form.steps),
                        'version': col(ServiceRequest.version) + 1}
        if resent:
            values['citizen_replied'] = True  # the handler who asked sees that the completion has come
        else:
            values |= {'stage': FIRST_STAGE, 'sent_at': now}
        result = db.exec(update(ServiceRequest)
                         .where(col(ServiceRequest.id) == number, col(ServiceRequest.owner_id) == user_id,
                                col(ServiceRequest.status) == RequestStatus.DRAFT)
                         .values(**values))
        if result.rowcount != 1:
            return SendResult(number, sent_now=False)
        if not resent:
            db.add(StageChange(request_id=number, stage=FIRST_STAGE, changed_by_id=user_id, changed_at=now))
        db.add(AuditEvent(actor_id=user_id, request_id=number, action='request_resent' if resent else 'request_sent',
                          details={'service': form.code}))
        live.publish_after_commit(db, live.QUEUE_TOPIC, 'sent', request=number, actor=user_id)
        live.publish_after_commit(db, live.request_topic(number), 'sent', request=number, actor=user_id)
        db.flush()
        db.refresh(request)
        _notify_sent(db, request)
        return SendResult(number, sent_now=True)


def withdraw_request(user_id: int, number: int) -> None:
    """Withdraw a request the centre returned for completion: the citizen no longer wants it handled.

    Once sent it is the centre's record too, so it is not deleted: it is closed as withdrawn (Valmiit), its history
    kept, in one conditional UPDATE so a withdrawal racing a resend does one or the other.
    """
    from .stages import FINAL_STAGE

    with session_scope() as db:
        request = _editable(db, user_id, number)
        if not request.completion_requested:
            raise RequestNotAvailable(number)  # a draft never sent is deleted instead
        now, previous_stage = utcnow(), request.stage
        text = 'Asiakas perui palvelupyynnön.'
        result = db.exec(update(ServiceRequest)
                         .where(col(ServiceRequest.id) == number, col(ServiceRequest.owner_id) == user_id,
                                col(ServiceRequest.status) == RequestStatus.DRAFT,
                                col(ServiceRequest.completion_requested))
                         .values(status=RequestStatus.DONE, completion_requested=False, resolution=text,
                                 resolved_at=now, modified_at=now, stage=FINAL_STAGE,
                                 version=col(ServiceRequest.version) + 1))
        if result.rowcount != 1:
            raise RequestNotAvailable(number)
        if previous_stage != FINAL_STAGE:
            db.add(StageChange(request_id=number, stage=FINAL_STAGE, changed_by_id=user_id, changed_at=now))
        db.add(AuditEvent(actor_id=user_id, request_id=number, action='request_withdrawn',
                          details={'service': request.service_code}))
        live.publish_after_commit(db, live.QUEUE_TOPIC, 'withdrawn', request=number, actor=user_id)
        live.publish_after_commit(db, live.request_topic(number), 'withdrawn', request=number, actor=user_id)


@dataclass(frozen=True)
class SentRequest:
    """A request of the user's that has been sent, for the confirmation page and the PDF receipt."""

    number: int
    form: FormDefinition
    answers: dict
    status: RequestStatus
    stage: str
    sent_at: datetime | None
    email: str
    attachment_names: dict[str, list[str]]


def sent_request(user_id: int, number: int) -> SentRequest:
    """The user's own sent (or resolved) request; drafts and other people's requests are not available."""
    with session_scope() as db:
        request = db.get(ServiceRequest, number)
        form = form_for_request(db, request.service_code, request.form_version) if request is not None else None
        if request is None or form is None or request.owner_id != user_id or request.status == RequestStatus.DRAFT:
            raise RequestNotAvailable(number)
        names: dict[str, list[str]] = {}
        for attachment in attachment_store.list_attachments(db, number):
            if attachment.message_id is None:
                names.setdefault(attachment.field_name, []).append(attachment.filename)
        return SentRequest(number=number, form=form, answers=dict(request.answers), status=request.status,
                           stage=request.stage, sent_at=request.sent_at,
                           email=str(request.answers.get('email') or ''), attachment_names=names)


def _notify_sent(db: Session, request: ServiceRequest) -> None:
    """The receipt e-mail goes to the outbox in the same transaction as the send, so it is sent exactly once."""
    notifications.request_sent(db, request)
