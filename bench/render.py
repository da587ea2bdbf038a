"""Figure 1: how many pages a second one server process renders, for Pääsivu, Oma asiointi and the refund form,
as a ratio to a bare NiceGUI page (`/bench/bare`, one label) measured on the same server in the same run.

A signed-in client GETs each page over HTTP with a few requests in flight (no browser: this is the server's cost
of building the page and its HTML). Every GET builds the page's elements, as a browser's first load does.
"""
from __future__ import annotations

import asyncio
import os
import time

import httpx

from .support import portal, sign_in

PAGES = {
    'bare NiceGUI page': '/bench/bare',
    'Pääsivu': '/paasivu',
    'Oma asiointi': '/oma-asiointi',
    'form (Tilinumeron ilmoittaminen, step 1)': '/palvelut/tilinumero-liikasuoritus',
}
SECONDS = float(os.environ.get('BENCH_RENDER_SECONDS', '6'))
IN_FLIGHT = 4


async def rate(http: httpx.AsyncClient, path: str) -> float:
    for _ in range(3):  # warm up: imports, caches, the first build of each component
        (await http.get(path)).raise_for_status()
    done = 0
    deadline = time.perf_counter() + SECONDS

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            response = await http.get(path)
            if response.status_code != 200 or str(response.url).endswith('/kirjaudu'):
                raise RuntimeError(f'{path} answered {response.status_code} at {response.url}')
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return done / (time.perf_counter() - started)


async def measure(base_url: str) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        await sign_in(http, 'onni.korhonen')
        return {name: await rate(http, path) for name, path in PAGES.items()}


def main() -> dict[str, str]:
    print(f'== 1. Page render rate (one server process, {IN_FLIGHT} requests in flight, {SECONDS:.0f} s a page)')
    with portal() as server:
        rates = asyncio.run(measure(server.base_url))
    bare = rates['bare NiceGUI page']
    summary = {}
    for name, value in rates.items():
        ratio = value / bare
        print(f'  {name:45} {value:6.1f} pages/s   {ratio:5.2f} × bare   ({1000 / value:5.1f} ms a page)')
        summary[f'render {name}'] = f'{value:.1f}/s ({ratio:.2f} × bare)'
    return summary


if __name__ == '__main__':
    main()
