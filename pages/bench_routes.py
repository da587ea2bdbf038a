"""Routes for the benchmarks (`make bench`), registered only when the server runs with BENCH_ROUTES=1.

- `/bench/bare`: a bare NiceGUI page (one label), the yardstick the portal's pages are measured against;
- `/bench/lag`: the event loop's lag as seen by a probe that sleeps 5 ms in a loop (worst and 99th percentile
  overshoot since the last reset, `?reset=1` to start over), to show whether work blocks the loop.
Both sit behind the access middleware like every other page, so only a signed-in user reaches them.
"""
from __future__ import annotations

import asyncio
import os
import time

from fastapi.responses import JSONResponse
from nicegui import app, ui

PROBE_INTERVAL = 0.005
_lags: list[float] = []


async def _probe() -> None:
    while True:
        started = time.perf_counter()
        await asyncio.sleep(PROBE_INTERVAL)
        _lags.append(time.perf_counter() - started - PROBE_INTERVAL)
        if len(_lags) > 200_000:
            del _lags[:100_000]


def lag(reset: bool = False) -> JSONResponse:
    samples = sorted(_lags)
    if reset:
        _lags.clear()
    if not samples:
        return JSONResponse({'samples': 0, 'max_ms': 0.0, 'p99_ms': 0.0, 'median_ms': 0.0})
    return JSONResponse({'samples': len(samples), 'max_ms': round(samples[-1] * 1000, 1),
                         'p99_ms': round(samples[int(len(samples) * 0.99)] * 1000, 1),
                         'median_ms': round(samples[len(samples) // 2] * 1000, 2)})


def bare_page() -> None:
    ui.label('Bare NiceGUI page')


def register() -> None:
    if os.environ.get('BENCH_ROUTES') != '1':
        return
    ui.page('/bench/bare')(bare_page)
    app.add_api_route('/bench/lag', lag, methods=['GET'])
    app.on_startup(lambda: asyncio.create_task(_probe()))
