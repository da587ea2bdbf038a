"""Kiosk controls in the header (only with KIOSK_MODE=true): "Aloita alusta" (start over) for everyone, and for a
signed-in person a visible countdown to the automatic sign-out after KIOSK_IDLE_SECONDS without a touch, click or
key. Both wipe the browser's storage and go through the sign-out route (see `auth.kiosk` for the headers).

The countdown runs in the browser, so it keeps going without the server and needs no round trip each second.
"""
from __future__ import annotations

import html

from nicegui import ui

from auth.kiosk import SIGN_OUT_PATH
from config import get_settings
from locales import t
from models import User

# Larger touch targets (WCAG 2.5.5 asks 44 px; 48 px is the common kiosk guide) and a larger base text.
_KIOSK_STYLE = '''
<style>
  body.kiosk { font-size: 1.125rem; }
  body.kiosk .q-btn { min-height: 52px; min-width: 52px; padding: .5rem 1.25rem; font-size: 1.05rem; }
  body.kiosk .q-field__control { min-height: 56px; }
  body.kiosk .portal-nav a { padding: 1.1rem 1.25rem; }
  body.kiosk .q-checkbox__inner, body.kiosk .q-radio__inner { font-size: 52px; }
  body.kiosk .q-tab { min-height: 56px; }
  .kiosk-timer { background: rgba(255,255,255,.12); border-radius: .4rem; padding: .25rem .6rem; }
  .kiosk-timer.ending { background: #ffdd57; color: #1b1b1b; }
</style>
'''


def _script(idle_seconds: int, sign_out_url: str) -> str:
    return f'''
<script>
(() => {{
  if (window.kioskInstalled) return;
  window.kioskInstalled = true;
  const limit = {idle_seconds} * 1000;
  let deadline = Date.now() + limit;
  let announced = false;
  const restart = () => {{ deadline = Date.now() + limit; announced = false; }};
  for (const kind of ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'])
    document.addEventListener(kind, restart, {{passive: true, capture: true}});
  // Wipe what this origin keeps in the browser, then sign out (the answer clears cookies and cache as well).
  window.kioskWipe = () => {{
    try {{ localStorage.clear(); sessionStorage.clear(); }} catch (error) {{}}
    window.location.replace('{sign_out_url}');
  }};
  const tick = () => {{
    const timer = document.getElementById('kiosk-countdown');
    if (!timer) return;  // nobody signed in: nothing to time
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    timer.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    const box = document.getElementById('kiosk-timer');
    if (box) box.classList.toggle('ending', left <= 30);
    const notice = document.getElementById('kiosk-notice');
    if (notice && left <= 30 && !announced) {{ announced = true; notice.textContent = notice.dataset.warning; }}
    if (left <= 0) {{ clearInterval(window.kioskTicker); window.kioskWipe(); }}
  }};
  window.kioskTicker = setInterval(tick, 1000);
  document.addEventListener('DOMContentLoaded', tick);
}})();
</script>
'''


def kiosk_controls(user: User | None) -> None:
    """Draw the kiosk controls into the header (nothing when kiosk mode is off)."""
    settings = get_settings()
    if not settings.kiosk_mode:
        return
    ui.add_head_html(_KIOSK_STYLE + _script(settings.kiosk_idle_seconds, SIGN_OUT_PATH))
    ui.query('body').classes('kiosk')
    if user is not None:
        idle = settings.kiosk_idle_seconds
        with ui.element('div').classes('kiosk-timer flex flex-col gap-0').props('id=kiosk-timer'):
            ui.label(t('Automaattinen uloskirjaus')).classes('info-label')
            ui.html(f'<span id="kiosk-countdown" role="timer" aria-atomic="true">{idle // 60}:{idle % 60:02d}'
                    '</span>', sanitize=False).classes('info-value').mark('kiosk-countdown')
        # Announced once, 30 seconds before the end (a timer read out every second would drown everything else).
        ui.html(f'<span id="kiosk-notice" class="sr-only" aria-live="assertive" data-warning="'
                f'{html.escape(t("Sinut kirjataan ulos 30 sekunnin kuluttua. Kosketa näyttöä, jos haluat jatkaa."))}">'
                '</span>',
                sanitize=False)
    ui.button(t('Aloita alusta'), icon='restart_alt', on_click=lambda: ui.run_javascript('window.kioskWipe()')) \
        .props('outline color=white no-caps').mark('kiosk-start-over')
