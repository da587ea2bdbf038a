"""Kiosk mode: sign-out leaves nothing behind (no cookies, no browser storage, Back shows no earlier page), the idle
countdown signs out by itself, "Aloita alusta" wipes an anonymous visitor's choices too, larger touch targets."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from services.demo_data import DEMO_PASSWORD
from tests.browser.conftest import sign_in_with_password
from tests.support.browser import axe_violations, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.server import PortalServer, start_portal

SHOTS = Path('/tmp/shots/reach')
IDLE_SECONDS = 20
SIGNED_OUT = re.compile(r'/\?uloskirjautunut=1$')


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """A kiosk installation with a short idle time (overrides the suite's portal for this module)."""
    tmp = tmp_path_factory.mktemp('kiosk')
    with fresh_database_url(tmp) as url:
        server = start_portal(tmp / 'data', url, KIOSK_MODE='true', KIOSK_IDLE_SECONDS=str(IDLE_SECONDS))
        yield server
        server.stop()


@pytest.fixture
def page(browser: Browser, portal: PortalServer) -> Iterator[Page]:
    context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900}, locale='fi-FI')
    yield context.new_page()
    context.close()


def _open_own_details(page: Page) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    response = page.goto('/omat-tiedot')
    assert response is not None and response.headers.get('cache-control') == 'no-store'
    wait_for_page(page)
    expect(page.get_by_text('Onni Juhani Korhonen').first).to_be_visible()
    page.evaluate("localStorage.setItem('edellinen', 'Onni'); sessionStorage.setItem('edellinen', 'Onni')")


def _assert_browser_storage_fresh(page: Page, previous_tab: str) -> None:
    """Nothing left in local storage; session storage holds only the new page's own NiceGUI tab id."""
    assert page.evaluate('localStorage.length') == 0
    keys = page.evaluate('Object.keys(sessionStorage)')
    assert set(keys) <= {'__nicegui_tab_id', '__nicegui_tab_closed'}, keys
    assert page.evaluate('sessionStorage.__nicegui_tab_id') != previous_tab


def test_sign_out_leaves_no_cookies_storage_or_pages_behind(page: Page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open_own_details(page)
    assert page.context.cookies() != []
    assert 'kiosk' in (page.get_attribute('body', 'class') or '')
    page.screenshot(path=str(SHOTS / 'kiosk-signed-in.png'), full_page=False)
    assert axe_violations(page) == []

    previous_cookies = {c['value'] for c in page.context.cookies()}
    previous_tab = page.evaluate('sessionStorage.__nicegui_tab_id')
    with page.expect_response(lambda r: r.url.endswith('/kirjaudu/ulos')) as sign_out:
        page.get_by_role('button', name='Kirjaudu ulos').click()
    page.wait_for_url(SIGNED_OUT)
    wait_for_page(page)
    headers = sign_out.value.all_headers()  # .headers leaves out security headers such as Clear-Site-Data
    assert headers.get('clear-site-data') == '"cache", "cookies", "storage"'
    assert headers.get('cache-control') == 'no-store'
    assert re.match(r'session=null;.*expires=Thu, 01 Jan 1970', headers.get('set-cookie', ''))  # cookie deleted
    # The landing page gives every visitor a session cookie (NiceGUI): a new, anonymous one, not the old one.
    remaining = page.context.cookies()
    assert not previous_cookies & {c['value'] for c in remaining} and len(remaining) <= 1
    _assert_browser_storage_fresh(page, previous_tab)
    expect(page.get_by_text('Onni Juhani Korhonen')).to_have_count(0)

    page.go_back()  # to /omat-tiedot: asked again from the server, which sends an anonymous visitor to sign in
    page.wait_for_url(re.compile(r'/kirjaudu'))
    wait_for_page(page)
    expect(page.get_by_text('Onni Juhani Korhonen')).to_have_count(0)
    expect(page.get_by_text('645516@generated.invalid')).to_have_count(0)
    page.screenshot(path=str(SHOTS / 'kiosk-after-back.png'), full_page=False)


def test_idle_countdown_signs_out_by_itself(page: Page) -> None:
    _open_own_details(page)
    countdown = page.locator('#kiosk-countdown')
    expect(countdown).to_have_attribute('role', 'timer')
    first = countdown.inner_text()
    previous_tab = page.evaluate('sessionStorage.__nicegui_tab_id')
    page.wait_for_timeout(2500)
    later = countdown.inner_text()
    assert later < first, (first, later)  # '0:17' < '0:20': it counts down
    page.wait_for_url(SIGNED_OUT, timeout=(IDLE_SECONDS + 15) * 1000)
    wait_for_page(page)
    _assert_browser_storage_fresh(page, previous_tab)
    page.goto('/omat-tiedot')
    page.wait_for_url(re.compile(r'/kirjaudu'))
    wait_for_page(page)
    expect(page.get_by_text('Onni Juhani Korhonen')).to_have_count(0)


def test_server_ends_a_kiosk_session_left_idle_without_the_browser_countdown(page: Page,
                                                                           portal: PortalServer) -> None:
    """E.g. the tab was closed: the cookie stays in the kiosk's browser, but the session is over on the server."""
    from sqlmodel import Session, col, select

    from models import User, UserSession, utcnow
    from models.db import get_engine

    _open_own_details(page)
    with Session(get_engine(portal.database_url)) as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        live = db.exec(select(UserSession).where(UserSession.user_id == onni.id,
                                                 col(UserSession.ended_at).is_(None))).one()
        live.last_seen_at = utcnow() - timedelta(seconds=IDLE_SECONDS + 61)
        db.add(live)
        db.commit()
    page.goto('/omat-tiedot')
    page.wait_for_url(re.compile(r'/kirjaudu'))
    wait_for_page(page)
    expect(page.get_by_text('Onni Juhani Korhonen')).to_have_count(0)


def test_start_over_wipes_an_anonymous_visitors_choices(page: Page) -> None:
    page.goto('/saavutettavuusseloste')
    wait_for_page(page)
    page.get_by_label('KIELI').click()
    page.get_by_role('option', name='Svenska').click()
    expect(page.get_by_role('heading', name='Tillgänglighetsutlåtande', level=1)).to_be_visible()
    start_over = page.get_by_role('button', name='Börja om')
    assert start_over.bounding_box()['height'] >= 48  # a touch target
    page.screenshot(path=str(SHOTS / 'kiosk-anonymous-sv.png'), full_page=False)
    assert axe_violations(page) == []
    start_over.click()
    page.wait_for_url(SIGNED_OUT)
    wait_for_page(page)
    assert page.evaluate('document.documentElement.lang') == 'fi'  # the language chosen before is gone
