"""axe on every page the portal registers, citizen's and handler's, in Finnish, Swedish and English.

The list of pages is asked from the code (NiceGUI's page routes), so a page added later is checked too; a page that
needs something this walk cannot give (a SAML exchange, a pending second factor) is listed with the reason.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import sign_in_with_password
from tests.support.browser import axe_violations, wait_for_page
from tests.support.server import PROJECT_DIR, PortalServer
from tests.support.staff import sign_in_as_staff

DEMO_PASSWORD = 'Demo-salasana-2026'
LANGUAGE_NAMES = {'fi': 'Suomi', 'sv': 'Svenska', 'en': 'English'}
# Pages reached only in the middle of an exchange; their own tests run axe on them there.
CHECKED_ELSEWHERE = {
    '/test-idp/sso': 'needs a SAML AuthnRequest (tests/browser/test_sign_in.py)',
    '/rekisteroidy': 'needs a first SAML login (tests/browser/test_sign_in.py)',
    '/kirjaudu/vahvistus': 'needs a pending second factor (walked through by sign_in_as_staff)',
    '/bench/bare': 'benchmark page, only with BENCH_ROUTES=1',
}
# Path parameters filled with demo data.
PARAMETERS = {'{number}': '978373', '{code}': 'tilinumero-liikasuoritus', '{email_id}': '1'}
SPECIAL = {'/palvelupyynto/{number}/muokkaa': '/palvelupyynto/5474/muokkaa',
           '/palvelupyynto/{number}/lahetetty': '/palvelupyynto/979728/lahetetty'}

_LIST_PAGES = '''
import pages
from nicegui.client import Client
pages.register_all()
print("\\n".join(sorted(set(Client.page_routes.values()))))
'''


def page_paths() -> list[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    env.update({'PORTAL_IGNORE_DOTENV': '1', 'DATA_DIR': str(PROJECT_DIR / 'test-artifacts' / 'route-listing')})
    output = subprocess.run([sys.executable, '-c', _LIST_PAGES], cwd=PROJECT_DIR, env=env, check=True,
                            capture_output=True, text=True).stdout
    return [line.strip() for line in output.splitlines() if line.startswith('/')]


def concrete(path: str) -> str:
    if path in SPECIAL:
        return SPECIAL[path]
    return re.sub(r'\{[^}]+\}', lambda match: PARAMETERS.get(match.group(0), '1'), path)


def choose_language(page: Page, lang: str) -> None:
    """Pick the language in the header's KIELI select, as a person would."""
    page.locator('[data-testid=language-select], .portal-header .q-select').first.click()
    page.get_by_role('option', name=LANGUAGE_NAMES[lang]).click()
    # The choice reloads the page: between two documents there is a moment without a root element.
    page.wait_for_function(f'document.documentElement?.lang?.startsWith("{lang}") === true')
    wait_for_page(page)


def check_pages(page: Page, paths: list[str], lang: str) -> list[str]:
    problems: list[str] = []
    for path in paths:
        page.goto(path)
        wait_for_page(page)
        shown_in = page.evaluate('document.documentElement.lang')
        if not shown_in.startswith(lang):
            problems.append(f'{path}: shown in {shown_in!r}, not {lang!r}')
        problems += [f'{path}: {violation}' for violation in axe_violations(page)]
    return problems


@pytest.mark.parametrize('lang', ['fi', 'sv', 'en'])
def test_every_citizen_and_public_page_passes_axe(page: Page, portal: PortalServer, lang: str) -> None:
    paths = [p for p in page_paths() if not p.startswith('/kasittely') and p not in CHECKED_ELSEWHERE]
    public = [p for p in paths if p in ('/', '/kirjaudu', '/kirjaudu/salasana', '/kirjaudu/virhe',
                                         '/saavutettavuusseloste')]
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    choose_language(page, lang)  # kept for the account and, after signing out, for this browser
    problems = check_pages(page, [concrete(p) for p in paths if p not in public], lang)
    page.goto('/kirjaudu/ulos')
    wait_for_page(page)
    problems += check_pages(page, [concrete(p) for p in public], lang)
    assert problems == [], '\n'.join(problems)


def staff_pages_in(page: Page, lang: str) -> list[str]:
    """Sign in as the admin, choose `lang` in KIELI and list the handler and admin pages to visit."""
    sign_in_as_staff(page, username='admin')
    choose_language(page, lang)
    paths = [concrete(p) for p in page_paths() if p.startswith('/kasittely') and p not in CHECKED_ELSEWHERE]
    assert len(paths) >= 5
    return paths


@pytest.mark.parametrize('lang', ['fi', 'sv', 'en'])
def test_every_handler_and_admin_page_passes_axe(page: Page, lang: str) -> None:
    problems = check_pages(page, staff_pages_in(page, lang), lang)
    assert problems == [], '\n'.join(problems)
