"""What the benchmarks share: a portal server of their own, its memory, and browserless NiceGUI clients.

A `Tab` is what a browser tab does, without a browser: it GETs a page over HTTP (with the cookies of its
`httpx.AsyncClient`), reads the page's elements and `client_id` from the HTML, connects NiceGUI's socket.io with the
same query parameters the page's script uses (client_id, tab_id, document_id, implicit_handshake), and sends the
events a browser would send: a changed value (`update:value` / `update:modelValue`) or a click.
"""
from __future__ import annotations

import ast
import asyncio
import html
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import socketio

from bench.harness import PortalServer, start_portal

DEMO_PASSWORD = 'Demo-salasana-2026'
_ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
_QUERY = re.compile(r'query: (\{.*?\}),\n')


def rss_mib(pid: int) -> float:
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    raise RuntimeError('no VmRSS')


def machine() -> str:
    memory_kib = next(int(line.split()[1]) for line in Path('/proc/meminfo').read_text().splitlines()
                      if line.startswith('MemTotal:'))
    cpu = next((line.split(':', 1)[1].strip() for line in Path('/proc/cpuinfo').read_text().splitlines()
                if line.startswith('model name')), platform.machine())
    from importlib.metadata import version

    def tool(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=5).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return 'absent'

    return (f'{os.cpu_count()} CPUs ({cpu}), {memory_kib / 1024 / 1024:.1f} GiB memory, '
            f'Python {platform.python_version()}, NiceGUI {version("nicegui")}, SQLAlchemy {version("sqlalchemy")}, '
            f'SQLite {__import__("sqlite3").sqlite_version}, {tool("psql", "--version")}, '
            f'{tool("redis-server", "--version").split(" sha")[0]}, {platform.system()} {platform.release()}')


@contextmanager
def portal(**settings: str) -> Iterator[PortalServer]:
    """A portal with demo data, the benchmark routes, its own temporary folder and SQLite database."""
    folder = Path(tempfile.mkdtemp(prefix='portal-bench-'))
    url = settings.pop('DATABASE_URL', f'sqlite:///{folder / "data" / "portal.db"}')
    server = start_portal(folder / 'data', url, **{'BENCH_ROUTES': '1', 'LOG_LEVEL': 'ERROR', **settings})
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def use_database_of(server: PortalServer) -> None:
    """Point this process's settings at the server's database, to prepare data with the services."""
    import config

    os.environ.update({'PORTAL_IGNORE_DOTENV': '1', 'DATA_DIR': str(server.data_dir),
                       'DATABASE_URL': server.database_url, 'LOG_LEVEL': 'ERROR'})
    config.reload_settings()


@dataclass
class Tab:
    http: httpx.AsyncClient
    path: str
    status: int = 0
    elements: dict[int, dict] = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    sio: socketio.AsyncClient | None = None
    received: list[tuple[str, object]] = field(default_factory=list)
    _arrivals: asyncio.Event = field(default_factory=asyncio.Event)
    disconnect_reason: str = ''
    disconnects: int = 0
    connects: int = 0

    async def load(self) -> Tab:
        response = await self.http.get(self.path)
        self.status = response.status_code
        if response.status_code != 200:
            raise RuntimeError(f'GET {self.path} answered {response.status_code}')
        found = _ELEMENTS.search(response.text)
        if found is None:
            raise RuntimeError(f'GET {self.path} gave no NiceGUI page (redirected to {response.url}?)')
        self.elements = {int(key): value for key, value in json.loads(html.unescape(found.group(1))).items()}
        # The template writes the query as a Python dict literal.
        self.query = ast.literal_eval(_QUERY.search(response.text).group(1))
        return self

    async def connect(self) -> Tab:
        # Reconnect like the browser's socket.io client does (same client_id and tab_id in the query): under load the
        # server's 2 s ping timeout drops sockets now and then, and a browser simply reconnects.
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.5, reconnection_attempts=0)
        self.sio.on('connect', self._on_connect)
        self.sio.on('*', self._on_message)
        self.sio.on('disconnect', self._on_disconnect)
        query = {'client_id': self.query['client_id'], 'next_message_id': self.query['next_message_id'],
                 'implicit_handshake': 'true', 'tab_id': str(uuid.uuid4()), 'document_id': str(uuid.uuid4())}
        cookies = '; '.join(f'{name}={value}' for name, value in self.http.cookies.items())
        await self.sio.connect(f'{self.http.base_url}?{urlencode(query)}', socketio_path='/_nicegui_ws/socket.io',
                               transports=['websocket'], headers={'Cookie': cookies}, wait_timeout=30)
        return self

    async def _on_message(self, event: str, data: object = None) -> None:
        self.received.append((event, data))
        self._arrivals.set()

    async def _on_disconnect(self, reason: object = None) -> None:
        self.disconnect_reason = str(reason)
        self.disconnects += 1

    async def _on_connect(self) -> None:
        self.connects += 1

    async def close(self) -> None:
        if self.sio is not None and self.sio.connected:
            await self.sio.disconnect()

    def find(self, *, label: str | None = None, text: str | None = None) -> int:
        """The id of the element with this label (inputs, buttons) or text."""
        for element_id, element in self.elements.items():
            props = element.get('props', {})
            if label is not None and props.get('label') == label:
                return element_id
            if text is not None and element.get('text') == text:
                return element_id
        raise LookupError(label or text)

    def _listener(self, element_id: int, *types: str) -> str:
        for listener in self.elements[element_id].get('events', []):
            if listener['type'] in types:
                return listener['listener_id']
        raise LookupError(f'element {element_id} has no {types} listener')

    async def _emit(self, element_id: int, listener_id: str, args: list) -> None:
        assert self.sio is not None
        await self.sio.emit('event', {'id': element_id, 'client_id': self.query['client_id'],
                                      'listener_id': listener_id, 'args': [json.dumps(arg) for arg in args]})

    async def set_value(self, element_id: int, value: object) -> None:
        await self._emit(element_id, self._listener(element_id, 'update:value', 'update:modelValue'), [value])

    async def click(self, element_id: int) -> None:
        await self._emit(element_id, self._listener(element_id, 'click'), [])

    async def wait_for_navigation(self, timeout: float = 60) -> str:
        """The path the server sends this tab to next (`ui.navigate.to`)."""
        async def arrived() -> str:
            while True:
                for event, data in self.received:
                    if event in ('open', 'navigate'):  # ui.navigate.to sends 'open'
                        return data['path'] if isinstance(data, dict) else str(data)
                self._arrivals.clear()
                await self._arrivals.wait()

        return await asyncio.wait_for(arrived(), timeout)


async def sign_in(http: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in with a password as a person would, through the page's fields and button; `http` keeps the cookie."""
    tab = await (await Tab(http, '/kirjaudu/salasana').load()).connect()
    try:
        await tab.set_value(tab.find(label='Käyttäjätunnus'), username)
        await tab.set_value(tab.find(label='Salasana'), password)
        await tab.click(tab.find(label='Kirjaudu'))
        target = await tab.wait_for_navigation()
    finally:
        await tab.close()
    # The page hands over to an HTTP route that sets the signed-in browser's new cookie (auth/sign_in_flow.py).
    await http.get(target, follow_redirects=True)
    check = await http.get('/paasivu')
    if check.status_code != 200 or '/kirjaudu' in str(check.url):
        raise RuntimeError(f'sign-in as {username} did not take')

