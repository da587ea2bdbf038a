"""Faults: the app killed in the middle of sending a request, and the database out of reach for a moment.

- SIGKILL inside the send transaction (paused by an SQLAlchemy `commit` hook in a subprocess, after every write of
  the send and before the commit) leaves no half-sent request: still a draft with its answers, no stage, no audit
  event, no email; sending again works once. On SQLite and on PostgreSQL.
- The database behind a TCP forwarder we control (never the shared PostgreSQL server itself): while it is cut,
  `/health` answers 503, a page answers with "Palvelu on tilapäisesti poissa käytöstä … Mitään kirjoittamaasi ei
  ole menetetty", a button on an open form says so without losing the typed values; when the connection is back,
  everything works again and the values are saved.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from bench.harness import wait_until
from models import AuditEvent, OutboxEmail, RequestStatus, ServiceRequest, StageChange, User
from models.db import session_scope
from tests.browser.conftest import sign_in_with_password
from tests.browser.test_refund_form import REFUND, field, fill_contact_step, press_continue
from tests.support.browser import SHOTS_DIR, wait_for_page
from tests.support.databases import POSTGRES_ENV
from tests.support.rows import found
from tests.support.server import PROJECT_DIR, free_port, start_portal
from tests.unit.test_workflow import CONTACT, RECIPIENT

from .conftest import POSTGRES_URL

SHOTS = SHOTS_DIR / 'scaleout'
UNAVAILABLE = 'Palvelu on tilapäisesti poissa käytöstä'
NOTHING_LOST = 'Mitään kirjoittamaasi ei ole menetetty'

# Runs in the subprocess: send the draft, but stop at the commit of the send transaction and wait to be killed.
SEND_AND_PAUSE = '''
import sys, time
from sqlalchemy import event
import config
from models.db import get_engine
from services import workflow

config.reload_settings()

def pause_before_commit(connection):
    print('PAUSED', flush=True)
    time.sleep(120)  # the behaviour under test: a commit that hangs (the test kills this process meanwhile)

event.listen(get_engine(), 'commit', pause_before_commit)
workflow.send_request(int(sys.argv[1]), int(sys.argv[2]))
print('SENT', flush=True)
'''


@pytest.fixture(params=['sqlite', 'postgresql'])
def demo_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == 'postgresql':
        monkeypatch.setenv(POSTGRES_ENV, POSTGRES_URL)
    else:
        monkeypatch.delenv(POSTGRES_ENV, raising=False)
    url = request.getfixturevalue('database')
    from services.catalogue import sync_services
    from services.demo_data import load_demo_data

    sync_services()
    load_demo_data()
    yield url


def _onni() -> int:
    with session_scope() as db:
        return found(db.exec(select(User.id).where(User.username == 'onni.korhonen')).one())


def _traces(number: int) -> tuple[int, list[str], int]:
    with session_scope() as db:
        stages = len(db.exec(select(StageChange).where(StageChange.request_id == number)).all())
        actions = [e.action for e in db.exec(select(AuditEvent).where(AuditEvent.request_id == number)).all()]
        emails = len(db.exec(select(OutboxEmail).where(OutboxEmail.request_id == number)).all())
    return stages, actions, emails


def test_killed_while_sending_leaves_the_draft_intact(demo_database: str) -> None:
    from services import workflow
    from services.forms import REFUND_FORM

    owner = _onni()
    number = workflow.create_draft(owner, REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(owner, number, RECIPIENT, step=2)
    with session_scope() as db:
        before = found(db.get(ServiceRequest, number))
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    process = subprocess.Popen([sys.executable, '-c', SEND_AND_PAUSE, str(owner), str(number)], cwd=PROJECT_DIR,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = found(process.stdout).readline().strip()
        assert line == 'PAUSED', found(process.stderr).read()
        # Inside the transaction: every write of the send is done, none is visible to others.
        with session_scope() as db:
            assert found(db.get(ServiceRequest, number)).status == RequestStatus.DRAFT
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()

    with session_scope() as db:
        after = found(db.get(ServiceRequest, number))
        assert after.status == RequestStatus.DRAFT and after.sent_at is None
        assert after.answers == before.answers and after.current_step == before.current_step
        assert after.version == before.version
    assert _traces(number) == (0, ['draft_created'], 0)

    # The citizen presses Lähetä again: sent once, with one stage, one audit event and one receipt email.
    assert workflow.send_request(owner, number).sent_now
    stages, actions, emails = _traces(number)
    assert (stages, actions.count('request_sent')) == (1, 1)
    assert emails == 1  # the receipt, once


class PausableForwarder:
    """A TCP forwarder to the PostgreSQL server that can be cut (connections dropped, new ones refused) and
    restored, so one instance loses its database without touching the server everyone else uses."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.resume()

    def _call(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        self._writers |= {client_writer, server_writer}
        await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))
        self._writers -= {client_writer, server_writer}

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, '127.0.0.1', self.port, reuse_address=True)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def resume(self) -> None:
        self._call(self._start())

    def cut(self) -> None:
        self._call(self._cut())

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_for_health(base_url: str, status: int, seconds: float = 20) -> None:
    wait_until(lambda: _status(f'{base_url}/health')[0] == status, f'/health to answer {status}', seconds)


def test_database_out_of_reach_for_a_moment(browser: Browser, tmp_path: Path, postgres_url: str) -> None:
    forwarder = PausableForwarder(('127.0.0.1', 5432))
    through_forwarder = re.sub(r'@[^/]+/', f'@127.0.0.1:{forwarder.port}/', postgres_url)
    portal = start_portal(tmp_path / 'data', through_forwarder)
    context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900}, locale='fi-FI')
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        sign_in_with_password(page, 'onni.korhonen', 'Demo-salasana-2026')
        page.goto(REFUND)
        wait_for_page(page)
        fill_contact_step(page)

        # The connection goes: the button on the open form says so, and what was typed stays in the fields.
        forwarder.cut()
        press_continue(page)
        notice = page.get_by_text(NOTHING_LOST)
        expect(notice).to_be_visible(timeout=20_000)
        page.screenshot(path=str(SHOTS / 'database-cut-form.png'), full_page=True)
        expect(page.get_by_role('heading', name='Yhteydenotto', level=2)).to_be_visible()
        # Still there (the wizard shows a valid number in its international form once checked).
        expect(field(page, 'Puhelinnumero')).to_have_value(re.compile(r'^(0|\+358)501234567$'))
        expect(field(page, 'Etunimi *')).to_have_value('Onni Juhani')
        status, body = _status(f'{portal.base_url}/health')
        assert status == 503 and json.loads(body)['status'] == 'database unavailable'

        # It comes back: the same button now saves, and the request exists as a draft.
        forwarder.resume()
        _wait_for_health(portal.base_url, 200)
        press_continue(page)
        expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible(timeout=20_000)
        page.wait_for_url(re.compile(r'/palvelupyynto/\d+/muokkaa'))
        number = int(found(re.search(r'/palvelupyynto/(\d+)/', page.url)).group(1))

        # A page opened while the database is away: the friendly page with status 503, not a trace.
        forwarder.cut()
        response = page.goto('/oma-asiointi')
        assert response is not None and response.status == 503
        expect(page.get_by_role('heading', name=UNAVAILABLE, level=1)).to_be_visible()
        expect(page.get_by_text(NOTHING_LOST)).to_be_visible()
        assert 'Traceback' not in page.content()
        page.screenshot(path=str(SHOTS / 'database-cut-page.png'), full_page=True)

        forwarder.resume()
        _wait_for_health(portal.base_url, 200)
        page.goto('/oma-asiointi')
        wait_for_page(page)
        page.get_by_role('tab', name=re.compile('Luonnokset')).click()
        expect(page.get_by_role('row').filter(has_text=f'{number} : Tilinumeron ilmoittaminen')).to_have_count(1)
    finally:
        context.close()
        portal.stop()
        forwarder.close()
