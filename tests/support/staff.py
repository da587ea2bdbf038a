"""Signing in the centre's staff in Chromium: password, then the TOTP second factor."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import Page

from tests.support.browser import wait_for_page
from tests.support.server import PROJECT_DIR

DEMO_PASSWORD = 'Demo-salasana-2026'
DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
TOTP_STEP_SECONDS = 30
# The portal accepts each code once, and none older than the last one used (auth/password_login.py): the time step of
# the last code given per (server, username) in this test process.
_last_step: dict[tuple[str, str], int] = {}


def unused_totp_code(server: str, username: str, secret: str = DEMO_TOTP_SECRET) -> str:
    """A code the portal at `server` has not seen for `username`: this step's, the next one's, or after a wait for a
    new step (the server accepts one step either side of its clock; this process signs in at most twice a step)."""
    totp = pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS)
    key = (server, username)
    while True:
        now_step = int(time.time()) // TOTP_STEP_SECONDS
        step = max(now_step, _last_step.get(key, now_step - 1) + 1)
        if step <= now_step + 1:
            _last_step[key] = step
            return totp.generate_otp(step)
        time.sleep((now_step + 1) * TOTP_STEP_SECONDS - time.time() + 0.05)  # the TOTP clock itself is the state


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
    origin = urlsplit(page.url)
    page.get_by_label('Vahvistuskoodi').fill(unused_totp_code(f'{origin.scheme}://{origin.netloc}', username,
                                                              totp_secret))
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
