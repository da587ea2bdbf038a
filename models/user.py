"""People who sign in, their server-side sessions and the login throttle."""
from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from .common import enum_column, utcnow
from .encrypted import EncryptedString


class UserRole(StrEnum):
    CITIZEN = 'citizen'
    REPRESENTATIVE = 'representative'
    HANDLER = 'handler'
    ADMIN = 'admin'


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    role: UserRole = Field(default=UserRole.CITIZEN, index=True, sa_type=enum_column(UserRole))
    given_name: str = Field(default='', max_length=100)
    surname: str = Field(default='', max_length=100)
    display_name: str = Field(default='', max_length=200)
    email: str = Field(default='', max_length=254)
    email_allowed: bool = Field(default=False)  # "Minulle saa lähettää sähköpostia"
    phone: str = Field(default='', max_length=20)  # E.164
    username: str | None = Field(default=None, unique=True, index=True, max_length=254)
    password_hash: str | None = Field(default=None, max_length=200)
    # The identity number is never stored in clear: a keyed hash to recognise the person, a masked form to show.
    identity_hash: str | None = Field(default=None, unique=True, index=True, max_length=64)
    identity_masked: str | None = Field(default=None, max_length=11)
    language: str = Field(default='fi', max_length=2)
    totp_secret: str | None = Field(default=None, sa_type=EncryptedString)  # encrypted at rest (models/encrypted.py)
    # The 30-second time step of the last accepted TOTP code: a code is accepted once, and never an older one.
    totp_last_step: int | None = None
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    registered_at: datetime | None = None  # None until the first-login registration form is done
    last_login_at: datetime | None = None
    deletion_requested_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return self.display_name or f'{self.given_name} {self.surname}'.strip() or (self.username or '')

    @property
    def is_staff(self) -> bool:
        return self.role in (UserRole.HANDLER, UserRole.ADMIN)


class UserSession(SQLModel, table=True):
    """A signed-in session; the browser holds only its random id, so sign-out ends it everywhere."""

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='user.id', index=True)
    auth_method: str = Field(max_length=20)  # saml / password
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    # Kept for SAML single logout, which must work on any instance after a restart.
    saml_name_id: str | None = Field(default=None, max_length=2000)
    saml_session_index: str | None = Field(default=None, max_length=200)
    saml_issuer: str | None = Field(default=None, max_length=500)


class LoginThrottle(SQLModel, table=True):
    """Sign-in attempts counted per key (an account at an address, an address, an account, a second factor …).

    An attempt is taken before the password is checked, and the next one is allowed only from `not_before`: the first
    few come at once, then each waits twice as long as the one before, up to a cap (`auth.throttle`).
    """

    key: str = Field(primary_key=True, max_length=300)
    attempts: int = Field(default=0)
    last_attempt_at: datetime = Field(default_factory=utcnow)
    not_before: datetime = Field(default_factory=utcnow)
