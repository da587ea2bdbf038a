"""Sign-in with a username and password (argon2 hashes, one generic error) and the TOTP second factor, throttled.

Attempts are taken before the password is checked (`auth.throttle`), under three keys:
- the account at this address: 5 at once, then 1 s, 2 s, 4 s … up to 15 minutes — one guesser, one account;
- the address: 20 at once, then the same — one guesser trying many accounts (a success gives its attempt back, so
  an office behind one address is not slowed by its own sign-ins);
- the account from anywhere: 10 at once, then growing delays capped at one minute — many addresses guessing one
  account. The cap keeps this the only delay an attacker can put on the real person, and a short one.
A TOTP code is accepted once: the time step it belongs to is stored, and a code of that step or an earlier one is
refused afterwards, even when it arrives twice at the same moment.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import pyotp
from sqlalchemy import or_, update
from sqlmodel import col, func, select

from models import User
from models.db import session_scope
from portal.metrics import count_refusal
from services.passwords import verify_password

from . import throttle
from .throttle import Limit

ACCOUNT_AT_ADDRESS = Limit(free=5, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=15))
ADDRESS = Limit(free=20, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=15))
ACCOUNT = Limit(free=10, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=1))
SECOND_FACTOR = Limit(free=5, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=15))
CURRENT_PASSWORD = Limit(free=5, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=15))  # OMAT TIEDOT
TOTP_STEP_SECONDS = 30


class LoginOutcome(StrEnum):
    OK = 'ok'
    NEEDS_SECOND_FACTOR = 'totp'
    INVALID = 'invalid'
    DELAYED = 'delayed'  # too many attempts lately: try again after `retry_after` seconds


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user_id: int | None = None
    retry_after: float = 0.0


def _password_limits(username: str, address: str) -> list[tuple[str, Limit]]:
    account = username.strip().lower()
    return [(f'address:{address}', ADDRESS), (f'account-at-address:{account}@{address}', ACCOUNT_AT_ADDRESS),
            (f'account:{account}', ACCOUNT)]


def authenticate(username: str, password: str, address: str) -> LoginResult:
    """Check a username and password; a success clears the account's delays."""
    limits = _password_limits(username, address)
    wait = throttle.take_attempts(limits)
    if wait > 0:
        count_refusal('password', 'delayed')
        return LoginResult(LoginOutcome.DELAYED, retry_after=wait)
    with session_scope() as db:
        user = db.exec(select(User).where(func.lower(User.username) == username.strip().lower())).first()
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        count_refusal('password', 'invalid')
        return LoginResult(LoginOutcome.INVALID)
    throttle.clear([key for key, limit in limits if limit is not ADDRESS])
    throttle.give_back([key for key, limit in limits if limit is ADDRESS])  # many people may share one address
    if user.totp_secret:
        return LoginResult(LoginOutcome.NEEDS_SECOND_FACTOR, user.id)
    return LoginResult(LoginOutcome.OK, user.id)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side for clock drift) whose code this is, or None."""
    totp = pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS)
    now_step = int(time.time()) // TOTP_STEP_SECONDS
    code = code.strip().replace(' ', '')
    for step in (now_step, now_step - 1, now_step + 1):
        if len(code) == totp.digits and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def verify_second_factor(user_id: int, code: str, address: str) -> LoginResult:
    """A TOTP code of the user's authenticator (handlers and admins), each code once, throttled like passwords."""
    limits = [(f'address:{address}', ADDRESS), (f'totp:{user_id}', SECOND_FACTOR)]
    wait = throttle.take_attempts(limits)
    if wait > 0:
        count_refusal('totp', 'delayed')
        return LoginResult(LoginOutcome.DELAYED, retry_after=wait)
    with session_scope() as db:
        user = db.get(User, user_id)
    step = _matching_step(user.totp_secret, code) if user is not None and user.totp_secret else None
    if step is None:
        count_refusal('totp', 'invalid')
        return LoginResult(LoginOutcome.INVALID)
    with session_scope() as db:  # claim the step: of two uses of one code, only one changes the row
        claimed = db.execute(update(User).where(
            col(User.id) == user_id, or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step))
            .values(totp_last_step=step)).rowcount  # type: ignore[attr-defined]
    if claimed != 1:
        count_refusal('totp', 'reused')
        return LoginResult(LoginOutcome.INVALID)
    throttle.clear([f'totp:{user_id}'])
    throttle.give_back([f'address:{address}'])
    return LoginResult(LoginOutcome.OK, user_id)


def unlock_account(user_id: int) -> int:
    """Lift the delays on one account (password from anywhere, TOTP, the current password of OMAT TIEDOT) before
    their time; returns how many were in force. Per-address delays stay: they protect every account."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
    account = (user.username or '').strip().lower()
    keys = [f'totp:{user_id}', f'current-password:{user_id}'] + ([f'account:{account}'] if account else [])
    return throttle.lift(keys, prefixes=(f'account-at-address:{account}@',) if account else ())
