"""A citizen's own service requests: the Oma asiointi lists and counts, one request's details, deleting a draft.

Every function takes the owner (their id for the lists, the acting `User` elsewhere) and filters on it in the query,
so nothing here can show or change another person's request. A request that is missing and one that belongs to
someone else both raise `RequestNotFound`, so the two cannot be told apart from outside.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, delete, select, update

from locales import t
from models import (
    Attachment,
    AttachmentBlob,
    AuditEvent,
    Message,
    MessageKind,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    saved_id,
)
from models.db import session_scope

from . import audit
from .catalogue import service_title
from .forms import FORMS, FormDefinition
from .forms.versions import form_for_request

# Messages from the centre that the citizen sees and that count as "Uusia viestejä" until read.
CENTRE_MESSAGE_KINDS = (MessageKind.MESSAGE, MessageKind.QUESTION, MessageKind.INFO_REQUEST, MessageKind.RESOLUTION)
SORTABLE_COLUMNS: dict[str, Mapped[Any]] = {
    'number': col(ServiceRequest.id), 'created': col(ServiceRequest.created_at),
    'modified': col(ServiceRequest.modified_at)}


@dataclass(frozen=True)
class RequestRow:
    number: int
    service_code: str
    status: RequestStatus
    stage: str
    created_at: datetime
    modified_at: datetime
    unread: int
    completion_requested: bool
    sent_at: datetime | None

    @property
    def deletable(self) -> bool:
        """Only a draft never sent may be deleted; one reopened for completion is the centre's record too."""
        return self.status == RequestStatus.DRAFT and self.sent_at is None

    @property
    def title(self) -> str:
        """'5474 : Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten' in the current language."""
        return f'{self.number} : {t(service_title(self.service_code))}'


@dataclass(frozen=True)
class RequestPage:
    rows: list[RequestRow]
    total: int


def count_by_status(owner_id: int) -> dict[RequestStatus, int]:
    with session_scope() as db:
        counts = dict(db.exec(select(ServiceRequest.status, func.count()).where(ServiceRequest.owner_id == owner_id)
                              .group_by(ServiceRequest.status)).all())
    return {status: counts.get(status, 0) for status in RequestStatus}


def unread_by_status(owner_id: int) -> dict[RequestStatus, int]:
    """How many of the centre's messages the owner has not read yet, per tab (Lähetetyt, Valmiit, a returned draft)."""
    with session_scope() as db:
        counts = dict(db.exec(
            select(ServiceRequest.status, func.count())
            .join(Message, Message.request_id == ServiceRequest.id)  # type: ignore[arg-type]
            .where(ServiceRequest.owner_id == owner_id, col(Message.read_at).is_(None),
                   col(Message.kind).in_(CENTRE_MESSAGE_KINDS))
            .group_by(ServiceRequest.status)).all())
    return {status: counts.get(status, 0) for status in RequestStatus}


def _matching_service_codes(search: str) -> list[str]:
    needle = search.casefold()
    return [code for code, form in FORMS.items() if needle in t(form.title).casefold()]


def list_requests(owner_id: int, status: RequestStatus, *, search: str = '', sort_by: str = 'modified',
                  descending: bool = True, page: int = 1, per_page: int = 10) -> RequestPage:
    """One page of the owner's requests in one tab, with each row's count of unread messages from the centre."""
    conditions: list[ColumnElement[bool]] = [col(ServiceRequest.owner_id) == owner_id,
                                             col(ServiceRequest.status) == status]
    search = search.strip()
    if search:
        matches: list[ColumnElement[bool]] = [col(ServiceRequest.service_code).in_(_matching_service_codes(search))]
        if search.isdigit():
            matches.append(col(ServiceRequest.id) == int(search))
        conditions.append(or_(*matches))
    order_column = SORTABLE_COLUMNS.get(sort_by, SORTABLE_COLUMNS['modified'])
    order = order_column.desc() if descending else order_column.asc()
    unread = (select(func.count()).where(Message.request_id == ServiceRequest.id, col(Message.read_at).is_(None),
                                         col(Message.kind).in_(CENTRE_MESSAGE_KINDS))
              .correlate(ServiceRequest).scalar_subquery())
    page = max(page, 1)
    with session_scope() as db:
        total = db.exec(select(func.count()).select_from(ServiceRequest).where(*conditions)).one()
        results = db.exec(
            # sqlmodel's select() has typed overloads for at most four columns; the rows are read as Any below.
            select(ServiceRequest.id, ServiceRequest.service_code,  # type: ignore[call-overload]
                   ServiceRequest.status, ServiceRequest.stage,
                   ServiceRequest.created_at, ServiceRequest.modified_at, unread,
                   ServiceRequest.completion_requested, ServiceRequest.sent_at)
            .where(*conditions).order_by(order, col(ServiceRequest.id).desc())
            .offset((page - 1) * per_page).limit(per_page)
        ).all()
    return RequestPage(rows=[RequestRow(*row) for row in results], total=total)


class RequestNotFound(LookupError):
    """No such request for this user: missing or someone else's, deliberately the same."""


def owned_request(db: Session, user: User, number: int) -> ServiceRequest:
    """The user's own request with this number (in the caller's transaction), else `RequestNotFound`."""
    request = db.exec(select(ServiceRequest).where(ServiceRequest.id == number,
                                                   ServiceRequest.owner_id == user.id)).first()
    if request is None:
        raise RequestNotFound(number)
    return request


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    size: int
    created_at: datetime
    field_name: str
    message_id: int | None


@dataclass(frozen=True)
class StageInfo:
    stage: str
    changed_at: datetime


@dataclass(frozen=True)
class RequestDetail:
    number: int
    service_code: str
    status: RequestStatus
    stage: str
    answers: dict
    created_at: datetime
    modified_at: datetime
    sent_at: datetime | None
    resolved_at: datetime | None
    resolution: str | None
    completion_requested: bool
    attachments: list[AttachmentInfo]  # those of the form itself; a message's own travel with the message
    stages: list[StageInfo]
    form_version: int | None = None
    form: FormDefinition | None = None  # the version it was filled in with (None: its service has no form now)

    @property
    def title(self) -> str:
        return f'{self.number} : {t(service_title(self.service_code))}'

    @property
    def reopened(self) -> bool:
        """Sent once and returned to the citizen for completion (a draft again, with a thread)."""
        return self.status == RequestStatus.DRAFT and self.sent_at is not None


def attachment_infos(db: Session, request_id: int) -> list[AttachmentInfo]:
    """Metadata of every attachment of a request (never the bytes), oldest first."""
    # sqlmodel's select() has typed overloads for at most four columns; the rows are read as Any below.
    rows = db.exec(select(Attachment.id, Attachment.filename,  # type: ignore[call-overload]
                          Attachment.size, Attachment.created_at, Attachment.field_name, Attachment.message_id)
                   .where(Attachment.request_id == request_id).order_by(col(Attachment.id))).all()
    return [AttachmentInfo(*row) for row in rows]


def get_request_detail(user: User, number: int) -> RequestDetail:
    """The user's own request with its form attachments and stage history, else `RequestNotFound`."""
    with session_scope() as db:
        request = owned_request(db, user, number)
        stages = db.exec(select(StageChange.stage, StageChange.changed_at)
                         .where(StageChange.request_id == number)
                         .order_by(col(StageChange.changed_at), col(StageChange.id))).all()
        attachments = [a for a in attachment_infos(db, number) if a.message_id is None]
        return RequestDetail(
            number=saved_id(request), service_code=request.service_code, status=request.status, stage=request.stage,
            answers=dict(request.answers), created_at=request.created_at, modified_at=request.modified_at,
            sent_at=request.sent_at, resolved_at=request.resolved_at, resolution=request.resolution,
            completion_requested=request.completion_requested, attachments=attachments,
            stages=[StageInfo(*row) for row in stages], form_version=request.form_version,
            form=form_for_request(db, request.service_code, request.form_version))


def delete_draft(user: User, number: int) -> None:
    """Delete the user's own draft with its attachments. A request once sent (even if reopened for completion) is
    the centre's record too and cannot be deleted: `RequestNotFound` as for any request that is not a deletable
    draft of this user."""
    with session_scope() as db:
        request = owned_request(db, user, number)
        if request.status != RequestStatus.DRAFT or request.sent_at is not None:
            raise RequestNotFound(number)
        attachment_ids = select(Attachment.id).where(Attachment.request_id == number)
        db.exec(delete(AttachmentBlob).where(col(AttachmentBlob.attachment_id).in_(attachment_ids)))
        db.exec(delete(Attachment).where(col(Attachment.request_id) == number))
        db.exec(delete(Message).where(col(Message.request_id) == number))
        db.exec(delete(StageChange).where(col(StageChange.request_id) == number))
        # The audit trail outlives the draft: earlier events keep their details, only the link to the row goes.
        db.exec(update(AuditEvent).where(col(AuditEvent.request_id) == number).values(request_id=None))
        db.delete(request)
        audit.record(db, user, 'draft_deleted', request_number=number, service_code=request.service_code)
