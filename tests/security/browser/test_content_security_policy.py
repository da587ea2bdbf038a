"""The Content-Security-Policy in Chromium (issue 12, finding 8): NiceGUI and Quasar work under it — a walk through
citizen and handler pages, with the interactions that load more code (charts, menus, dialogs, the form wizard),
reports no `securitypolicyviolation` and no console error — and another site cannot frame the password page."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.security.browser.conftest import sign_in_with_password
from tests.support.browser import wait_for_page
from tests.support.server import PortalServer
from tests.support.staff import DEMO_PASSWORD, sign_in_as_staff

_REPORT_VIOLATIONS = '''
document.addEventListener('securitypolicyviolation', (event) => {
    window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:` +
                           `${event.lineNumber} (${event.sample})`);
});
'''


class Problems:
    def __init__(self, context: BrowserContext) -> None:
        self.seen: list[str] = []
        context.expose_function('reportViolation', lambda text: self.seen.append(f'CSP: {text}'))
        context.add_init_script(_REPORT_VIOLATIONS)

    def watch(self, page: Page) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == 'error':
                self.seen.append(f'console on {page.url}: {message.text}')

        page.on('console', on_console)
        page.on('pageerror', lambda error: self.seen.append(f'page error on {page.url}: {error}'))
        return page


@pytest.fixture
def problems(page: Page) -> Iterator[Problems]:
    found = Problems(page.context)
    found.watch(page)
    yield found


def _visit(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_page(page)


def test_citizen_pages_work_under_the_policy(page: Page, problems: Problems) -> None:
    for path in ('/kirjaudu', '/saavutettavuusseloste', '/'):
        _visit(page, path)
    page.get_by_role('button', name='Yksityishenkilön asiointi »').click()  # opens the organisation search
    expect(page.get_by_label('Organisaatio')).to_be_visible()
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    for path in ('/paasivu', '/palvelut', '/oma-asiointi', '/oma-asiointi/978373', '/omat-tiedot', '/yhteystiedot'):
        _visit(page, path)
    _visit(page, '/oma-asiointi')
    page.get_by_role('tab', name='Lähetetyt').click()
    _visit(page, '/palvelut')
    page.get_by_role('link', name='Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten').click()
    wait_for_page(page)
    page.get_by_label('Etunimi *').fill('')
    page.get_by_role('button', name='Jatka').click()  # validation messages and the error summary
    expect(page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')).to_be_visible()
    assert problems.seen == []


def test_handler_pages_work_under_the_policy(page: Page, problems: Problems) -> None:
    sign_in_as_staff(page, 'admin')
    for path in ('/kasittely', '/kasittely/pyynto/978373', '/kasittely/kojelauta', '/kasittely/sahkopostit',
                 '/kasittely/palaute', '/kasittely/yllapito', '/kasittely/yllapito/asiointioikeudet',
                 '/kasittely/yllapito/kasittelijat'):
        _visit(page, path)
    _visit(page, '/kasittely/kojelauta')
    expect(page.locator('canvas').first).to_be_visible()  # ECharts drew
    _visit(page, '/kasittely')
    page.get_by_label('Palvelu').click()  # a Quasar menu
    page.get_by_role('option', name='Verokortin toimittaminen').click()
    expect(page.get_by_text('3 palvelupyyntöä')).to_be_visible()
    assert problems.seen == []


def test_another_site_cannot_frame_the_password_page(page: Page, portal: PortalServer) -> None:
    evil = 'http://evil.example/'
    page.route(evil, lambda route: route.fulfill(
        content_type='text/html',
        body=f'<html><body><h1>Voita palkinto</h1><iframe src="{portal.base_url}/kirjaudu/salasana"></iframe>'
             '</body></html>'))
    page.goto(evil)
    frame = page.frame_locator('iframe')
    page.wait_for_load_state('load')
    expect(frame.get_by_label('Salasana', exact=True)).to_have_count(0)
    assert all(not child.url.startswith(portal.base_url) or child.content().count('Salasana') == 0
               for child in page.frames[1:])
