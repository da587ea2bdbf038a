"""Stored XSS through text that users control (issue 12, finding 1), tried in Chromium: a representative sets her
surname to a NiceGUI props injection and the admin opens the pages that show it. Nothing may run: no request to the
audit log, no `data-x` attribute, and the surname is shown as the text it is."""
from __future__ import annotations

from playwright.sync_api import Browser, Page, Request, expect

from tests.security.browser.conftest import sign_in_with_password
from tests.support.browser import wait_for_page
from tests.support.server import PROJECT_DIR, PortalServer
from tests.support.staff import DEMO_PASSWORD, sign_in_as_staff

PAYLOAD = 'E" :data-x="fetch(\'/kasittely/yllapito/loki.csv\')" z="'


def _new_page(browser: Browser, portal: PortalServer) -> Page:
    return browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900},
                               locale='fi-FI').new_page()


def test_a_representatives_surname_runs_nothing_in_the_admins_browser(browser: Browser, portal: PortalServer) -> None:
    attacker = _new_page(browser, portal)
    sign_in_with_password(attacker, 'riikka.edustaja', DEMO_PASSWORD)
    attacker.goto('/omat-tiedot')
    wait_for_page(attacker)
    attacker.get_by_label('Sukunimi').fill(PAYLOAD)
    attacker.get_by_role('button', name='Tallenna tiedot').click()
    expect(attacker.get_by_text('Tietosi tallennettiin.')).to_be_visible()
    attacker.context.close()

    admin = _new_page(browser, portal)
    sign_in_as_staff(admin, 'admin')
    audit_log_requests: list[str] = []

    def watch(request: Request) -> None:
        if 'loki.csv' in request.url:
            audit_log_requests.append(request.url)

    admin.on('request', watch)
    admin.goto('/kasittely/yllapito/asiointioikeudet')
    wait_for_page(admin)
    expect(admin.get_by_role('heading', name=f'Riikka {PAYLOAD} – Jyväskylän kaupunki')).to_be_visible()
    admin.wait_for_load_state('networkidle')
    assert audit_log_requests == []
    assert admin.locator('[data-x]').count() == 0
    revoke = admin.get_by_role('button', name=f'Poista oikeus: Riikka {PAYLOAD}, Jyväskylän kaupunki')
    expect(revoke).to_have_count(1)
    (PROJECT_DIR / 'test-artifacts').mkdir(exist_ok=True)
    admin.screenshot(path=str(PROJECT_DIR / 'test-artifacts' / 'xss-surname-on-asiointioikeudet.png'), full_page=True)
    admin.context.close()
