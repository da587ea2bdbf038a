"""Published versions of the service forms: what each request was filled in with."""
from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from .common import utcnow


class FormVersion(SQLModel, table=True):
    """One published form definition (`services.forms.versions`): its content as JSON with every text in Finnish,
    Swedish and English, and the hash of that content. A request records the number (`ServiceRequest.form_version`),
    so it reads with the labels it was filled in with after the form has changed."""

    __table_args__ = (UniqueConstraint('service_code', 'version', name='uq_formversion_code_version'),)

    id: int | None = Field(default=None, primary_key=True)
    service_code: str = Field(index=True, max_length=60)
    version: int  # 1, 2, … per service
    content: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)  # SHA-256 of the content as canonical JSON
    created_at: datetime = Field(default_factory=utcnow)
