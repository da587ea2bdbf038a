"""The idle-timeout warning: a dialog shortly before the session ends, and page activity that keeps it alive.

The server's session row is the truth (`auth.session.seconds_left`), so activity in another tab counts too. Typing
and clicking on the page is reported to the server at most once a minute and extends the session
(`auth.session.touch`); the check itself only reads.
"""
from __future__ import annotations

import math

from nicegui import ui

from auth import session
from config import get_settings
from locales import t
from models import User

WARN_SECONDS = 120
ACTIVITY_EVENT = 'portal-activity'
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


def idle_warning(user: User | None) -> None:
    """Add the warning to the current page of a signed-in user (the frame calls this on every page)."""
    if user is None:
        return
    idle_seconds = get_settings().session_idle_minutes * 60
    warn_at = min(WARN_SECONDS, idle_seconds / 3)
    check_every = max(2.0, min(10.0, warn_at / 4))

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

    def extend() -> None:
        session.touch()
        dialog.close()

    def check() -> None:
        left = session.seconds_left()
        if left is None:
            return
        if left <= 0:
            timer.deactivate()
            ui.navigate.to('/kirjaudu?aikakatkaisu=1')
        elif left <= warn_at:
            text.set_text(t('Et ole käyttänyt palvelua hetkeen. Istuntosi päättyy noin {minutes} minuutin kuluttua, ja '
                            'tallentamattomat tiedot menetetään. Haluatko jatkaa?', minutes=math.ceil(left / 60)))
            if not dialog.value:
                dialog.open()
        elif dialog.value:
            dialog.close()

    ui.add_head_html(_ACTIVITY_SCRIPT)
    ui.on(ACTIVITY_EVENT, session.touch)
    timer = ui.timer(check_every, check)
