"""Attack: session fixation. The attacker gets a session cookie from the portal, plants it in the victim's browser
(a shared computer, a cookie set from a sibling site), waits for the victim to sign in, then uses his copy.

The browser id in NiceGUI's signed session cookie is the key of the server-side storage that holds the session, so
if it stayed the same across sign-in, the planted copy would be signed in too. Tried with the password sign-in and
with Suomi.fi (the test IdP posts back from the same site, so the planted cookie reaches the ACS), and at sign-out.
"""
from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import sign_in_with_password
from tests.browser.test_sign_in import _identify_at_test_idp
from tests.support.browser import wait_for_page
from tests.support.server import PortalServer
from tests.support.staff import DEMO_PASSWORD


def _fresh_cookie(portal: PortalServer) -> str:
    """What the attacker gets by opening the front page."""
    with httpx.Client(base_url=portal.base_url, timeout=30) as attacker:
        attacker.get('/')
        return attacker.cookies['session']


def _plant(page: Page, portal: PortalServer, cookie: str) -> None:
    page.context.add_cookies([{'name': 'session', 'value': cookie, 'url': portal.base_url}])


def _browser_cookie(page: Page) -> str:
    return next(cookie['value'] for cookie in page.context.cookies() if cookie['name'] == 'session')


def _signed_in_with(portal: PortalServer, cookie: str) -> bool:
    with httpx.Client(base_url=portal.base_url, timeout=30, cookies={'session': cookie}) as holder:
        response = holder.get('/oma-asiointi', follow_redirects=False)
    assert response.status_code in (200, 303)
    return response.status_code == 200


def test_a_planted_cookie_is_not_signed_in_by_the_victims_password_sign_in(page: Page, portal: PortalServer) -> None:
    planted = _fresh_cookie(portal)
    _plant(page, portal, planted)
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    assert _browser_cookie(page) != planted
    assert _signed_in_with(portal, _browser_cookie(page))  # the victim is signed in, in her own browser
    assert not _signed_in_with(portal, planted)  # the attacker's copy is not


def test_a_planted_cookie_is_not_signed_in_by_the_victims_suomifi_sign_in(page: Page, portal: PortalServer) -> None:
    planted = _fresh_cookie(portal)
    _plant(page, portal, planted)
    page.goto('/kirjaudu')
    wait_for_page(page)
    _identify_at_test_idp(page, 'Onni Juhani Korhonen (150585-958J)')
    page.get_by_role('button', name='Jatka palveluun').click()
    page.wait_for_url('**/paasivu')
    wait_for_page(page)
    assert _browser_cookie(page) != planted
    assert _signed_in_with(portal, _browser_cookie(page))
    assert not _signed_in_with(portal, planted)


def test_sign_out_gives_a_new_cookie_and_a_copy_from_before_opens_nothing(page: Page, portal: PortalServer) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    while_signed_in = _browser_cookie(page)
    page.get_by_role('button', name='Kirjaudu ulos').click()
    page.wait_for_url('**/?uloskirjautunut=1')
    wait_for_page(page)
    assert _browser_cookie(page) != while_signed_in
    assert not _signed_in_with(portal, while_signed_in)
    assert not _signed_in_with(portal, _browser_cookie(page))
