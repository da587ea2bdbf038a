"""The frame in Chromium: usable at 390 and 1280 px, no axe violations, <html lang> follows KIELI."""
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, sign_in_with_password
from tests.support.browser import axe_violations, wait_for_page

DEMO_PASSWORD = 'Demo-salasana-2026'


@pytest.mark.parametrize('width', [390, 1280])
def test_frame_fits_and_passes_axe(page: Page, width: int) -> None:
    page.set_viewport_size({'width': width, 'height': 900})
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    expect(page.locator('header').get_by_text('Onni Juhani Korhonen').filter(visible=True).first).to_be_visible()
    if width < 768:  # the compact header: the navigation is behind the menu button (test_compact_header.py)
        page.get_by_role('button', name='Valikko').click()
    expect(page.get_by_role('link', name='OMAT TIEDOT')).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling at 390 px.
    assert page.evaluate('document.documentElement.scrollWidth') <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f'frame-{width}.png'), full_page=True)
    assert axe_violations(page) == []


def test_landing_passes_axe(page: Page) -> None:
    page.goto('/')
    wait_for_page(page)
    expect(page.get_by_text('Henkilökohtaiset ja organisaatioille suunnatut palvelut')).to_be_visible()
    assert axe_violations(page) == []


def test_html_lang_follows_the_chosen_language(page: Page) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    assert page.evaluate('document.documentElement.lang') == 'fi'
    page.get_by_label('KIELI').click()
    page.get_by_role('option', name='Svenska').click()
    expect(page.get_by_role('button', name='Logga ut')).to_be_visible()
    assert page.evaluate('document.documentElement.lang') == 'sv'
    page.goto('/oma-asiointi')
    wait_for_page(page)
    assert page.evaluate('document.documentElement.lang') == 'sv'
