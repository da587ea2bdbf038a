"""`make bench` / `python -m bench`: every benchmark in turn, then a summary with the machine it ran on.

1. page render rate of Pääsivu, Oma asiointi and the form against a bare NiceGUI page (bench.render);
2. memory per live client at 100 and 300 clients, event-loop lag while 50 clients submit (bench.clients);
3. submissions per second with 50 concurrent clients, none lost or doubled (bench.clients);
4. 200,000 requests on SQLite and PostgreSQL: Oma asiointi and queue queries with their plans (bench.database);
and Oma asiointi with 5,000 requests of one citizen (bench.oma_asiointi);
5. live updates: publish → deliver latency in process, through Redis and PostgreSQL (bench.live).
Takes about 6–8 minutes on a 2-core machine. BENCH_PLANS=1 prints every query plan of benchmark 4.
"""
from __future__ import annotations

import importlib
import os
import time
import traceback

from .support import machine

MODULES = ('render', 'clients', 'database', 'oma_asiointi', 'live')


def main() -> int:
    os.environ.setdefault('PORTAL_IGNORE_DOTENV', '1')  # a developer's .env must not point the benchmarks elsewhere
    print(f'Machine: {machine()}')
    print(f'Load average at start: {os.getloadavg()[0]:.1f} (other work on the machine lowers every rate)\n')
    started = time.perf_counter()
    summary: dict[str, str] = {}
    failed = []
    for name in MODULES:
        begun = time.perf_counter()
        try:
            module = importlib.import_module(f'bench.{name}')
            result = module.main()
            if isinstance(result, dict):
                summary |= result
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f'  ({name}: {time.perf_counter() - begun:.0f} s)\n')
    print('== Summary')
    print(f'  machine: {machine()}')
    print(f'  load average at the end: {os.getloadavg()[0]:.1f}; whole run {time.perf_counter() - started:.0f} s')
    for key, value in summary.items():
        print(f'  {key:55} {value}')
    if failed:
        print(f'  FAILED: {", ".join(failed)}')
    return 1 if failed else 0


if __name__ == '__main__':
    raise SystemExit(main())
