"""Content kept in data: news (Ajankohtaista) and accessibility feedback."""
from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from .common import utcnow


class NewsItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    region_id: int | None = Field(default=None, foreign_key='region.id')  # None: every region
    # Texts per language: {"fi": ..., "sv": ..., "en": ...}; Finnish is the fallback.
    title: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    body: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    published_at: datetime = Field(default_factory=utcnow, index=True)
    active: bool = Field(default=True)


class AccessibilityFeedback(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    page: str = Field(default='', max_length=300)
    email: str = Field(default='', max_length=254)
    body: str
    language: str = Field(default='fi', max_length=2)
    handled_at: datetime | None = None
