"""The Prometheus endpoint of a running portal: behind its token (or on its own local port), values that move when
pages are rendered, requests sent and people sign in, route templates rather than raw paths, and no identity number
in any label."""
from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.harness import wait_until
from tests.support.citizen import complete_draft, send_through_the_page, user_id
from tests.support.server import PortalServer, free_port, start_portal

TOKEN = 'mittarit-' + 'x' * 24
IDENTITY_NUMBER = re.compile(r'\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]', re.IGNORECASE)
Samples = dict[tuple[str, frozenset], float]


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PortalServer, int]]:
    folder = tmp_path_factory.mktemp('metrics')
    metrics_port = free_port()
    server = start_portal(folder / 'data', f'sqlite:///{folder / "data" / "portal.db"}', METRICS_TOKEN=TOKEN,
                          METRICS_PORT=str(metrics_port), LOG_FORMAT='json', LOG_LEVEL='INFO')
    yield server, metrics_port
    server.stop()


@pytest.fixture
def portal_database(portal: tuple[PortalServer, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[PortalServer]:
    """This process's services pointed at the running portal's database (to prepare drafts)."""
    import config

    server = portal[0]
    monkeypatch.setenv('DATA_DIR', str(server.data_dir))
    monkeypatch.setenv('DATABASE_URL', server.database_url)
    config.reload_settings()
    yield server
    monkeypatch.undo()
    config.reload_settings()


def scrape(url: str, token: str | None = TOKEN) -> Samples:
    headers = {'Authorization': f'Bearer {token}'} if token else {}
    response = httpx.get(url, headers=headers, timeout=30)
    response.raise_for_status()
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(v for (n, found), v in samples.items() if n == name and wanted <= set(found))


def wait_for(condition, what: str, seconds: float = 30) -> None:
    wait_until(condition, what, seconds)


def test_the_endpoint_needs_the_token_or_the_local_port(portal: tuple[PortalServer, int]) -> None:
    server, metrics_port = portal
    assert httpx.get(f'{server.base_url}/metrics').status_code == 401
    assert httpx.get(f'{server.base_url}/metrics', headers={'Authorization': 'Bearer wrong'}).status_code == 401
    with_token = scrape(f'{server.base_url}/metrics')
    own_port = scrape(f'http://127.0.0.1:{metrics_port}/metrics', token=None)
    for name in ('portal_http_requests_total', 'portal_connected_clients', 'portal_outbox_emails',
                 'portal_event_loop_lag_seconds'):
        assert any(key[0] == name for key in with_token) and any(key[0] == name for key in own_port)


async def _wrong_password(base_url: str) -> None:
    from bench.support import Tab

    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        tab = await (await Tab(http, '/kirjaudu/salasana').load()).connect()
        try:
            await tab.set_value(tab.find(label='Käyttäjätunnus'), 'onni.korhonen')
            await tab.set_value(tab.find(label='Salasana'), 'väärä-salasana')
            await tab.click(tab.find(label='Kirjaudu'))
            url = f'{base_url}/metrics'
            await asyncio.to_thread(wait_for, lambda: value(scrape(url), 'portal_sign_in_refusals_total',
                                                            method='password', reason='invalid') >= 1,
                                    'the refusal to be counted')
            # The tab is still open: it counts as a connected client.
            assert value(scrape(url), 'portal_connected_clients') >= 1
        finally:
            await tab.close()


def test_values_move_with_pages_requests_and_sign_ins(portal_database: PortalServer) -> None:
    server = portal_database
    url = f'{server.base_url}/metrics'
    before = scrape(url)
    for path in ('/', '/', '/kirjaudu', '/palvelupyynto/5474/muokkaa'):
        httpx.get(f'{server.base_url}{path}', timeout=30)
    number = complete_draft(user_id('onni.korhonen'))
    asyncio.run(send_through_the_page(server.base_url, [number]))
    asyncio.run(_wrong_password(server.base_url))
    wait_for(lambda: value(scrape(url), 'portal_event_loop_lag_histogram_seconds_count') > 0, 'a loop-lag probe')
    after = scrape(url)

    def moved(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert moved('portal_http_requests_total', route='/', method='GET', status='200') == 2
    assert moved('portal_page_render_seconds_count', route='/') == 2
    assert moved('portal_page_render_seconds_count', route='/kirjaudu') >= 1
    # Anonymous: the access middleware answers with a redirect before routing, still labelled by template.
    assert moved('portal_http_requests_total', route='/palvelupyynto/{number}/muokkaa', status='303') == 1
    assert moved('portal_page_render_seconds_count', route='/palvelupyynto/{number}/muokkaa') == 1
    assert moved('portal_sign_ins_total', method='password') == 1
    assert moved('portal_sign_in_refusals_total', method='password', reason='invalid') == 1
    assert moved('portal_outbox_emails', status='pending') == 1  # the receipt of the request just sent

    for (name, labels), _ in after.items():
        for label, text in labels:
            assert not IDENTITY_NUMBER.search(text), (name, label, text)
            assert str(number) not in text and '5474' not in text, (name, label, text)  # templates, not paths

    # LOG_FORMAT=json: every line is JSON; the sign-in's line names the user by id, no line has an identity number.
    lines = [json.loads(line) for line in Path(server.log_path).read_text().splitlines() if line.strip()]
    assert lines and all({'time', 'level', 'logger', 'message'} <= set(line) for line in lines)
    signed_in = [line for line in lines if line['message'] == 'Signed in with password']
    assert signed_in and all(isinstance(line.get('user_id'), int) for line in signed_in)
    assert not [line for line in lines if IDENTITY_NUMBER.search(json.dumps(line))]
