"""Who did what and when: state, stage and assignment changes, messages, views of identity numbers."""
from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from .common import utcnow


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key='user.id', index=True)
    request_id: int | None = Field(default=None, foreign_key='servicerequest.id', index=True)
    action: str = Field(max_length=60)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
