"""Browser tests: the portal as a real server and Debian's Chromium; a screenshot is saved when a test fails."""
from __future__ import annotations

import json
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pluggy
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.server import PROJECT_DIR, PortalServer, start_portal

ARTIFACTS = PROJECT_DIR / 'test-artifacts'
# The blocking-call check (portal/loop_watch.py): every portal these tests start reports event-loop stalls longer than
# this (time the loop was busy or blocked, not time it waited for a CPU on a loaded machine) and every SQL statement
# run on the loop's thread. A report with one of these modules on its stack fails the test: their database and file
# work is meant to be off the loop. Modules not yet converted are not listed; add a module once it is converted.
LOOP_WATCH_MS = 250
OFF_THE_LOOP = frozenset({
    'auth.access',  # the session read once per request, in a thread
    'auth.kiosk',
    'auth.page_guard',  # event and upload checks
    'auth.sign_in_flow',
    'components.idle_warning',  # one task for all pages, one query in a thread
})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                               call: pytest.CallInfo) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f'report_{report.when}', report)


@pytest.fixture(scope='session', autouse=True)
def loop_watch_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Turn the loop watch on for every portal started in this run (start_portal passes the environment on)."""
    path = tmp_path_factory.mktemp('loop-watch') / 'reports.jsonl'
    path.touch()
    saved = {name: os.environ.get(name) for name in ('PORTAL_LOOP_WATCH_MS', 'PORTAL_LOOP_WATCH_FILE')}
    os.environ.update(PORTAL_LOOP_WATCH_MS=str(LOOP_WATCH_MS), PORTAL_LOOP_WATCH_FILE=str(path))
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


# The page guard runs every event handler inside its `_dispatch` frame: what happens in there is the handler's (its
# module's, or NiceGUI's), not the guard's. The guard's own checks are outside that frame and stay its own.
DISPATCHERS = {('auth/page_guard.py', '_dispatch')}


def _responsible(report: dict) -> list[str]:
    """The modules a report concerns: its stack's, below the innermost dispatcher frame."""
    modules, stack = report['modules'], report['stack']
    start = 0
    for index, where in enumerate(stack):
        if (where.split(':')[0], where.rsplit(' ', 1)[-1]) in DISPATCHERS:
            start = index + 1
    return modules[start:]


def blocking_reports(lines: list[str]) -> list[str]:
    """The loop watch's reports that concern a module said to be off the loop, readable."""
    found = []
    for line in lines:
        report = json.loads(line)
        if OFF_THE_LOOP.intersection(_responsible(report)):
            what = f'SQL on the event loop: {report["statement"]}' if report['kind'] == 'sql' else \
                f'event loop blocked for {report["ms"]} ms'
            found.append(what + '\n    ' + '\n    '.join(report['stack']))
    return found


@pytest.fixture(autouse=True)
def no_blocking_calls(loop_watch_file: Path) -> Iterator[None]:
    """Fail the test when the portal blocked its event loop in a module that is meant to be off the loop."""
    start = loop_watch_file.stat().st_size
    yield
    with loop_watch_file.open(encoding='utf-8') as file:
        file.seek(start)
        reports = blocking_reports([line for line in file.read().splitlines() if line.strip()])
    if reports:
        pytest.fail('Blocking calls on the event loop (portal/loop_watch.py):\n' + '\n'.join(reports), pytrace=False)


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

