"""Kiosk mode: sign-out leaves nothing behind (no cookies, no browser storage, Back shows no earlier page), the idle
countdown signs out by itself, "Aloita alusta" wipes an anonymous visitor's choices too, larger touch targets."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from services.demo_data import DEMO_PASSWORD
from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, axe_violations, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.rows import found
from tests.support.server import PortalServer, start_portal
from tests.support.sign_in import start_suomifi_sign_in

SHOTS = SHOTS_DIR / 'reach'
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
    expect(countdown).not_to_have_text(first, timeout=5000)  # it ticks (each second)
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
    assert found(start_over.bounding_box())['height'] >= 48  # a touch target
    page.screenshot(path=str(SHOTS / 'kiosk-anonymous-sv.png'), full_page=False)
    assert axe_violations(page) == []
    start_over.click()
    page.wait_for_url(SIGNED_OUT)
    wait_for_page(page)
    assert page.evaluate('document.documentElement.lang') == 'fi'  # the language chosen before is gone


_FIELDS = "els => els.map(e => ({name: e.name, autocomplete: e.getAttribute('autocomplete'), type: e.type}))"
_VISIBLE_FIELDS = 'input:not([type=hidden]), textarea'


def _fields(page: Page) -> list[dict]:
    """Every input of the page once the kiosk script has given it its per-visit name."""
    page.wait_for_function(f"[...document.querySelectorAll('{_VISIBLE_FIELDS}')]"
                           ".every(e => e.dataset.kioskName && e.name === e.dataset.kioskName)")
    fields = page.eval_on_selector_all(_VISIBLE_FIELDS, _FIELDS)
    assert fields, 'the page has inputs'
    for field in fields:
        assert field['autocomplete'] == ('new-password' if field['type'] == 'password' else 'off'), field
    return fields


def test_after_the_idle_sign_out_every_input_of_the_next_visit_is_unremembered(page: Page) -> None:
    """The browser's autofill keys its suggestions on field names: the next person's fields match nothing."""
    page.goto('/kirjaudu/salasana')
    wait_for_page(page)
    before = {field['name'] for field in _fields(page)}
    _open_own_details(page)
    before |= {field['name'] for field in _fields(page)}
    assert len(before) >= 6
    page.wait_for_url(SIGNED_OUT, timeout=(IDLE_SECONDS + 15) * 1000)  # nobody touches the kiosk
    wait_for_page(page)

    page.goto('/kirjaudu/salasana')  # the next person
    wait_for_page(page)
    after = _fields(page)
    assert {field['type'] for field in after} >= {'text', 'password'}
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto('/omat-tiedot')
    wait_for_page(page)
    after += _fields(page)
    assert not before & {field['name'] for field in after}


def test_full_screen_warning_with_jatka_before_the_end(page: Page) -> None:
    _open_own_details(page)
    overlay = page.locator('#kiosk-overlay')
    expect(overlay).to_be_hidden()
    assert page.locator('#kiosk-notice').inner_text() == ''  # nothing is said while the page opens
    expect(overlay).to_be_visible(timeout=IDLE_SECONDS * 1000)
    expect(overlay).to_have_attribute('role', 'alertdialog')
    continue_button = page.get_by_role('button', name='Jatka', exact=True)
    expect(continue_button).to_be_focused()
    assert found(continue_button.bounding_box())['height'] >= 64
    seconds = int(page.locator('#kiosk-seconds').inner_text())
    assert 0 < seconds <= 6, seconds  # a third of the 20 s limit
    expect(page.locator('#kiosk-notice')).to_contain_text('Sivu aloittaa alusta')
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / 'kiosk-warning.png'), full_page=False)
    continue_button.click()
    expect(overlay).to_be_hidden()
    expect(page.locator('#kiosk-countdown')).to_have_text(re.compile(r'0:(19|20)'))
    assert re.search(r'/omat-tiedot$', page.url)


def test_a_page_before_sign_in_is_reset_at_the_idle_limit(page: Page) -> None:
    page.goto('/kirjaudu/salasana')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').fill('onni.korhonen')
    expect(page.locator('#kiosk-overlay')).to_be_visible(timeout=IDLE_SECONDS * 1000)
    page.wait_for_url(SIGNED_OUT, timeout=15_000)
    wait_for_page(page)
    page.goto('/kirjaudu/salasana')
    wait_for_page(page)
    expect(page.get_by_label('Käyttäjätunnus')).to_have_value('')


def test_a_sign_in_left_at_the_idp_step_beyond_the_kiosk_limit_cannot_be_continued(page: Page,
                                                                                  portal: PortalServer) -> None:
    start_suomifi_sign_in(page)
    page.wait_for_url('**/test-idp/sso?**')
    wait_for_page(page)
    countdown = page.get_by_role('timer')  # the IdP step counts the kiosk limit down too
    expect(countdown).to_have_text(re.compile(r'0:(1\d|20)'))
    page.get_by_role('button', name='Onni Juhani Korhonen (150585-958J)').click()
    expect(page.get_by_role('button', name='Jatka palveluun')).to_be_visible()
    answer = page.locator('input[name=SAMLResponse]').get_attribute('value')
    relay_state = page.locator('input[name=RelayState]').get_attribute('value')
    page.screenshot(path=str(SHOTS / 'kiosk-idp-countdown.png'), full_page=False)

    expect(page.get_by_role('heading', name='Tunnistautuminen vanhentui')).to_be_visible(
        timeout=(IDLE_SECONDS + 5) * 1000)
    expect(page.get_by_role('button', name='Jatka palveluun')).to_have_count(0)
    # The next person replays the left-over answer by hand: the portal refuses it as too old.
    page.set_content(f'<form method="post" action="{portal.base_url}/saml/acs">'
                     f'<input name="SAMLResponse" value="{answer}"><input name="RelayState" value="{relay_state}">'
                     '<button type="submit">Jatka palveluun</button></form>')
    page.get_by_role('button', name='Jatka palveluun').click()
    page.wait_for_url('**/kirjaudu/virhe?**')
    wait_for_page(page)
    assert page.url.endswith('syy=expired')
    page.goto('/paasivu')
    page.wait_for_url(re.compile(r'/kirjaudu'))
    expect(page.get_by_text('Onni Juhani Korhonen')).to_have_count(0)


def test_the_receipt_is_printed_or_emailed_instead_of_downloaded(page: Page, portal: PortalServer) -> None:
    from sqlmodel import Session, select

    from models import OutboxEmail
    from models.db import get_engine

    page.add_init_script('window.printed = 0; window.print = () => { window.printed += 1; };')
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto('/palvelupyynto/978373/lahetetty')
    wait_for_page(page)
    expect(page.locator('[data-marker=receipt-link]')).to_have_count(0)  # no download to leave behind
    expect(page.locator('a[download]')).to_have_count(0)
    page.screenshot(path=str(SHOTS / 'kiosk-receipt.png'), full_page=False)
    page.get_by_role('button', name='Tulosta kuittaus').click()
    page.wait_for_function('window.printed === 1')
    page.emulate_media(media='print')
    expect(page.locator('.receipt-print')).to_be_visible()
    expect(page.locator('.receipt-print')).to_contain_text('Palautuksen saajan tili')
    page.emulate_media(media='screen')
    expect(page.locator('.receipt-print')).to_be_hidden()

    page.get_by_role('button', name=re.compile('Lähetä kuittaus sähköpostiini')).click()
    expect(page.get_by_role('status').filter(has_text='Kuittaus lähetetty osoitteeseen')).to_be_visible()
    with Session(get_engine(portal.database_url)) as db:
        email = db.exec(select(OutboxEmail).where(OutboxEmail.kind == 'receipt')).one()
    assert email.request_id == 978373 and email.subject == 'Kuittaus palvelupyynnöstä 978373'
    assert 'Tilinumero: FI' in email.body_text
