"""Password sign-in: argon2 hashes, one answer for a wrong name or password, throttling per account and address."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from auth.password_login import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, LoginOutcome, authenticate
from models import LoginThrottle, User, utcnow
from models.db import session_scope
from services.demo_data import DEMO_PASSWORD, load_demo_data
from services.passwords import hash_password, password_problem, verify_password

pytestmark = pytest.mark.db
ADDRESS = '192.0.2.10'


@pytest.fixture
def demo(database: str) -> None:
    load_demo_data()


def test_the_right_password_signs_in_and_hashes_are_argon2(demo: None) -> None:
    result = authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS)
    assert result.outcome == LoginOutcome.OK and result.user_id is not None
    assert authenticate('  ONNI.Korhonen ', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.OK  # name case-blind
    with session_scope() as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
    assert onni.password_hash and onni.password_hash.startswith('$argon2id$')
    assert DEMO_PASSWORD not in onni.password_hash


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(demo: None) -> None:
    wrong_password = authenticate('onni.korhonen', 'Väärä-salasana-123', ADDRESS)
    unknown_name = authenticate('ei.ketaan', 'Väärä-salasana-123', ADDRESS)
    assert wrong_password == unknown_name
    assert wrong_password.outcome == LoginOutcome.INVALID and wrong_password.user_id is None


def test_an_account_is_locked_after_repeated_failures_even_for_the_right_password(demo: None) -> None:
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert authenticate('onni.korhonen', 'arvaus-arvaus-1', ADDRESS).outcome == LoginOutcome.INVALID
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.LOCKED
    # From another address too: the lock is on the account.
    assert authenticate('onni.korhonen', DEMO_PASSWORD, '198.51.100.7').outcome == LoginOutcome.LOCKED
    # Another account from the first address is not affected yet.
    assert authenticate('riikka.edustaja', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.OK
    # The lock is temporary.
    with session_scope() as db:
        row = db.get(LoginThrottle, 'account:onni.korhonen')
        assert row is not None and row.locked_until is not None
        row.locked_until = utcnow() - timedelta(seconds=1)
        row.first_failure_at = utcnow() - timedelta(hours=1)
        db.add(row)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.OK


def test_an_address_trying_many_accounts_is_locked(demo: None) -> None:
    for number in range(MAX_FAILURES_PER_ADDRESS):
        authenticate(f'arvattu.{number}', 'arvaus-arvaus-1', ADDRESS)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.LOCKED
    assert authenticate('onni.korhonen', DEMO_PASSWORD, '198.51.100.7').outcome == LoginOutcome.OK


def test_a_success_clears_the_accounts_failures(demo: None) -> None:
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        authenticate('onni.korhonen', 'arvaus-arvaus-1', ADDRESS)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.OK
    with session_scope() as db:
        assert db.get(LoginThrottle, 'account:onni.korhonen') is None
    assert authenticate('onni.korhonen', 'arvaus-arvaus-1', ADDRESS).outcome == LoginOutcome.INVALID


def test_an_inactive_account_cannot_sign_in(demo: None) -> None:
    with session_scope() as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        onni.active = False
        db.add(onni)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.INVALID


def test_the_password_policy() -> None:
    assert password_problem('lyhyt-123') is not None  # under 12 characters
    assert password_problem('aaaaaaaaaaaaaaaa') is not None  # too few different characters
    assert password_problem('onni.korhonen-2026', username='onni.korhonen') is not None
    assert password_problem('x' * 201) is not None
    assert password_problem('kolme iloista kissaa') is None  # a passphrase is fine, no composition rules
    hashed = hash_password('kolme iloista kissaa')
    assert verify_password(hashed, 'kolme iloista kissaa') and not verify_password(hashed, 'kolme iloista koiraa')
    assert not verify_password(None, 'kolme iloista kissaa')
