"""A TCP forwarder to PostgreSQL that can turn into a black hole: it keeps accepting connections and reading what
is sent, but answers nothing (a frozen host or a half-open link, not a refusing server). Switchable mid-test; the
shared PostgreSQL server itself is never touched."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from tests.support.server import free_port


class BlackholeForwarder:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.silent = False
        self.loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._swallowed: set[asyncio.StreamWriter] = set()  # connections that lost bytes: useless once restored
        self._thread = threading.Thread(target=self.loop.run_forever, name='blackhole', daemon=True)
        self._thread.start()
        self._call(self._start())

    def _call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, '127.0.0.1', self.port, reuse_address=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter | None,
                    owner: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.silent or writer is None:
                    self._swallowed.add(owner)  # read and dropped: nobody hears anything
                    continue
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if writer is not None:
                writer.close()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self.silent:
            self._swallowed.add(client_writer)
            await self._pipe(client_reader, None, client_writer)
            return
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        await asyncio.gather(self._pipe(client_reader, server_writer, client_writer),
                             self._pipe(server_reader, client_writer, client_writer))

    async def _restore(self) -> None:
        self.silent = False
        for writer in list(self._swallowed):  # their conversations lost bytes: end them as a restarted link would
            writer.transport.abort()
        self._swallowed.clear()

    def go_silent(self) -> None:
        self.loop.call_soon_threadsafe(setattr, self, 'silent', True)

    def restore(self) -> None:
        self._call(self._restore())

    def close(self) -> None:
        async def stop() -> None:
            await self._restore()
            if self._server is not None:
                self._server.close()

        self._call(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
