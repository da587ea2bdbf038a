"""Services, the requests citizens file, their attachments, messages and stage history."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from .common import enum_column, utcnow


class ServiceAudience(StrEnum):
    PRIVATE = 'private'
    ORGANISATION = 'organisation'
    BOTH = 'both'


class RequestStatus(StrEnum):
    DRAFT = 'draft'
    SENT = 'sent'
    DONE = 'done'


class MessageKind(StrEnum):
    MESSAGE = 'message'  # from the centre
    QUESTION = 'question'  # from the centre, expects an answer
    INFO_REQUEST = 'info_request'  # from the centre, reopens the request for completion
    RESOLUTION = 'resolution'  # from the centre, resolves the request
    REPLY = 'reply'  # from the citizen
    NOTE = 'note'  # internal: never shown to the citizen


FIRST_STAGE = 'Vireillepano/-tulo'


class Service(SQLModel, table=True):
    """A service in the catalogue; its form is defined in `services.forms` under the same code."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60)
    audience: ServiceAudience = Field(default=ServiceAudience.PRIVATE, sa_type=enum_column(ServiceAudience))
    active: bool = Field(default=True)
    position: int = Field(default=0)


class ServiceRequest(SQLModel, table=True):
    """A palvelupyyntö. Its id is the number people see and quote ("5474 : Tilinumeron ilmoittaminen ...")."""

    __table_args__ = (
        Index('ix_request_owner_status_modified', 'owner_id', 'status', 'modified_at'),
        Index('ix_request_status_sent', 'status', 'sent_at'),
        # The handlers' queue at scale (migration 0003, measured in bench/database.py).
        Index('ix_request_status_handler_sent', 'status', 'assigned_handler_id', 'sent_at'),
        Index('ix_request_status_replied_sent', 'status', 'citizen_replied', 'sent_at'),
        Index('ix_request_status_completion_sent', 'status', 'completion_requested', 'sent_at'),
        Index('ix_request_sent_id', 'sent_at', 'id'),
    )

    id: int | None = Field(default=None, primary_key=True)
    service_code: str = Field(index=True, max_length=60)
    # The `FormVersion` of its service it was filled in with (None: not recorded, read with the current form).
    form_version: int | None = Field(default=None)
    owner_id: int = Field(foreign_key='user.id')
    organisation_id: int | None = Field(default=None, foreign_key='organisation.id', index=True)  # target
    representing_organisation_id: int | None = Field(default=None, foreign_key='organisation.id')
    on_behalf_of: str | None = Field(default=None, max_length=200)  # "Asioi toisen puolesta": who is represented
    status: RequestStatus = Field(default=RequestStatus.DRAFT, sa_type=enum_column(RequestStatus))
    stage: str = Field(default=FIRST_STAGE, max_length=100)
    current_step: int = Field(default=0)
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    completion_requested: bool = Field(default=False)  # the centre asked for more information
    citizen_replied: bool = Field(default=False)  # an answer from the citizen waits for a handler
    assigned_handler_id: int | None = Field(default=None, foreign_key='user.id', index=True)
    resolution: str | None = None
    version: int = Field(default=1)  # optimistic locking between handlers
    created_at: datetime = Field(default_factory=utcnow)
    modified_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    resolved_at: datetime | None = None


class StageChange(SQLModel, table=True):
    """The history of processing stages shown with a request."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key='servicerequest.id', index=True)
    stage: str = Field(max_length=100)
    changed_by_id: int | None = Field(default=None, foreign_key='user.id')
    changed_at: datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    __table_args__ = (Index('ix_message_request_read', 'request_id', 'read_at'),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key='servicerequest.id', index=True)
    author_id: int | None = Field(default=None, foreign_key='user.id')
    kind: MessageKind = Field(sa_type=enum_column(MessageKind))
    body: str
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None  # when the other side (citizen or handler) opened it


class Attachment(SQLModel, table=True):
    """Metadata of an uploaded file; the bytes live in `AttachmentBlob` so listings never load them."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key='servicerequest.id', index=True)
    message_id: int | None = Field(default=None, foreign_key='message.id')
    field_name: str = Field(default='attachments', max_length=60)
    uploaded_by_id: int | None = Field(default=None, foreign_key='user.id')
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class AttachmentBlob(SQLModel, table=True):
    attachment_id: int = Field(foreign_key='attachment.id', primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
