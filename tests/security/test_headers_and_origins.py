"""Headers and origins (issue 12, finding 8), tried against the running portal: another site may not frame it, read
its socket or drive it with the signed-in person's cookies; every response carries the policy headers."""
from __future__ import annotations

import re

import httpx
import pytest
import socketio

from auth.security_headers import security_headers
from bench.support import Tab
from config import load_settings
from tests.support.rows import found
from tests.support.server import PortalServer

EVIL_ORIGIN = 'https://evil.example'
SOCKET_PATH = '/_nicegui_ws/socket.io/'


@pytest.mark.parametrize('path', ['/', '/kirjaudu/salasana', '/health', '/api/v1/openapi.json', '/ei-ole-olemassa',
                                  '/oma-asiointi'])
async def test_every_response_refuses_framing_and_carries_the_policy(attacker: httpx.AsyncClient, path: str) -> None:
    response = await attacker.get(path, follow_redirects=False)
    headers = response.headers
    policy = headers['content-security-policy']
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split('script-src')[1].split(';')[0]  # inline scripts only with the nonce
    assert headers['x-frame-options'] == 'DENY'
    assert headers['referrer-policy'] == 'same-origin'
    assert headers['x-content-type-options'] == 'nosniff'
    assert 'strict-transport-security' not in headers  # plain http here; see the https test below


async def test_every_script_of_a_page_carries_the_nonce_of_its_response(attacker: httpx.AsyncClient) -> None:
    response = await attacker.get('/kirjaudu/salasana')
    nonce = found(re.search(r"'nonce-([^']+)'", response.headers['content-security-policy'])).group(1)
    tags = re.findall(r'<script\b[^>]*>', response.text)
    assert len(tags) > 5
    assert all(f'nonce="{nonce}"' in tag for tag in tags), tags
    again = await attacker.get('/kirjaudu/salasana')
    assert nonce not in again.headers['content-security-policy']  # a fresh nonce per response


def test_behind_https_browsers_are_told_to_stay_on_https(tmp_path) -> None:
    settings = load_settings({'DATA_DIR': str(tmp_path), 'BASE_URL': 'https://asiointi.example.fi',
                              'ALLOW_INSECURE_DEMO_ON_NETWORK': 'true'})  # the default test IdP on a public address
    headers = security_headers(settings, 'n')
    assert headers['Strict-Transport-Security'].startswith('max-age=')
    assert 'wss://asiointi.example.fi' in headers['Content-Security-Policy']


async def test_a_foreign_origin_gets_no_socket_handshake(attacker: httpx.AsyncClient, portal: PortalServer) -> None:
    query = {'EIO': '4', 'transport': 'polling'}
    refused = await attacker.get(SOCKET_PATH, params=query, headers={'Origin': EVIL_ORIGIN})
    assert refused.status_code == 400
    assert 'access-control-allow-origin' not in refused.headers
    allowed = await attacker.get(SOCKET_PATH, params=query, headers={'Origin': portal.base_url})
    assert allowed.status_code == 200
    assert allowed.headers['access-control-allow-origin'] == portal.base_url


async def test_a_foreign_page_cannot_open_the_socket_of_a_real_page(attacker: httpx.AsyncClient,
                                                                    portal: PortalServer) -> None:
    """The websocket a foreign page would open (the browser sends that page's Origin) is refused; the portal's own
    origin connects."""
    tab = await Tab(attacker, '/kirjaudu/salasana').load()
    query = f'client_id={tab.query["client_id"]}&next_message_id=0&tab_id=t&document_id=d&implicit_handshake=true'
    foreign = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await foreign.connect(f'{portal.base_url}?{query}', socketio_path=SOCKET_PATH, transports=['websocket'],
                              headers={'Origin': EVIL_ORIGIN}, wait_timeout=10)
    own = socketio.AsyncClient(reconnection=False)
    await own.connect(f'{portal.base_url}?{query}', socketio_path=SOCKET_PATH, transports=['websocket'],
                      headers={'Origin': portal.base_url}, wait_timeout=10)
    assert own.connected
    await own.disconnect()
