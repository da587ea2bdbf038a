"""Browser steps shared by the Suomi.fi sign-in tests."""
from __future__ import annotations

from playwright.sync_api import Page

from tests.support.browser import wait_for_page


def start_suomifi_sign_in(page: Page) -> None:
    """From the landing page as a private person without an organisation, press the Suomi.fi button (the browser
    leaves for the IdP)."""
    page.goto('/')
    wait_for_page(page)
    page.get_by_role('button', name='Yksityishenkilön asiointi »').click()
    page.get_by_role('link', name='siirry asioimaan ilman organisaatiota').click()
    page.wait_for_url('**/kirjaudu')
    wait_for_page(page)
    page.get_by_role('button', name='Kirjaudu Suomi.fi-tunnistuksella').click()
