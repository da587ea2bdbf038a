"""Attack: the demo installation put on a network. `make run`'s settings (the test IdP, where anyone signs in as any
identity number, and demo accounts with published passwords) must not serve a non-local address by accident.

Start-up is refused — one line, exit 2, before the database is touched or a port is opened — unless the operator
says so with ALLOW_INSECURE_DEMO_ON_NETWORK=true (kiosk and demo installations on a LAN).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from config import is_loopback_host
from tests.support.databases import fresh_database_url
from tests.support.server import PROJECT_DIR, free_port, start_portal

NETWORK_BASE_URL = 'http://192.0.2.10:8080'  # TEST-NET-1: never listened on, only named as the public address


def _start_main(tmp_path: Path, **settings: str) -> tuple[subprocess.CompletedProcess, int]:
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith('PYTEST') and key != 'ALLOW_INSECURE_DEMO_ON_NETWORK'}
    env.update({'PORTAL_IGNORE_DOTENV': '1', 'PORT': str(port), 'HOST': '127.0.0.1', 'DATA_DIR': str(tmp_path / 'data'),
                'DATABASE_URL': f'sqlite:///{tmp_path / "portal.db"}', 'SIGN_IN_MODE': 'test-idp', 'DEMO_DATA': 'false',
                'LOG_LEVEL': 'INFO', **settings})
    finished = subprocess.run([sys.executable, 'main.py'], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                              timeout=120)
    return finished, port


def _refused_with_one_line(finished: subprocess.CompletedProcess, tmp_path: Path, port: int) -> str:
    assert finished.returncode == 2, finished.stderr
    assert finished.stdout == ''
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    assert not (tmp_path / 'portal.db').exists()  # refused before the database was touched
    with socket.socket() as probe:
        assert probe.connect_ex(('127.0.0.1', port)) != 0  # and nothing listened
    return lines[0]


def test_the_test_idp_at_a_network_address_refuses_to_start(tmp_path: Path) -> None:
    finished, port = _start_main(tmp_path, BASE_URL=NETWORK_BASE_URL, SIGN_IN_MODE='test-idp')
    line = _refused_with_one_line(finished, tmp_path, port)
    assert line.startswith('Configuration error: ')
    assert NETWORK_BASE_URL in line and 'SIGN_IN_MODE=test-idp' in line
    assert 'ALLOW_INSECURE_DEMO_ON_NETWORK=true' in line


def test_demo_data_at_a_network_address_refuses_to_start_even_with_suomifi(tmp_path: Path) -> None:
    metadata = tmp_path / 'idp-metadata.xml'
    metadata.write_text('<EntityDescriptor/>', encoding='utf-8')  # only its existence is checked before this rule
    finished, port = _start_main(tmp_path, BASE_URL='https://asiakaspalvelu.example.fi', DEMO_DATA='true',
                                 SIGN_IN_MODE='suomifi-test', SAML_IDP_METADATA=str(metadata))
    line = _refused_with_one_line(finished, tmp_path, port)
    assert 'DEMO_DATA=true' in line and 'SIGN_IN_MODE' not in line


def test_a_misspelt_opt_in_is_refused_too(tmp_path: Path) -> None:
    finished, port = _start_main(tmp_path, BASE_URL=NETWORK_BASE_URL, ALLOW_INSECURE_DEMO_ON_NETWORK='kyllä')
    assert _refused_with_one_line(finished, tmp_path, port).startswith(
        'Configuration error: ALLOW_INSECURE_DEMO_ON_NETWORK must be true or false')


@pytest.mark.db
def test_with_the_explicit_opt_in_the_demo_starts(tmp_path: Path) -> None:
    with fresh_database_url(tmp_path) as url:
        server = start_portal(tmp_path / 'data', url, BASE_URL=NETWORK_BASE_URL, ALLOW_INSECURE_DEMO_ON_NETWORK='true')
        try:
            with urllib.request.urlopen(f'{server.base_url}/health', timeout=10) as response:
                assert response.status == 200
        finally:
            server.stop()


@pytest.mark.parametrize(('host', 'loopback'), [
    ('localhost', True), ('portal.localhost', True), ('127.0.0.1', True), ('127.8.9.10', True), ('[::1]', True),
    ('LOCALHOST.', True), ('192.0.2.10', False), ('0.0.0.0', False), ('10.0.0.5', False), ('[::]', False),
    ('asiakaspalvelu.example.fi', False), ('127.0.0.1.nip.io', False), ('localhost.example.fi', False), ('', False),
])
def test_only_this_machine_counts_as_local(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback  # by the name as written: no DNS lookup an attacker could steer
