"""Figures 2 and 3: server memory per live client, event-loop lag and submissions per second.

- Memory: browserless tabs (bench.support.Tab: the page over HTTP, then NiceGUI's socket.io with the page's
  client_id) open Oma asiointi and stay connected; the server's RSS is read from /proc at 100 and at 300 clients.
- Submissions: 50 tabs each open a complete draft at its preview and press Lähetä at the same moment, twice (a
  double click), through the page's socket exactly as a browser does. Measured: submissions per second from the
  first press to the last confirmation, the event loop's lag meanwhile (the server's own 5 ms probe), and in the
  database that each of the 50 was sent once: one stage, one audit event, one receipt email each.
- For comparison, 50 threads call the send workflow service (`services.workflow.send_request`) directly.
"""
from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func
from sqlmodel import col, select

from .support import Tab, portal, rss_mib, sign_in, use_database_of

CLIENT_COUNTS = (100, 300)
SUBMITTERS = 50
OPENING_IN_FLIGHT = 4

# The answers of a complete refund request (the demo citizen's), for the drafts the benchmark sends.
CONTACT = {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki',
           'unit': '', 'email': '645516@generated.invalid', 'phone': '0501234567', 'on_behalf': False}
RECIPIENT = {'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
             'iban': 'FI48 2222 3333 4444 55', 'customer_number': '12345', 'refund_amount': '27,00',
             'overpayment_date': '27.1.2023', 'billing_organisation': 'Jyväskylän kaupunki'}


async def _open_tabs(http: httpx.AsyncClient, paths: list[str]) -> list[Tab]:
    gate = asyncio.Semaphore(OPENING_IN_FLIGHT)

    async def open_one(path: str) -> Tab:
        async with gate:
            return await (await Tab(http, path).load()).connect()

    return list(await asyncio.gather(*(open_one(path) for path in paths)))


async def _all_live(tabs: list[Tab], seconds: float = 90) -> int:
    """Wait until every tab's socket is connected (reconnects included); returns how many reconnects it took."""
    deadline = time.monotonic() + seconds
    while not all(tab.sio is not None and tab.sio.connected for tab in tabs):
        if time.monotonic() > deadline:
            lost = [tab.disconnect_reason for tab in tabs if tab.sio is None or not tab.sio.connected]
            raise RuntimeError(f'{len(lost)} clients lost their socket: {set(lost)}')
        await asyncio.sleep(0.2)
    return sum(tab.disconnects for tab in tabs)


async def memory_per_client(base_url: str, pid: int) -> dict[str, str]:
    summary = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=120,
                                 limits=httpx.Limits(max_connections=OPENING_IN_FLIGHT * 2)) as http:
        await sign_in(http, 'onni.korhonen')
        warm = await _open_tabs(http, ['/oma-asiointi'] * 5)
        elements = len(warm[0].elements)
        for tab in warm:
            await tab.close()
        await asyncio.sleep(6)  # NiceGUI deletes a disconnected client after its reconnect timeout
        baseline = rss_mib(pid)
        print(f'  baseline RSS {baseline:.0f} MiB after warm-up; Oma asiointi has {elements} elements')
        tabs: list[Tab] = []
        for count in CLIENT_COUNTS:
            started = time.perf_counter()
            added = count - len(tabs)
            tabs += await _open_tabs(http, ['/oma-asiointi'] * added)
            opened = time.perf_counter() - started
            await asyncio.sleep(3)
            reconnects = await _all_live(tabs)
            rss = rss_mib(pid)
            per_client = (rss - baseline) * 1024 / count
            print(f'  {count:4} live clients: RSS {rss:6.0f} MiB, {per_client:5.0f} KiB a client '
                  f'(opened {added} more in {opened:.1f} s; {reconnects} socket reconnects so far)')
            summary[f'memory at {count} clients'] = f'{per_client:.0f} KiB a client (RSS {rss:.0f} MiB)'
        await asyncio.gather(*(tab.close() for tab in tabs))
    await asyncio.sleep(5)  # the server deletes the closed clients after its reconnect timeout
    return summary


def _complete_drafts(owner: int, count: int) -> list[int]:
    from services import workflow
    from services.forms import REFUND_FORM

    numbers = []
    for _ in range(count):
        number = workflow.create_draft(owner, REFUND_FORM.code, CONTACT, step=1)
        workflow.save_progress(owner, number, RECIPIENT, step=len(REFUND_FORM.steps))
        numbers.append(number)
    return numbers


def _onni() -> int:
    from models import User
    from models.db import session_scope

    with session_scope() as db:
        return db.exec(select(User.id).where(User.username == 'onni.korhonen')).one()


def check_sent_once(numbers: list[int]) -> str:
    """Each request sent exactly once: status, one stage change, one 'request_sent' event, one receipt email."""
    from models import AuditEvent, OutboxEmail, RequestStatus, ServiceRequest, StageChange
    from models.db import session_scope

    with session_scope() as db:
        sent = db.exec(select(func.count()).select_from(ServiceRequest).where(
            col(ServiceRequest.id).in_(numbers), ServiceRequest.status == RequestStatus.SENT)).one()
        stages = dict(db.exec(select(StageChange.request_id, func.count()).where(
            col(StageChange.request_id).in_(numbers)).group_by(StageChange.request_id)).all())
        events = dict(db.exec(select(AuditEvent.request_id, func.count()).where(
            col(AuditEvent.request_id).in_(numbers), AuditEvent.action == 'request_sent')
            .group_by(AuditEvent.request_id)).all())
        emails = dict(db.exec(select(OutboxEmail.request_id, func.count()).where(
            col(OutboxEmail.request_id).in_(numbers)).group_by(OutboxEmail.request_id)).all())
    problems = [f'{len(numbers) - sent} not sent'] if sent != len(numbers) else []
    for name, counts in (('stage changes', stages), ('send events', events), ('receipt emails', emails)):
        wrong = {n: counts.get(n, 0) for n in numbers if counts.get(n, 0) != 1}
        if wrong:
            problems.append(f'{name} not exactly one: {wrong}')
    return '; '.join(problems) or f'all {len(numbers)} sent exactly once (status, stage, audit event, email)'


async def submissions(base_url: str) -> dict[str, str]:
    owner = _onni()
    numbers = _complete_drafts(owner, SUBMITTERS)
    async with httpx.AsyncClient(base_url=base_url, timeout=120,
                                 limits=httpx.Limits(max_connections=OPENING_IN_FLIGHT * 2)) as http:
        await sign_in(http, 'onni.korhonen')
        tabs = await _open_tabs(http, [f'/palvelupyynto/{n}/muokkaa' for n in numbers])
        buttons = [tab.find(label='Lähetä') for tab in tabs]
        await asyncio.sleep(2)
        await _all_live(tabs)
        (await http.get('/bench/lag', params={'reset': 'true'})).raise_for_status()
        await asyncio.sleep(2)
        idle = (await http.get('/bench/lag', params={'reset': 'true'})).json()
        started = time.perf_counter()
        # Everyone presses Lähetä at once, twice (a double click).
        await asyncio.gather(*(tab.click(button) for tab, button in zip(tabs, buttons, strict=True)))
        await asyncio.gather(*(tab.click(button) for tab, button in zip(tabs, buttons, strict=True)))
        targets = await asyncio.gather(*(tab.wait_for_navigation(120) for tab in tabs))
        elapsed = time.perf_counter() - started
        lag = (await http.get('/bench/lag')).json()
        await asyncio.gather(*(tab.close() for tab in tabs))
    expected = {f'/palvelupyynto/{n}/lahetetty' for n in numbers}
    assert set(targets) == expected, f'unexpected confirmations: {set(targets) ^ expected}'
    rate = SUBMITTERS / elapsed
    verdict = check_sent_once(numbers)
    print(f'  {SUBMITTERS} clients pressing Lähetä at once (twice each), through the page over socket.io: '
          f'{rate:.1f} submissions/s ({elapsed:.2f} s for all)')
    print(f'  event-loop lag meanwhile: worst {lag["max_ms"]:.0f} ms, 99th percentile {lag["p99_ms"]:.0f} ms '
          f'(idle before: worst {idle["max_ms"]:.0f} ms, p99 {idle["p99_ms"]:.0f} ms)')
    print(f'  check: {verdict}')
    return {'submissions through the page (50 clients)': f'{rate:.1f}/s, {verdict}',
            'event-loop lag during 50 submissions': f'worst {lag["max_ms"]:.0f} ms, p99 {lag["p99_ms"]:.0f} ms',
            'event-loop lag idle': f'worst {idle["max_ms"]:.0f} ms, p99 {idle["p99_ms"]:.0f} ms'}


def service_submissions() -> dict[str, str]:
    from services import workflow

    owner = _onni()
    numbers = _complete_drafts(owner, SUBMITTERS)
    started = time.perf_counter()
    with ThreadPoolExecutor(SUBMITTERS) as pool:
        # Each request is sent twice at once, as by a double click in two tabs.
        results = list(pool.map(lambda n: workflow.send_request(owner, n).sent_now, numbers + numbers))
    elapsed = time.perf_counter() - started
    verdict = check_sent_once(numbers)
    assert results.count(True) == SUBMITTERS, f'{results.count(True)} sends reported as done'
    rate = SUBMITTERS / elapsed
    print(f'  {SUBMITTERS} threads calling services.workflow.send_request (each request twice): {rate:.1f} '
          f'submissions/s; check: {verdict}')
    return {'submissions through the workflow service (50 threads)': f'{rate:.1f}/s, {verdict}'}


def main() -> dict[str, str]:
    print(f'== 2./3. Memory per live client, event-loop lag and submissions (load average now '
          f'{os.getloadavg()[0]:.1f})')
    with portal() as server:
        use_database_of(server)
        pid = server.process.pid
        summary = asyncio.run(memory_per_client(server.base_url, pid))
        summary |= asyncio.run(submissions(server.base_url))
        summary |= service_submissions()
    return summary


if __name__ == '__main__':
    main()
