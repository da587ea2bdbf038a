"""Signing in the centre's staff in Chromium: password, then the TOTP second factor."""
from __future__ import annotations

import pyotp
from playwright.sync_api import Page

from tests.support.browser import wait_for_page

DEMO_PASSWORD = 'Demo-salasana-2026'
DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'


def sign_in_as_staff(page: Page, username: str = 'kaisa.kasittelija', password: str = DEMO_PASSWORD,
                     totp_secret: str = DEMO_TOTP_SECRET) -> None:
    """Sign in and land on the queue (/kasittely)."""
    page.goto('/kirjaudu/salasana')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').fill(username)
    page.get_by_label('Salasana', exact=True).fill(password)
    page.get_by_role('button', name='Kirjaudu').click()
    page.wait_for_url('**/kirjaudu/vahvistus**')
    wait_for_page(page)
    page.get_by_label('Vahvistuskoodi').fill(pyotp.TOTP(totp_secret).now())
    page.get_by_role('button', name='Vahvista').click()
    page.wait_for_url('**/kasittely')
    wait_for_page(page)
