"""Signing in the centre's staff in Chromium: password, then the TOTP second factor."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyotp
from playwright.sync_api import Page

from tests.support.browser import wait_for_page
from tests.support.server import PROJECT_DIR

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


_LIST_ROUTES = '''
import pages
from nicegui import app
pages.register_all()
print("\\n".join(sorted({r.path for r in app.routes if getattr(r, "path", "").startswith("/kasittely")})))
'''


def staff_routes(data_dir: Path) -> list[str]:
    """Every route under /kasittely that the portal registers (asked from the code itself, so a page added later is
    covered too), with path parameters filled: {number} with the demo request 978373, any other with 1."""
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    env.update({'PORTAL_IGNORE_DOTENV': '1', 'DATA_DIR': str(data_dir)})
    output = subprocess.run([sys.executable, '-c', _LIST_ROUTES], cwd=PROJECT_DIR, env=env, check=True,
                            capture_output=True, text=True).stdout
    routes = [line.strip() for line in output.splitlines() if line.startswith('/kasittely')]
    return [re.sub(r'\{[^}]+\}', '1', route.replace('{number}', '978373')) for route in routes]
