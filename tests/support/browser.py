"""Debian's Chromium driven by Playwright, and the axe accessibility check."""
from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM = '/usr/bin/chromium'
# Screenshots of the screens the tests visit, to look at after a run (git-ignored; `make clean` removes them).
SHOTS_DIR = Path(__file__).resolve().parents[2] / 'test-artifacts' / 'shots'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run', '--disable-quic']
WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """WCAG 2.0/2.1 A and AA violations on the page as readable lines (empty when there are none)."""
    results = _axe.run(page, options={'runOnly': {'type': 'tag', 'values': WCAG_TAGS}})
    return [f'{violation["id"]}: {violation["help"]} — ' + '; '.join(node['target'][0] if node['target'] else ''
                                                                    for node in violation['nodes'][:5])
            for violation in results.response['violations']]


def wait_for_animations(page: Page) -> None:
    """Wait until no CSS transition or finite animation runs (Quasar's fades and slides): axe measures colours
    mid-fade otherwise, and screenshots catch half-drawn states."""
    page.wait_for_function("""() => document.getAnimations().every(animation => animation.playState !== 'running'
        || animation.effect?.getComputedTiming().endTime === Infinity)""")


def wait_for_page(page: Page) -> None:
    """NiceGUI renders after its socket connects: wait until the frame is there."""
    page.wait_for_selector('#main', timeout=15_000)
    page.wait_for_load_state('networkidle')
