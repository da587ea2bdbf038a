"""A check for blocking calls on the event loop (PORTAL_LOOP_WATCH_MS): NiceGUI serves everyone from one loop, so
one slow callback is paid by every other person on the instance.

Two things are noted, each as a warning in the log and, with PORTAL_LOOP_WATCH_FILE, as a JSON line in that file
(the browser suite reads it and fails the tests of modules said to be off the loop, tests/browser/conftest.py):

- a **stall**: a heartbeat sent to the loop from a watchdog thread comes back late. Only the time the loop thread was
  busy or blocked counts, not the time it waited for a CPU (its run-queue wait from /proc/…/schedstat is subtracted),
  so a loaded machine does not make stalls out of nothing. The loop thread's stack is taken while it is stuck;
- **SQL on the loop**: a statement executed by the thread that is running the event loop (SQLAlchemy's
  `before_cursor_execute`), whatever its duration — on a quiet test database it is fast, in production it is not.

Each record names the portal modules on the stack (`modules`, outermost first: the page, handler or middleware that
ran, then what it called). Off by default: it costs a thread and a wake-up every few tens of milliseconds.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import PROJECT_DIR

THRESHOLD_ENV = 'PORTAL_LOOP_WATCH_MS'
FILE_ENV = 'PORTAL_LOOP_WATCH_FILE'
log = logging.getLogger(__name__)
_VENV = str(PROJECT_DIR / '.venv')
_watch: LoopWatch | None = None


def _portal_frames(frame: FrameType | None) -> list[tuple[str, str]]:
    """(module, 'file:line function') of the portal's own frames on a stack, outermost first."""
    found = []
    while frame is not None:
        filename = frame.f_code.co_filename
        module = str(frame.f_globals.get('__name__', '?'))
        # main.py's ui.run holds the whole loop: not a place that blocks it.
        if filename.startswith(str(PROJECT_DIR)) and not filename.startswith(_VENV) and \
                module not in ('__main__', __name__):
            where = f'{Path(filename).relative_to(PROJECT_DIR)}:{frame.f_lineno} {frame.f_code.co_name}'
            found.append((module, where))
        frame = frame.f_back
    return found[::-1]


def _run_queue_ns(native_id: int) -> int:
    """Nanoseconds the thread has spent waiting for a CPU (Linux schedstat; 0 where there is none)."""
    try:
        with open(f'/proc/self/task/{native_id}/schedstat', encoding='ascii') as stats:
            return int(stats.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _heartbeat(arrived: list[float], beat: threading.Event) -> None:
    """Runs on the loop: note when it got there."""
    arrived.append(time.monotonic())
    beat.set()


class LoopWatch:
    def __init__(self, loop: asyncio.AbstractEventLoop, threshold_ms: float, path: Path | None) -> None:
        self.loop = loop
        self.threshold = threshold_ms / 1000
        self.path = path
        self.loop_ident = threading.get_ident()  # created on the loop's thread
        self.loop_native_id = threading.get_native_id()
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def start(self) -> None:
        event.listen(Engine, 'before_cursor_execute', self._on_sql)
        threading.Thread(target=self._watch, name='loop-watch', daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        if event.contains(Engine, 'before_cursor_execute', self._on_sql):
            event.remove(Engine, 'before_cursor_execute', self._on_sql)

    def record(self, kind: str, frames: list[tuple[str, str]], **details: Any) -> None:
        line = {'kind': kind, 'modules': [module for module, _ in frames], 'stack': [where for _, where in frames],
                **details}
        log.warning('event loop watch: %s', json.dumps(line, ensure_ascii=False))
        if self.path is not None:
            with self._lock, self.path.open('a', encoding='utf-8') as file:
                file.write(json.dumps(line, ensure_ascii=False) + '\n')

    def _on_sql(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() != self.loop_ident:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:  # the main thread before the loop runs (migrations at start-up)
            return
        if running is self.loop:
            self.record('sql', _portal_frames(sys._getframe(1)), statement=' '.join(statement.split())[:120])

    def _watch(self) -> None:
        pause = max(0.01, self.threshold / 5)
        while not self._stopped.is_set():
            arrived: list[float] = []
            beat = threading.Event()
            sent, waited_before = time.monotonic(), _run_queue_ns(self.loop_native_id)
            try:
                self.loop.call_soon_threadsafe(_heartbeat, arrived, beat)
            except RuntimeError:  # the loop has closed
                return
            stack: list[tuple[str, str]] | None = None
            while not beat.wait(self.threshold / 2):
                if stack is None:  # stuck: see where, while it still is
                    stack = _portal_frames(sys._current_frames().get(self.loop_ident))
                if self._stopped.is_set():
                    return
            wall = arrived[0] - sent
            cpu_wait = (_run_queue_ns(self.loop_native_id) - waited_before) / 1e9
            blocked = wall - cpu_wait
            if blocked >= self.threshold:
                self.record('stall', stack or [], ms=round(blocked * 1000), wall_ms=round(wall * 1000),
                            cpu_wait_ms=round(cpu_wait * 1000))
            self._stopped.wait(pause)


def start_from_env() -> None:
    """Start watching the running loop when PORTAL_LOOP_WATCH_MS is set (the app's start-up calls this)."""
    global _watch
    raw = os.environ.get(THRESHOLD_ENV, '').strip()
    if not raw or _watch is not None:
        return
    threshold = float(raw)
    if threshold <= 0:
        return
    target = os.environ.get(FILE_ENV, '').strip()
    _watch = LoopWatch(asyncio.get_running_loop(), threshold, Path(target) if target else None)
    _watch.start()
    log.info('watching the event loop: stalls over %s ms and SQL on the loop are reported', raw)


def stop() -> None:
    global _watch
    if _watch is not None:
        _watch.stop()
        _watch = None
