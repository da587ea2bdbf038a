"""Login CSRF on the SAML ACS (issue 12, finding 2), tried in Chromium: the attacker starts a Suomi.fi sign-in as
himself, keeps the signed answer instead of posting it, and makes the victim's browser post it from his own site.
The victim must not end up signed in (as the attacker or at all); the same answer still works in the attacker's own
browser, so it was a valid answer that the portal refused to accept in the wrong browser."""
from __future__ import annotations

from html import escape

from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import create_engine, text

from tests.support.browser import wait_for_page
from tests.support.server import PROJECT_DIR, PortalServer
from tests.support.sign_in import start_suomifi_sign_in

ATTACKER_SITE = 'http://attacker.example/'
ARTIFACTS = PROJECT_DIR / 'test-artifacts'
ATTACKER = 'Tessa Testilä (010280-952L)'


def _new_page(browser: Browser, portal: PortalServer) -> Page:
    return browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900},
                               locale='fi-FI').new_page()


def _sessions_of_attacker(portal: PortalServer) -> int:
    engine = create_engine(portal.database_url)
    try:
        with engine.begin() as connection:
            return len(list(connection.execute(text(
                'SELECT s.id FROM usersession s JOIN "user" u ON u.id = s.user_id '
                "WHERE u.surname = 'Testilä' AND s.ended_at IS NULL"))))
    finally:
        engine.dispose()


def test_an_answer_kept_by_the_attacker_and_posted_from_his_site_signs_the_victim_in_as_no_one(
        browser: Browser, portal: PortalServer) -> None:
    # The attacker signs in at the test IdP but stops at "Jatka palveluun" and keeps the answer.
    attacker = _new_page(browser, portal)
    start_suomifi_sign_in(attacker)
    attacker.wait_for_url('**/test-idp/sso?**')
    wait_for_page(attacker)
    attacker.get_by_role('button', name=ATTACKER).click()
    expect(attacker.get_by_role('button', name='Jatka palveluun')).to_be_visible()
    saml_response = attacker.locator('input[name=SAMLResponse]').get_attribute('value')
    relay_state = attacker.locator('input[name=RelayState]').get_attribute('value')
    assert saml_response and relay_state

    # His page auto-posts the answer to the portal's ACS from another site, in the victim's browser.
    victim = _new_page(browser, portal)
    attack_page = (f'<!doctype html><html><body onload="document.forms[0].submit()">'
                   f'<form method="post" action="{escape(portal.base_url)}/saml/acs">'
                   f'<input type="hidden" name="SAMLResponse" value="{escape(saml_response)}">'
                   f'<input type="hidden" name="RelayState" value="{escape(relay_state)}"></form></body></html>')

    def serve_attack(route: Route) -> None:
        route.fulfill(status=200, content_type='text/html', body=attack_page)

    victim.context.route(f'{ATTACKER_SITE}**', serve_attack)
    victim.goto(ATTACKER_SITE)
    victim.wait_for_url('**/kirjaudu/virhe?syy=other-browser')
    wait_for_page(victim)
    expect(victim.get_by_text('Kirjautuminen aloitettiin eri selaimessa')).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    victim.screenshot(path=str(ARTIFACTS / 'login-csrf-refused.png'), full_page=True)
    assert _sessions_of_attacker(portal) == 0
    victim.goto('/paasivu')
    victim.wait_for_url('**/kirjaudu?next=/paasivu')  # not signed in, as the attacker or anyone

    # Control: the very same answer is accepted in the browser that started the login.
    attacker.get_by_role('button', name='Jatka palveluun').click()
    attacker.wait_for_url('**/rekisteroidy')
    assert _sessions_of_attacker(portal) == 1
    victim.context.close()
    attacker.context.close()
