"""Attacks on sign-in throttling: parallel guessing past the limit, locking the real person out, replaying a TOTP code,
guessing through the "current password" of OMAT TIEDOT, and a password change that leaves a thief's session alive.

The delays are measured on the throttle's clock; the tests that look at the limits hold that clock still (and move
it by hand), so what they show is the race and the rules, not how fast this machine happens to be.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import httpx
import pyotp
import pytest
from sqlmodel import select

import auth.password_login
import services.account
from auth.password_login import (
    ACCOUNT,
    ACCOUNT_AT_ADDRESS,
    LoginOutcome,
    LoginResult,
    authenticate,
    verify_second_factor,
)
from bench.support import Tab, sign_in
from models import User
from models.db import session_scope
from services.account import change_password
from services.demo_data import DEMO_HANDLER_TOTP_SECRET, DEMO_PASSWORD, load_demo_data
from tests.conftest import HeldClock
from tests.support.rows import found
from tests.support.server import PortalServer
from tests.support.tabs import sent_to_sign_in

pytestmark = pytest.mark.db
ATTACKER = '203.0.113.66'
ADMIN_AT_WORK = '198.51.100.20'
PARALLEL = 12


@pytest.fixture
def demo(database: str) -> dict[str, int]:
    load_demo_data()
    with session_scope() as db:
        return {user.username: user.id for user in db.exec(select(User)).all() if user.username and user.id}


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password the real argon2 check was asked about (in sign-in and in OMAT TIEDOT)."""
    seen: list[str] = []
    real = auth.password_login.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        seen.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(auth.password_login, 'verify_password', counting)
    monkeypatch.setattr(services.account, 'verify_password', counting)
    return seen


def _all_at_once(attempt: Callable[[int], LoginResult | dict]) -> list:
    """Run `attempt(n)` for n = 0…11 in twelve threads released together by a barrier."""
    barrier = threading.Barrier(PARALLEL)

    def released(number: int) -> LoginResult | dict:
        barrier.wait(timeout=60)
        return attempt(number)

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(released, range(PARALLEL)))


def test_twelve_parallel_wrong_passwords_check_at_most_five(demo: dict, clock: HeldClock, verified: list) -> None:
    results = _all_at_once(lambda n: authenticate('admin', f'arvaus-{n}-salasanaksi', ATTACKER))
    assert len(verified) == ACCOUNT_AT_ADDRESS.free == 5
    assert sorted(result.outcome for result in results) == [LoginOutcome.DELAYED] * 7 + [LoginOutcome.INVALID] * 5


def test_a_guesser_at_one_address_does_not_hold_up_the_admin(demo: dict, clock: HeldClock) -> None:
    _all_at_once(lambda n: authenticate('admin', f'arvaus-{n}-salasanaksi', ATTACKER))
    assert authenticate('admin', 'arvaus-13-salasanaksi', ATTACKER).outcome == LoginOutcome.DELAYED
    assert authenticate('admin', DEMO_PASSWORD, ADMIN_AT_WORK).outcome == LoginOutcome.NEEDS_SECOND_FACTOR


def test_many_addresses_guessing_the_admin_delay_her_only_briefly(demo: dict, clock: HeldClock,
                                                                  verified: list) -> None:
    _all_at_once(lambda n: authenticate('admin', f'arvaus-{n}-salasanaksi', f'203.0.113.{n + 1}'))
    assert len(verified) == ACCOUNT.free == 10  # no address of its own reached its limit: the account's did
    waiting = authenticate('admin', DEMO_PASSWORD, ADMIN_AT_WORK)
    assert waiting == LoginResult(LoginOutcome.DELAYED, retry_after=1.0)
    # Asking again while waiting costs nothing: the delay does not grow, and the password is not even checked.
    assert authenticate('admin', DEMO_PASSWORD, ADMIN_AT_WORK) == waiting
    assert len(verified) == 10
    clock.advance(waiting.retry_after)
    assert authenticate('admin', DEMO_PASSWORD, ADMIN_AT_WORK).outcome == LoginOutcome.NEEDS_SECOND_FACTOR
    # However long the guessing goes on, what it can put on the admin is capped (not a lock): a minute at most.
    assert ACCOUNT.delay_after(10_000) == timedelta(minutes=1)


def test_an_office_behind_one_address_is_not_slowed_by_its_own_sign_ins(demo: dict, clock: HeldClock) -> None:
    for number in range(30):
        username = ('onni.korhonen', 'riikka.edustaja')[number % 2]
        assert authenticate(username, DEMO_PASSWORD, ADMIN_AT_WORK).outcome == LoginOutcome.OK, number


def test_a_totp_code_is_accepted_once(demo: dict, clock: HeldClock) -> None:
    admin = demo['admin']
    totp = pyotp.TOTP(DEMO_HANDLER_TOTP_SECRET)
    code = totp.now()
    assert verify_second_factor(admin, code, ADMIN_AT_WORK).outcome == LoginOutcome.OK
    assert verify_second_factor(admin, code, ATTACKER).outcome == LoginOutcome.INVALID  # seen over the shoulder
    earlier = totp.at(datetime.now() - timedelta(seconds=30))
    assert verify_second_factor(admin, earlier, ATTACKER).outcome == LoginOutcome.INVALID  # older than the last one
    # The next code, sent twice at the same moment: one of the two is accepted.
    following = totp.at(datetime.now() + timedelta(seconds=30))
    results = _all_at_once(lambda n: verify_second_factor(admin, following, ADMIN_AT_WORK if n % 2 else ATTACKER))
    assert sorted(result.outcome for result in results).count(LoginOutcome.OK) == 1


def test_the_current_password_on_omat_tiedot_is_no_password_oracle(demo: dict, clock: HeldClock,
                                                                   verified: list) -> None:
    with session_scope() as db:
        onni = found(db.get(User, demo['onni.korhonen']))
    new = 'Uusi-salasana-joulukuussa'
    results = _all_at_once(lambda n: change_password(onni, current=f'arvaus-{n}-salasanaksi', new=new, confirm=new))
    assert len(verified) == 5
    assert sum(result['current'] == 'Nykyinen salasana ei ole oikein.' for result in results) == 5
    assert sum(result['current'].startswith('Liian monta epäonnistunutta yritystä') for result in results) == 7
    # Even the right one waits now, and nothing was changed.
    refused = change_password(onni, current=DEMO_PASSWORD, new=new, confirm=new)
    assert refused['current'] == 'Liian monta epäonnistunutta yritystä. Yritä uudelleen 1 sekunnin kuluttua.'
    assert authenticate('onni.korhonen', DEMO_PASSWORD, ADMIN_AT_WORK).outcome == LoginOutcome.OK
    clock.advance(1)
    assert change_password(onni, current=DEMO_PASSWORD, new=new, confirm=new) == {}


async def test_a_password_change_ends_the_persons_other_sessions(portal: PortalServer) -> None:
    async with httpx.AsyncClient(base_url=portal.base_url, timeout=60) as person, \
            httpx.AsyncClient(base_url=portal.base_url, timeout=60) as thief:
        await sign_in(person, 'riikka.edustaja')
        await sign_in(thief, 'riikka.edustaja')  # e.g. a session left open on a shared computer
        thiefs_page = await (await Tab(thief, '/oma-asiointi').load()).connect()
        own_page = await (await Tab(person, '/omat-tiedot').load()).connect()
        try:
            new = 'Riikan-uusi-salasana-2026'
            await own_page.set_value(own_page.find(label='Nykyinen salasana'), DEMO_PASSWORD)
            await own_page.set_value(own_page.find(label='Uusi salasana'), new)
            await own_page.set_value(own_page.find(label='Vahvista uusi salasana'), new)
            await own_page.click(own_page.find(label='Vaihda salasana'))
            # The thief's open page is sent away at once, and the thief's cookie opens nothing any more.
            await sent_to_sign_in(thiefs_page)
            refused = await thief.get('/oma-asiointi', follow_redirects=False)
            assert refused.status_code == 303 and refused.headers['location'].startswith('/kirjaudu?next=')
            # The person carries on in the session where the password was changed.
            kept = await person.get('/omat-tiedot', follow_redirects=False)
            assert kept.status_code == 200
        finally:
            await thiefs_page.close()
            await own_page.close()
