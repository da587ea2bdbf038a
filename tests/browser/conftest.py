"""Browser tests: the portal as a real server and Debian's Chromium; a screenshot is saved when a test fails."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.server import PROJECT_DIR, PortalServer, start_portal

ARTIFACTS = PROJECT_DIR / 'test-artifacts'


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f'report_{report.when}', report)


@pytest.fixture(scope='session')
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """One server with fresh demo data for the tests of a module."""
    tmp = tmp_path_factory.mktemp('portal')
    with fresh_database_url(tmp) as url:
        server = start_portal(tmp / 'data', url)
        yield server
        server.stop()


@pytest.fixture
def page(browser: Browser, portal: PortalServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900}, locale='fi-FI')
    page = context.new_page()
    yield page
    report = getattr(request.node, 'report_call', None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f'{request.node.name}.png'), full_page=True)
    context.close()


def sign_in_with_password(page: Page, username: str, password: str) -> None:
    page.goto('/kirjaudu/salasana')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').fill(username)
    page.get_by_label('Salasana', exact=True).fill(password)
    page.get_by_role('button', name='Kirjaudu').click()
    page.wait_for_url('**/paasivu')
    wait_for_page(page)

