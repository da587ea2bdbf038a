"""Scale-out and fault tests: real PostgreSQL, Redis and nginx on this machine, portal instances as subprocesses.

Run them on their own (`.venv/bin/python -m pytest tests/scaleout -q`; `.ci/run` does so after `make test`). They
are skipped, with the reason, when nginx, PostgreSQL or Redis is missing, except under `.ci/run`
(SCALEOUT_REQUIRED=1), where a missing service fails the run.
"""
from __future__ import annotations

import os
import shutil
import socket
import string
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, sync_playwright

from bench.harness import wait_until
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.databases import POSTGRES_ENV, fresh_database_url
from tests.support.server import PROJECT_DIR, PortalServer, free_port, start_portal

POSTGRES_URL = os.environ.get(POSTGRES_ENV) or 'postgresql://postgres@127.0.0.1:5432/test'
REDIS_HOST, REDIS_PORT = '127.0.0.1', 6379
NGINX = shutil.which('nginx') or '/usr/sbin/nginx'
NGINX_TEMPLATE = PROJECT_DIR / 'deploy' / 'nginx.conf'
# Secrets every instance shares: the session cookie must verify anywhere, identity hashes must match.
SHARED_SECRETS = {'STORAGE_SECRET': 'scale-out-test-storage-secret-0123456789',
                  'IDENTITY_HASH_KEY': 'scale-out-test-identity-hash-key-0123456789',
                  'TOTP_ENCRYPTION_KEY': 'scale-out-test-totp-encryption-key-0123456789'}


def _missing_services() -> list[str]:
    missing = []
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.Error:
        missing.append(f'PostgreSQL at {POSTGRES_URL}')
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=3).close()
    except OSError:
        missing.append(f'Redis at {REDIS_HOST}:{REDIS_PORT}')
    return missing


def _require(missing: list[str]) -> None:
    if missing:
        reason = 'needs ' + ', '.join(missing)
        if os.environ.get('SCALEOUT_REQUIRED') or os.environ.get('CI'):
            pytest.fail(reason + ' (required under .ci/run)', pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope='session', autouse=True)
def required_services() -> None:
    _require(_missing_services())


@pytest.fixture(scope='session')
def nginx_installed() -> None:
    """Only the tests behind the proxy need nginx (the fault tests talk to an instance directly)."""
    _require([] if Path(NGINX).is_file() else ['nginx (Debian package nginx-light)'])


@pytest.fixture(scope='session')
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def postgres_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh PostgreSQL database for the test, dropped afterwards."""
    monkeypatch.setenv(POSTGRES_ENV, POSTGRES_URL)
    with fresh_database_url(tmp_path) as url:
        yield url


@dataclass
class Nginx:
    url: str
    process: subprocess.Popen
    run_dir: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def start_nginx(run_dir: Path, upstream_ports: list[int], port: int | None = None) -> Nginx:
    """nginx with deploy/nginx.conf rendered into `run_dir`, in front of the given local ports."""
    run_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    servers = '\n'.join(f'        server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;' for p in upstream_ports)
    # safe_substitute: nginx's own $variables stay as they are; only the ${...} placeholders are filled in.
    config = string.Template(NGINX_TEMPLATE.read_text(encoding='utf-8')).safe_substitute(
        run_dir=run_dir, listen=f'127.0.0.1:{port}', servers=servers)
    assert '${' not in config, 'a placeholder of deploy/nginx.conf was left unfilled'
    if os.geteuid() == 0:  # as root nginx's workers would run as nobody, who cannot enter pytest's 0700 temp dirs
        config = 'user root;\n' + config
    config_path = run_dir / 'nginx.conf'
    config_path.write_text(config, encoding='utf-8')
    subprocess.run([NGINX, '-t', '-q', '-p', str(run_dir), '-c', str(config_path)], check=True,
                   capture_output=True)
    process = subprocess.Popen([NGINX, '-p', str(run_dir), '-c', str(config_path), '-g', 'daemon off;'],
                               stdout=subprocess.DEVNULL, stderr=(run_dir / 'stderr.log').open('w'))
    def accepts() -> bool:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return True
        except OSError:
            return False

    try:
        wait_until(lambda: accepts() or process.poll() is not None, 'nginx to listen', 10)
        if process.poll() is None:
            return Nginx(f'http://127.0.0.1:{port}', process, run_dir)
    except AssertionError:
        pass
    process.kill()
    raise RuntimeError(f'nginx did not start: {(run_dir / "stderr.log").read_text()}')


@dataclass
class Cluster:
    proxy: Nginx
    instances: list[PortalServer]
    database_url: str
    redis_prefix: str
    stopped: list[PortalServer] = field(default_factory=list)

    def instance_at(self, upstream: str) -> PortalServer:
        """The instance behind an `X-Portal-Upstream` value such as '127.0.0.1:41234'."""
        [instance] = [i for i in self.instances if i.base_url.endswith('//' + upstream)]
        return instance


def _instance_port(server: PortalServer) -> int:
    return int(server.base_url.rsplit(':', 1)[1])


@pytest.fixture
def cluster(tmp_path: Path, postgres_url: str, nginx_installed: None) -> Iterator[Cluster]:
    """Two portal instances on one PostgreSQL database and one Redis, behind nginx."""
    prefix = f'portal-scaleout-{uuid.uuid4().hex[:8]}:'
    # Every instance knows the proxy's address as its BASE_URL, as in production (the socket accepts only that origin).
    proxy_port = free_port()
    settings = {**SHARED_SECRETS, 'NICEGUI_REDIS_URL': f'redis://{REDIS_HOST}:{REDIS_PORT}/0',
                'NICEGUI_REDIS_KEY_PREFIX': prefix, 'BASE_URL': f'http://127.0.0.1:{proxy_port}'}
    # One after the other: the first migrates and loads the demo data, the second finds them there.
    instances = [start_portal(tmp_path / f'instance{n}', postgres_url, **settings) for n in (1, 2)]
    proxy = start_nginx(tmp_path / 'nginx', [_instance_port(i) for i in instances], proxy_port)
    yield Cluster(proxy, instances, postgres_url, prefix)
    proxy.stop()
    for instance in instances:
        instance.stop()
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    keys = list(client.scan_iter(f'{prefix}*'))
    if keys:
        client.delete(*keys)
