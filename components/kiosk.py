"""Kiosk controls (only with KIOSK_MODE=true): "Aloita alusta" (start over) for everyone, and for a signed-in person a
visible countdown to the automatic sign-out after KIOSK_IDLE_SECONDS without a touch, click or key. Before the end a
full-screen warning with a large "Jatka" button and the seconds left covers the page. Everything wipes the browser's
storage and goes through the sign-out route (see `auth.kiosk` for the headers).

Pages before sign-in reset the same way once someone has used them (a username typed on the sign-in page must not
wait for the next person). Every input gets `autocomplete=off` (`new-password` on passwords) and a name that differs
per page load, so the browser's autofill has nothing of the previous person to offer.

The countdown runs in the browser, so it keeps going without the server and needs no round trip each second.
"""
from __future__ import annotations

import html

from nicegui import ui

from auth.kiosk import SIGN_OUT_PATH
from config import get_settings
from locales import t
from models import User

LONGEST_WARNING_SECONDS = 30

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
  .kiosk-overlay { position: fixed; inset: 0; z-index: 9000; background: rgba(0, 32, 52, .94); color: #fff;
                   display: flex; flex-direction: column; align-items: center; justify-content: center;
                   gap: 1.5rem; padding: 2rem; text-align: center; }
  .kiosk-overlay[hidden] { display: none; }
  .kiosk-overlay h2 { font-size: 2rem; font-weight: 700; margin: 0; }
  .kiosk-overlay .kiosk-seconds { font-size: 5rem; font-weight: 800; line-height: 1; }
  .kiosk-overlay p { font-size: 1.25rem; max-width: 36rem; margin: 0; }
  .kiosk-overlay button { background: #ffdd57; color: #1b1b1b; border: 0; border-radius: .5rem; cursor: pointer;
                          font-size: 2rem; font-weight: 800; min-width: 16rem; min-height: 5rem; padding: 1rem 3rem; }
</style>
'''


def warning_seconds(idle_seconds: int) -> int:
    """How long before the end the warning shows: 30 s, but at most a third of a short limit, so the warning (and
    its spoken announcement) never starts as soon as a page opens."""
    return max(1, min(LONGEST_WARNING_SECONDS, idle_seconds // 3))


def _script(idle_seconds: int, sign_out_url: str) -> str:
    return f'''
<script>
(() => {{
  if (window.kioskInstalled) return;
  window.kioskInstalled = true;
  const limit = {idle_seconds} * 1000;
  const warnAt = {warning_seconds(idle_seconds)};
  let deadline = Date.now() + limit;
  let used = false;  // anything typed or touched on this page since it opened
  let warning = false;
  let focusBefore = null;
  const overlay = () => document.getElementById('kiosk-overlay');
  const closeWarning = () => {{
    if (!warning) return;
    warning = false;
    overlay().hidden = true;
    if (focusBefore && document.contains(focusBefore)) focusBefore.focus();
  }};
  const restart = () => {{ deadline = Date.now() + limit; used = true; closeWarning(); }};
  for (const kind of ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'])
    document.addEventListener(kind, restart, {{passive: true, capture: true}});
  document.addEventListener('click', event => {{
    if (event.target.closest && event.target.closest('#kiosk-continue')) restart();
  }});
  // Wipe what this origin keeps in the browser, then sign out (the answer clears cookies and cache as well).
  window.kioskWipe = () => {{
    try {{ localStorage.clear(); sessionStorage.clear(); }} catch (error) {{}}
    window.location.replace('{sign_out_url}');
  }};
  const tick = () => {{
    const timer = document.getElementById('kiosk-countdown');
    const signedIn = timer !== null;
    if (!signedIn && !used) return;  // an untouched page before sign-in holds nothing to reset
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (timer) timer.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    const box = document.getElementById('kiosk-timer');
    if (box) box.classList.toggle('ending', left <= warnAt);
    const shown = overlay();
    if (shown && left <= warnAt) {{
      document.getElementById('kiosk-seconds').textContent = left;
      if (!warning) {{  // the warning starts now: show it, move focus to Jatka and say it once
        warning = true;
        focusBefore = document.activeElement;
        shown.hidden = false;
        document.getElementById('kiosk-continue').focus();
        const notice = document.getElementById('kiosk-notice');
        notice.textContent = notice.dataset.warning.replace('{{seconds}}', left);
      }}
    }}
    if (left <= 0) {{ clearInterval(window.kioskTicker); window.kioskWipe(); }}
  }};
  window.kioskTicker = setInterval(tick, 1000);
  // Autofill of the previous person: no suggestions, and names that match nothing the browser remembers.
  const visit = Array.from(crypto.getRandomValues(new Uint8Array(6)), b => b.toString(16).padStart(2, '0')).join('');
  let fields = 0;
  const unremember = () => {{
    for (const field of document.querySelectorAll('input:not([type=hidden]), textarea')) {{
      const wanted = field.type === 'password' ? 'new-password' : 'off';
      if (field.getAttribute('autocomplete') !== wanted) field.setAttribute('autocomplete', wanted);
      if (!field.dataset.kioskName) field.dataset.kioskName = 'k' + visit + '-' + (++fields);
      if (field.getAttribute('name') !== field.dataset.kioskName) field.setAttribute('name', field.dataset.kioskName);
    }}
  }};
  new MutationObserver(unremember).observe(document.documentElement, {{
    childList: true, subtree: true, attributes: true, attributeFilter: ['autocomplete', 'name', 'type']}});
}})();
</script>
'''


def kiosk_warning() -> None:
    """The full-screen warning, hidden until the script shows it (texts from the server, in the page's language).
    The frame draws it after the footer: inside the header, `position: fixed` would follow the header's transform."""
    if not get_settings().kiosk_mode:
        return
    explanation = t('Tiedot tyhjennetään ja sivu aloittaa alusta, kun aika loppuu. Paina Jatka, jos haluat jatkaa.')
    title, seconds, continue_label = t('Oletko vielä paikalla?'), t('sekuntia'), t('Jatka')
    announcement = t('Sivu aloittaa alusta {seconds} sekunnin kuluttua. Paina Jatka, jos haluat jatkaa.')
    ui.html(
        '<div id="kiosk-overlay" class="kiosk-overlay" role="alertdialog" aria-modal="true" '
        'aria-labelledby="kiosk-overlay-title" aria-describedby="kiosk-overlay-text" hidden>'
        f'<h2 id="kiosk-overlay-title">{html.escape(title)}</h2>'
        '<div class="kiosk-seconds"><span id="kiosk-seconds"></span>'
        f' <span class="text-2xl">{html.escape(seconds)}</span></div>'
        f'<p id="kiosk-overlay-text">{html.escape(explanation)}</p>'
        f'<button type="button" id="kiosk-continue" data-marker="kiosk-continue">{html.escape(continue_label)}</button>'
        '</div>'
        # Said once, when the warning starts (a timer read out every second would drown everything else).
        '<span id="kiosk-notice" class="sr-only" aria-live="assertive" data-warning="'
        f'{html.escape(announcement)}">'
        '</span>', sanitize=False)


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
    ui.button(t('Aloita alusta'), icon='restart_alt', on_click=lambda: ui.run_javascript('window.kioskWipe()')) \
        .props('outline color=white no-caps').mark('kiosk-start-over')
