"""Throttling of guesses (passwords, second-factor codes, the current password on OMAT TIEDOT) by growing delays.

An attempt is *taken* before the secret is checked, with a compare-and-swap UPDATE, so parallel attempts cannot all
pass one check: of twelve arriving together, only the free ones are verified. The first `free` attempts of a key come
at once; after that each must wait twice as long as the one before, up to `max_delay`. A success clears the key;
a key left alone for `FORGET_AFTER` starts again from zero.

Delays instead of a lock: a lock that five wrong passwords set is one an attacker can set on anyone's account. The
keys are chosen so the attacker mostly slows down himself (his address, the account at his address) and the delay
that reaches the real person (the account from anywhere) is capped low (see `auth.password_login`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from locales import t
from models import LoginThrottle, utcnow
from models.db import session_scope

FORGET_AFTER = timedelta(hours=1)
clock = utcnow  # the time the delays are measured in (tests hold it still to look at the race alone)
_CAS_ROUNDS = 50  # each lost race means another attempt was taken: a few rounds at most in practice


@dataclass(frozen=True)
class Limit:
    free: int
    first_delay: timedelta
    max_delay: timedelta

    def delay_after(self, attempts: int) -> timedelta:
        """How long the next attempt waits after `attempts` unresolved ones."""
        if attempts < self.free:
            return timedelta(0)
        return min(self.max_delay, self.first_delay * 2 ** min(attempts - self.free, 40))


def _seconds_until(moment: datetime, now: datetime) -> float:
    return max(0.0, (moment - now).total_seconds())


def wait_seconds(keys: list[str]) -> float:
    """Seconds until every key allows an attempt (0 when all do). Only reads: asking costs nothing."""
    now = clock()
    with session_scope() as db:
        rows = db.exec(select(LoginThrottle).where(col(LoginThrottle.key).in_(keys))).all()
    return max([_seconds_until(row.not_before, now) for row in rows if now - row.last_attempt_at <= FORGET_AFTER],
               default=0.0)


def take_attempt(key: str, limit: Limit) -> float:
    """Take one attempt of `key`: 0.0 when taken, otherwise the seconds to wait (nothing is taken then)."""
    for _ in range(_CAS_ROUNDS):
        now = clock()
        with session_scope() as db:
            row = db.get(LoginThrottle, key)
        if row is None:
            try:
                with session_scope() as db:
                    db.execute(insert(LoginThrottle).values(key=key, attempts=1, last_attempt_at=now,
                                                            not_before=now + limit.delay_after(1)))
                return 0.0
            except IntegrityError:  # another attempt created it first: take from its row
                continue
        if now - row.last_attempt_at <= FORGET_AFTER and row.not_before > now:
            return _seconds_until(row.not_before, now)
        attempts = row.attempts if now - row.last_attempt_at <= FORGET_AFTER else 0
        with session_scope() as db:
            taken = db.execute(
                update(LoginThrottle)
                .where(col(LoginThrottle.key) == key, col(LoginThrottle.attempts) == row.attempts,
                       col(LoginThrottle.last_attempt_at) == row.last_attempt_at)
                .values(attempts=attempts + 1, last_attempt_at=now,
                        not_before=now + limit.delay_after(attempts + 1))).rowcount  # type: ignore[attr-defined]
        if taken == 1:
            return 0.0
    return limit.max_delay.total_seconds()


def take_attempts(limits: list[tuple[str, Limit]]) -> float:
    """Take one attempt of every key, or none when one of them asks to wait: 0.0 when taken, else seconds to wait.

    Looking first means a waiting key costs the others nothing (the real person's polite retries do not grow the
    delays). Two parallel attempts may both look and then race in `take_attempt`, which stays exact per key.
    """
    wait = wait_seconds([key for key, _ in limits])
    if wait > 0:
        return wait
    for key, limit in limits:
        wait = take_attempt(key, limit)
        if wait > 0:
            return wait
    return 0.0


def clear(keys: list[str]) -> None:
    """Forget the attempts of these keys (after a success)."""
    with session_scope() as db:
        db.execute(delete(LoginThrottle).where(col(LoginThrottle.key).in_(keys)))


def lift(keys: list[str], prefixes: tuple[str, ...] = ()) -> int:
    """Forget these keys and those that start with a prefix (an operator's unlock); how many were making one wait."""
    condition = or_(col(LoginThrottle.key).in_(keys),
                    *[col(LoginThrottle.key).startswith(prefix, autoescape=True) for prefix in prefixes])
    now = clock()
    with session_scope() as db:
        waiting = sum(row.not_before > now for row in db.exec(select(LoginThrottle).where(condition)).all())
        db.execute(delete(LoginThrottle).where(condition))
    return waiting


def give_back(keys: list[str]) -> None:
    """Return one attempt to each key after a success, leaving its other attempts and any wait as they are.

    For keys that many people share (an office behind one address): their sign-ins do not add up to a delay, while
    a guesser who mixes in successes of his own gets back only what they took."""
    with session_scope() as db:
        db.execute(update(LoginThrottle).where(col(LoginThrottle.key).in_(keys), col(LoginThrottle.attempts) > 0)
                   .values(attempts=LoginThrottle.attempts - 1))


def wait_message(wait: float) -> str:
    """'Too many attempts, try again in …' for a wait in seconds."""
    seconds = max(1, math.ceil(wait))
    if seconds >= 120:
        return t('Liian monta epäonnistunutta yritystä. Yritä uudelleen {minutes} minuutin kuluttua.',
                 minutes=math.ceil(seconds / 60))
    return t('Liian monta epäonnistunutta yritystä. Yritä uudelleen {seconds} sekunnin kuluttua.', seconds=seconds)
