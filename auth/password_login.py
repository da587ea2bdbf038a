"""Sign-in with a username and password: argon2 hashes, one generic error, throttling and temporary lockout.

Failures are counted per account name and per client address, so neither guessing many passwords for one account
nor one password across many accounts gets far.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, func, select

from models import LoginThrottle, User, utcnow
from models.db import session_scope
from portal.metrics import count_refusal
from services.passwords import verify_password

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


class LoginOutcome(StrEnum):
    OK = 'ok'
    NEEDS_SECOND_FACTOR = 'totp'
    INVALID = 'invalid'
    LOCKED = 'locked'


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user_id: int | None = None


def _throttle_keys(username: str, address: str) -> tuple[str, str]:
    return f'account:{username.strip().lower()}', f'address:{address}'


def _is_locked(db: Session, key: str) -> bool:
    row = db.get(LoginThrottle, key)
    return bool(row and row.locked_until and row.locked_until > utcnow())


def _record_failure(db: Session, key: str, limit: int) -> None:
    now = utcnow()
    row = db.get(LoginThrottle, key)
    if row is None or now - row.first_failure_at > FAILURE_WINDOW:
        row = row or LoginThrottle(key=key)
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + LOCKOUT
    db.add(row)


def authenticate(username: str, password: str, address: str) -> LoginResult:
    """Check a username and password; count the failure or clear the account's count on success."""
    account_key, address_key = _throttle_keys(username, address)
    with session_scope() as db:
        if _is_locked(db, account_key) or _is_locked(db, address_key):
            count_refusal('password', 'locked')
            return LoginResult(LoginOutcome.LOCKED)
        user = db.exec(select(User).where(func.lower(User.username) == username.strip().lower())).first()
        valid = verify_password(user.password_hash if user else None, password)
        if user is None or not valid or not user.active:
            _record_failure(db, account_key, MAX_FAILURES_PER_ACCOUNT)
            _record_failure(db, address_key, MAX_FAILURES_PER_ADDRESS)
            count_refusal('password', 'invalid')
            return LoginResult(LoginOutcome.INVALID)
        throttle = db.get(LoginThrottle, account_key)
        if throttle is not None:
            db.delete(throttle)
        if user.totp_secret:
            return LoginResult(LoginOutcome.NEEDS_SECOND_FACTOR, user.id)
        return LoginResult(LoginOutcome.OK, user.id)


def verify_second_factor(user_id: int, code: str, address: str) -> bool:
    """A TOTP code of the user's authenticator (handlers and admins); failures count like password failures."""
    import pyotp

    _account_key, address_key = _throttle_keys(f'totp:{user_id}', address)
    with session_scope() as db:
        user = db.get(User, user_id)
        key = f'totp:{user_id}'
        if user is None or not user.totp_secret or _is_locked(db, key) or _is_locked(db, address_key):
            count_refusal('totp', 'locked')
            return False
        if pyotp.TOTP(user.totp_secret).verify(code.strip().replace(' ', ''), valid_window=1):
            return True
        _record_failure(db, key, MAX_FAILURES_PER_ACCOUNT)
        _record_failure(db, address_key, MAX_FAILURES_PER_ADDRESS)
        count_refusal('totp', 'invalid')
        return False


def unlock_account(user_id: int) -> int:
    """Lift the lockout of one account (password and TOTP failures) before its time; returns how many locks were
    in force. Per-address locks stay: they protect every account."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        keys = [f'totp:{user_id}'] + ([_throttle_keys(user.username, '')[0]] if user.username else [])
        locked = 0
        for key in keys:
            row = db.get(LoginThrottle, key)
            if row is not None:
                locked += _is_locked(db, key)
                db.delete(row)
        return locked
