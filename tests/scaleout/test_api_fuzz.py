"""Schemathesis against the integration API of a live portal (PostgreSQL, which is stricter about input than
SQLite), with a valid key made by the CLI: no generated request may get a server error, and every response must
match the OpenAPI schema. Bounded so that it takes well under two minutes."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import PROJECT_DIR, PortalServer, start_portal


@pytest.fixture
def portal(tmp_path: Path, postgres_url: str) -> Iterator[PortalServer]:
    server = start_portal(tmp_path / 'data', postgres_url)
    yield server
    server.stop()


def _env(server: PortalServer) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    env.update({'PORTAL_IGNORE_DOTENV': '1', 'DATA_DIR': str(server.data_dir), 'DATABASE_URL': server.database_url})
    return env


def test_schemathesis_finds_no_server_error(portal: PortalServer) -> None:
    created = subprocess.run([sys.executable, '-m', 'services.api_keys', 'create', 'fuzz'], cwd=PROJECT_DIR,
                             env=_env(portal), capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith('ak_')
    run = subprocess.run(
        [str(Path(sys.executable).parent / 'schemathesis'), 'run', f'{portal.base_url}/api/v1/openapi.json',
         '--header', f'Authorization: Bearer {key}', '--checks',
         'not_a_server_error,response_schema_conformance,content_type_conformance',
         # One worker: hypothesis parses sources with ast, which Python 3.11 does not allow from two threads at once.
         '--max-examples', '25', '--workers', '1', '--seed', '2026', '--request-timeout', '20'],
        cwd=PROJECT_DIR, env=_env(portal), capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert 'passed' in run.stdout
    log = portal.log()
    assert 'Traceback' not in log, log[-4000:]
