"""SAML protocol state shared by all instances, and API clients of back-office systems."""
from datetime import datetime

from sqlmodel import Field, SQLModel

from .common import utcnow


class SamlPendingRequest(SQLModel, table=True):
    """An AuthnRequest sent to the IdP; answerable once, found by an opaque RelayState."""

    request_id: str = Field(primary_key=True, max_length=100)
    relay_state: str = Field(unique=True, index=True, max_length=80)
    return_to: str = Field(default='/paasivu', max_length=300)
    # The landing choice and language made before leaving for the IdP (its POST back carries no Lax cookie).
    profile: str = Field(default='private', max_length=20, sa_column_kwargs={'server_default': 'private'})
    organisation_id: int | None = None
    language: str = Field(default='fi', max_length=2, sa_column_kwargs={'server_default': 'fi'})
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class SamlSeenAssertion(SQLModel, table=True):
    """Assertion ids already accepted, kept until they expire, so a replay is refused."""

    assertion_id: str = Field(primary_key=True, max_length=100)
    expires_at: datetime = Field(index=True)


class ApiClient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    key_prefix: str = Field(index=True, max_length=12)
    key_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
