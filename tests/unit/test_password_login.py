"""Password sign-in: argon2 hashes, one answer for a wrong name or password, growing delays per account and address."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from auth.password_login import ACCOUNT, ACCOUNT_AT_ADDRESS, LoginOutcome, LoginResult, authenticate
from auth.password_login import ADDRESS as ADDRESS_LIMIT
from models import LoginThrottle, User
from models.db import session_scope
from services.demo_data import DEMO_PASSWORD, load_demo_data
from services.passwords import hash_password, password_problem, verify_password
from tests.conftest import HeldClock

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


def test_after_the_free_attempts_an_account_at_one_address_waits_growing_delays(demo: None, clock: HeldClock) -> None:
    for _ in range(ACCOUNT_AT_ADDRESS.free):
        assert authenticate('onni.korhonen', 'arvaus-arvaus-1', ADDRESS).outcome == LoginOutcome.INVALID
    delayed = authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS)  # even the right password waits
    assert delayed == LoginResult(LoginOutcome.DELAYED, retry_after=1.0)
    # From another address the person is not held up by this guesser.
    assert authenticate('onni.korhonen', DEMO_PASSWORD, '198.51.100.7').outcome == LoginOutcome.OK
    clock.advance(1)
    assert authenticate('onni.korhonen', 'arvaus-arvaus-1', ADDRESS).outcome == LoginOutcome.INVALID
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).retry_after == 2.0  # twice as long
    clock.advance(2)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.OK


def test_the_delays_grow_to_a_cap() -> None:
    assert [ACCOUNT_AT_ADDRESS.delay_after(n).total_seconds() for n in range(4, 8)] == [0, 1, 2, 4]
    assert ACCOUNT_AT_ADDRESS.delay_after(1000) == timedelta(minutes=15)
    assert ACCOUNT.delay_after(1000) == timedelta(minutes=1)  # what many addresses can put on the real person


def test_an_address_trying_many_accounts_waits(demo: None, clock: HeldClock) -> None:
    for number in range(ADDRESS_LIMIT.free):
        authenticate(f'arvattu.{number}', 'arvaus-arvaus-1', ADDRESS)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.DELAYED
    assert authenticate('onni.korhonen', DEMO_PASSWORD, '198.51.100.7').outcome == LoginOutcome.OK


def test_a_success_clears_the_accounts_attempts(demo: None, clock: HeldClock) -> None:
    for _ in range(ACCOUNT_AT_ADDRESS.free - 1):
        authenticate('onni.korhonen', 'arvaus-arvaus-1', ADDRESS)
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADDRESS).outcome == LoginOutcome.OK
    with session_scope() as db:
        assert db.get(LoginThrottle, f'account-at-address:onni.korhonen@{ADDRESS}') is None
        assert db.get(LoginThrottle, 'account:onni.korhonen') is None
    for _ in range(ACCOUNT_AT_ADDRESS.free):
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
