"""The idle-timeout warning: a dialog shortly before the session ends, and page activity that keeps it alive.

The server's session row is the truth, so activity in another tab counts too. Typing and clicking on the page is
reported to the server at most once a minute and extends the session (`auth.session.touch`); the check itself only
reads. One task checks every open page of this instance with one query in a worker thread (`_check_all`), instead
of a timer per tab each reading the database on the event loop.
"""
from __future__ import annotations

import asyncio
import logging
import math
import weakref
from dataclasses import dataclass

from nicegui import Client, background_tasks, run, ui

from auth import page_guard, session
from config import get_settings
from locales import t
from models import User

WARN_SECONDS = 120
ACTIVITY_EVENT = 'portal-activity'
log = logging.getLogger(__name__)
# Report typing, clicks and scrolling, throttled to once a minute (the server only needs to know "still here").
_ACTIVITY_SCRIPT = f'''
<script>
(() => {{
  if (window.portalActivityInstalled) return;
  window.portalActivityInstalled = true;
  let last = 0;
  const report = () => {{
    const now = Date.now();
    if (now - last > 60000 && window.emitEvent) {{ last = now; emitEvent('{ACTIVITY_EVENT}'); }}
  }};
  for (const kind of ['keydown', 'pointerdown', 'input', 'wheel', 'touchstart'])
    document.addEventListener(kind, report, {{passive: true, capture: true}});
}})();
</script>
'''


@dataclass
class _Watched:
    session_id: str
    dialog: ui.dialog
    text: ui.label


_watched: weakref.WeakKeyDictionary[Client, _Watched] = weakref.WeakKeyDictionary()
_task: asyncio.Task | None = None


def _warn_at() -> float:
    return min(WARN_SECONDS, get_settings().session_idle_minutes * 60 / 3)


def _check_every() -> float:
    return max(2.0, min(10.0, _warn_at() / 4))


def _show(client: Client, watched: _Watched, left: float) -> None:
    """Bring one page up to date with its session's time left."""
    if left <= 0:
        _watched.pop(client, None)
        with client:
            ui.navigate.to('/kirjaudu?aikakatkaisu=1')
    elif left <= _warn_at():
        watched.text.set_text(t('Et ole käyttänyt palvelua hetkeen. Istuntosi päättyy noin {minutes} minuutin '
                                'kuluttua, ja tallentamattomat tiedot menetetään. Haluatko jatkaa?',
                                minutes=math.ceil(left / 60)))
        if not watched.dialog.value:
            watched.dialog.open()
    elif watched.dialog.value:
        watched.dialog.close()


async def _check_all() -> None:
    """One round: every connected page of this instance, one query for all their sessions, off the loop."""
    pages = {client: watched for client, watched in list(_watched.items())
             if client.id in Client.instances and client.has_socket_connection and not page_guard.is_retired(client)}
    if not pages:
        return
    left = await run.io_bound(session.seconds_left_of, {watched.session_id for watched in pages.values()})
    for client, watched in pages.items():
        if left is not None and client.id in Client.instances and not page_guard.is_retired(client):
            _show(client, watched, left.get(watched.session_id, 0.0))


async def _watch_all() -> None:
    while True:
        await asyncio.sleep(_check_every())
        try:
            await _check_all()
        except Exception:  # the database away for a moment: try again next round, the task must live on
            log.warning('idle check failed', exc_info=True)


def _ensure_task() -> None:
    global _task
    loop = asyncio.get_running_loop()
    if _task is None or _task.done() or _task.get_loop() is not loop:  # a new loop: tests restart the app
        _task = background_tasks.create(_watch_all(), name='idle-warning')


def idle_warning(user: User | None) -> None:
    """Add the warning to the current page of a signed-in user (the frame calls this on every page)."""
    session_id = session.current_session_id()
    if user is None or session_id is None:
        return

    with ui.dialog().props('persistent') as dialog, \
            ui.card().classes('p-6 gap-3 max-w-md').props(
                'role=alertdialog aria-modal=true aria-labelledby=idle-title aria-describedby=idle-text') \
            .mark('idle-warning'):
        ui.label(t('Istuntosi on päättymässä')).classes('text-xl font-bold') \
            .props('id=idle-title role=heading aria-level=2')
        text = ui.label().props('id=idle-text')
        with ui.row().classes('gap-3'):
            ui.button(t('Jatka istuntoa'), on_click=lambda: extend()).props('no-caps').mark('idle-continue')
            ui.button(t('Kirjaudu ulos'), on_click=lambda: ui.navigate.to('/kirjaudu/ulos')) \
                .props('no-caps outline').mark('idle-logout')

    async def extend() -> None:
        await session.touch()
        dialog.close()

    ui.add_head_html(_ACTIVITY_SCRIPT)
    ui.on(ACTIVITY_EVENT, session.touch)
    client = ui.context.client
    _watched[client] = _Watched(session_id, dialog, text)
    client.on_delete(lambda: _watched.pop(client, None))
    _ensure_task()
