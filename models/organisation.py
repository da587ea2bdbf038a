"""Regions of the centre and the customer organisations (municipalities) it serves."""
from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from locales import DEFAULT_LANGUAGE, pick

from .common import utcnow


class NamedInLanguages:
    """A row whose `name` is Finnish and whose `name_translations` holds its Swedish and English forms."""

    name: str
    name_translations: dict

    def local_name(self) -> str:
        """The name in the language being rendered, the Finnish name where it has no other form."""
        return pick({DEFAULT_LANGUAGE: self.name, **(self.name_translations or {})})


class Region(NamedInLanguages, SQLModel, table=True):
    """A service region (ALUE) with the centre's contact details for it (YHTEYSTIEDOT)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=100)
    # The name in Swedish and English where it has its own form ({"sv": "Mellersta Finland", "en": ...}).
    name_translations: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    phone: str = Field(default='', max_length=40)
    email: str = Field(default='', max_length=200)
    address: str = Field(default='', max_length=300)
    # Service hours as free text per language: {"fi": "ma–pe 9–15", "sv": ..., "en": ...}
    service_hours: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The front page heading per language ("Monetra Keski-Suomen asiakaspalveluportaali"): Finnish inflects the
    # region's name, so the whole heading is data rather than a template.
    portal_title: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Organisation(NamedInLanguages, SQLModel, table=True):
    """A customer organisation (kohdeorganisaatio), e.g. Jyväskylän kaupunki."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=200)
    # "Jyväskylä stad", "City of Jyväskylä": {"sv": ..., "en": ...}; the Finnish name is the one forms record.
    name_translations: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    business_id: str = Field(index=True, unique=True, max_length=9)
    region_id: int = Field(foreign_key='region.id', index=True)
    active: bool = Field(default=True)


class Representation(SQLModel, table=True):
    """A user's right to act for a customer organisation (Organisaation edustajana asiointi)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='user.id', index=True)
    organisation_id: int = Field(foreign_key='organisation.id', index=True)
    granted_by_id: int | None = Field(default=None, foreign_key='user.id')
    granted_at: datetime = Field(default_factory=utcnow)
