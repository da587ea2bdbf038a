"""Watching a browserless page (`bench.support.Tab`) for what the server tells it."""
from __future__ import annotations

import asyncio

from bench.support import Tab

SESSION_ENDED = '/kirjaudu?istunto=paattynyt'


async def sent_to_sign_in(tab: Tab, times: int = 1, timeout: float = 60) -> None:
    """Wait until the server has told the page `times` times in all to leave for the sign-in page (session ended)."""
    async def arrived() -> None:
        while True:
            told = [data for event, data in tab.received
                    if event == 'run_javascript' and isinstance(data, dict) and SESSION_ENDED in str(data.get('code'))]
            if len(told) >= times:
                return
            tab._arrivals.clear()
            await tab._arrivals.wait()

    await asyncio.wait_for(arrived(), timeout)
