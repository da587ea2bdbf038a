"""A portal of their own for benchmarks and tests: the portal started as a real server process (free port, own data
folder and database) and a scratch PostgreSQL database. Tests import this module; it imports nothing from tests."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

PROJECT_DIR = Path(__file__).resolve().parents[1]

T = TypeVar('T')
POLL_INTERVAL = 0.05  # seconds between two looks at a condition


def wait_until(condition: Callable[[], T], what: str, seconds: float = 30) -> T:
    """Look at `condition` until it is truthy and return it; fail naming `what` after `seconds` (a deadline, not a
    wait: on a fast machine this returns at the first look that succeeds)."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out after {seconds} s waiting for {what}')
        time.sleep(POLL_INTERVAL)  # polling a condition, not waiting for time to pass
    return result


async def wait_until_async(condition: Callable[[], T], what: str, seconds: float = 30) -> T:
    """`wait_until` on the event loop: the awaited pauses let the code under test run meanwhile."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out after {seconds} s waiting for {what}')
        await asyncio.sleep(POLL_INTERVAL)  # polling a condition, not waiting for time to pass
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a server this test run started, and kill it if it does not stop in 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class PortalServer:
    base_url: str
    data_dir: Path
    database_url: str
    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        stop_process(self.process)

    def log(self) -> str:
        return self.log_path.read_text(encoding='utf-8', errors='replace')


def start_portal(data_dir: Path, database_url: str, **settings: str) -> PortalServer:
    """Start `main.py` and wait until /health answers."""
    port = free_port()
    # ui.run must not believe it runs inside NiceGUI's own pytest screen plugin.
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    env.update({'PORT': str(port), 'HOST': '127.0.0.1', 'BASE_URL': f'http://127.0.0.1:{port}',
                'DATA_DIR': str(data_dir), 'DATABASE_URL': database_url, 'DEMO_DATA': 'true',
                'LOG_LEVEL': 'WARNING', **settings})
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / 'server.log'
    log_file = log_path.open('w', encoding='utf-8')
    process = subprocess.Popen([sys.executable, 'main.py'], cwd=PROJECT_DIR, env=env, stdout=log_file,
                               stderr=subprocess.STDOUT)
    server = PortalServer(f'http://127.0.0.1:{port}', data_dir, database_url, process, log_path)
    try:
        wait_until(lambda: _answers_health(server), 'the portal to answer /health', 60)
    except AssertionError:
        server.stop()
        raise RuntimeError(f'portal did not start in 60 s:\n{server.log()}') from None
    return server


def _answers_health(server: PortalServer) -> bool:
    if server.process.poll() is not None:
        raise RuntimeError(f'portal exited at start:\n{server.log()}')
    try:
        with urllib.request.urlopen(f'{server.base_url}/health', timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
    raise RuntimeError(f'portal did not start in 60 s:\n{server.log()}')


@contextmanager
def scratch_postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new empty database on the PostgreSQL server of `server_url`, dropped afterwards (benchmarks and tests)."""
    import psycopg

    from models.db import dispose_engines

    admin = server_url.replace('postgresql+psycopg://', 'postgresql://')
    name = f'{prefix}_{uuid.uuid4().hex[:12]}'
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE {name}')
    try:
        yield admin.rsplit('/', 1)[0] + f'/{name}'
    finally:
        dispose_engines(f'/{name}')
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
