"""Live updates (services.live): what an event costs. Delivery to this instance's subscribers with many pages open,
and the publish → deliver latency through Redis pub/sub and PostgreSQL LISTEN/NOTIFY (skipped when not reachable).

    python -m bench.live
"""
from __future__ import annotations

import asyncio
import os
import statistics
import time

from services import live

PAGES = 2_000  # open pages, each following its user's topic
EVENTS = 300


async def _latencies(transport_url: tuple[str, str] | None) -> list[float]:
    """Milliseconds from publish to delivery for EVENTS events, one at a time."""
    if transport_url is not None:
        os.environ[transport_url[0]] = transport_url[1]
    try:
        await live.start(transport_url[1] if transport_url and transport_url[0] == 'DATABASE' else 'sqlite:///x.db')
    finally:
        os.environ.pop('NICEGUI_REDIS_URL', None)
    arrived = asyncio.Event()
    unsubscribes = [live.subscribe(live.user_topic(n), lambda _e: None) for n in range(PAGES)]
    unsubscribes.append(live.subscribe(live.user_topic(PAGES), lambda _e: arrived.set()))
    took = []
    try:
        for _ in range(EVENTS):
            arrived.clear()
            started = time.perf_counter()
            live.publish(live.user_topic(PAGES), 'message', request=1)
            await asyncio.wait_for(arrived.wait(), timeout=5)
            took.append((time.perf_counter() - started) * 1000)
    finally:
        for unsubscribe in unsubscribes:
            unsubscribe()
        await live.stop()
    return took


def _line(took: list[float]) -> str:
    took = sorted(took)
    return f'median {statistics.median(took):.2f} ms, p95 {took[int(len(took) * 0.95)]:.2f} ms'


def main() -> dict[str, str]:
    print(f'== Live updates: {EVENTS} events, one at a time, with {PAGES} other pages subscribed')
    summary = {}
    runs: list[tuple[str, tuple[str, str] | None]] = [('in process', None)]
    redis_url = os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/0')
    postgres_url = os.environ.get('BENCH_POSTGRES_URL', 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres')
    runs += [('Redis pub/sub', ('NICEGUI_REDIS_URL', redis_url)), ('PostgreSQL NOTIFY', ('DATABASE', postgres_url))]
    for name, transport in runs:
        try:
            took = asyncio.run(_latencies(transport))
        except Exception as error:  # the service is not there: say so and go on
            print(f'  {name}: skipped ({type(error).__name__}: {error})')
            continue
        print(f'  {name}: publish → deliver {_line(took)}')
        summary[f'live update latency, {name}'] = _line(took)
    return summary


if __name__ == '__main__':
    main()
