"""Emails waiting to be delivered: written in the same transaction as the event that causes them."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .common import enum_column, utcnow


class EmailStatus(StrEnum):
    PENDING = 'pending'
    SENDING = 'sending'
    SENT = 'sent'
    FAILED = 'failed'


class OutboxEmail(SQLModel, table=True):
    __table_args__ = (Index('ix_outbox_status_next', 'status', 'next_attempt_at'),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    recipient: str = Field(max_length=254)
    language: str = Field(default='fi', max_length=2)
    subject: str = Field(max_length=300)
    body_text: str
    body_html: str
    request_id: int | None = Field(default=None, foreign_key='servicerequest.id', index=True)
    status: EmailStatus = Field(default=EmailStatus.PENDING, sa_type=enum_column(EmailStatus))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None  # a delivering instance's claim; expires if it dies
    locked_by: str | None = Field(default=None, max_length=100)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
