"""On a phone (390 × 844) the header is compact: the brand, the current user and a menu button; the profile, region,
language, sign-out and the navigation open as a drawer under it. Screenshots of Pääsivu, a form and a request page."""
from __future__ import annotations

from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import ARTIFACTS, sign_in_with_password
from tests.support.browser import axe_violations, wait_for_page
from tests.support.rows import found
from tests.support.staff import DEMO_PASSWORD

PHONE = ViewportSize(width=390, height=844)


def _phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f'compact-{name}-390.png'), full_page=False)


def test_the_compact_header_leaves_the_screen_to_the_content(page: Page) -> None:
    _phone(page)
    header = page.locator('header')
    menu = page.get_by_role('button', name='Valikko')
    expect(menu).to_have_attribute('aria-expanded', 'false')
    expect(header.get_by_text('Onni Juhani Korhonen')).to_have_count(3)  # profile, user and the compact name
    expect(header.get_by_text('Onni Juhani Korhonen').filter(visible=True)).to_have_count(1)  # the compact name
    for hidden in ('ASIOINTIPROFIILI', 'ALUE', 'KIELI'):
        expect(header.get_by_text(hidden, exact=True)).to_be_hidden()
    expect(page.get_by_role('link', name='OMAT TIEDOT')).to_be_hidden()
    assert found(header.bounding_box())['height'] <= 80  # was about 260 px
    assert page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    _shot(page, 'paasivu')
    assert axe_violations(page) == []

    menu.click()
    expect(menu).to_have_attribute('aria-expanded', 'true')
    for shown in ('ASIOINTIPROFIILI', 'ALUE', 'KIELI'):
        expect(header.get_by_text(shown, exact=True)).to_be_visible()
    page.keyboard.press('Tab')  # the drawer follows the menu button in the Tab order
    assert page.evaluate("!!document.activeElement.closest('.portal-header .q-select')")  # KIELI
    expect(page.get_by_role('button', name='Kirjaudu ulos')).to_be_visible()
    expect(page.get_by_role('link', name='OMAT TIEDOT')).to_be_visible()
    assert page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    _shot(page, 'paasivu-menu')
    assert axe_violations(page) == []
    page.get_by_role('link', name='OMA ASIOINTI').click()
    page.wait_for_url('**/oma-asiointi')


def test_the_form_and_a_request_on_a_phone(page: Page) -> None:
    _phone(page)
    page.goto('/palvelut/tilinumero-liikasuoritus')
    wait_for_page(page)
    buttons = page.locator('main button:visible')
    expect(buttons.last).to_have_text('Jatka')  # Jatka stays at the end of the form's buttons
    assert page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    _shot(page, 'form')
    page.goto('/oma-asiointi/978373')
    wait_for_page(page)
    expect(page.get_by_role('heading', level=1)).to_be_visible()
    assert page.evaluate('document.documentElement.scrollWidth') <= PHONE['width']
    _shot(page, 'request')
    assert axe_violations(page) == []
