"""The whole refund flow with the keyboard alone: sign in, open the service, fill both steps, preview, send.

No clicks: focus moves with Tab (and Shift+Tab), choices with Space and the arrow keys, buttons and links with Enter.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.browser import wait_for_page

DEMO_PASSWORD = 'Demo-salasana-2026'
# The accessible name of the focused element, roughly as a screen reader would announce it.
_FOCUSED_NAME = '''() => {
  const e = document.activeElement;
  if (!e || e === document.body) return '';
  const byId = (ids) => ids.split(/\\s+/).map(id => (document.getElementById(id) || {}).innerText || '').join(' ');
  const labelledBy = e.getAttribute('aria-labelledby');
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return (e.getAttribute('aria-label') || (labelledBy ? byId(labelledBy) : '') || label || e.innerText || '').trim();
}'''


def tab_to(page: Page, name: str | re.Pattern, *, limit: int = 120) -> None:
    """Press Tab until the focused element's accessible name matches (a substring or a pattern)."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press('Tab')
        focused = page.evaluate(_FOCUSED_NAME)
        if (name.search(focused) if isinstance(name, re.Pattern) else name in focused):
            return
        seen.append(focused)
    raise AssertionError(f'Tab never reached {name!r}; focus went through: {seen}')


def type_into_focused(page: Page, text: str) -> None:
    page.keyboard.press('Control+A')
    page.keyboard.type(text)


def test_refund_flow_by_keyboard_alone(page: Page) -> None:
    page.goto('/kirjaudu/salasana')
    wait_for_page(page)
    tab_to(page, 'Käyttäjätunnus')
    page.keyboard.type('onni.korhonen')
    tab_to(page, 'Salasana')
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press('Enter')
    page.wait_for_url('**/paasivu')
    wait_for_page(page)

    # The skip link comes first, then the service from the front page.
    page.keyboard.press('Tab')
    assert page.evaluate(_FOCUSED_NAME) == 'Siirry sisältöön'
    tab_to(page, 'Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten')
    page.keyboard.press('Enter')
    page.wait_for_url('**/palvelut/tilinumero-liikasuoritus')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Yhteydenotto', level=2)).to_be_visible()

    # Step 1: names and email come prefilled; pick the organisation from the search list with the arrow keys.
    tab_to(page, 'Organisaatiohaku')
    page.keyboard.type('Jyväskylän ka')
    expect(page.get_by_role('option', name='Jyväskylän kaupunki')).to_be_visible()
    page.keyboard.press('ArrowDown')
    page.keyboard.press('Enter')
    tab_to(page, 'Puhelinnumero')
    type_into_focused(page, '0501234567')
    tab_to(page, re.compile('^Jatka$'))
    page.keyboard.press('Enter')
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()

    # Step 2: the radio choice with Space, then the required fields.
    tab_to(page, 'Palautetaan maksajan tilille')
    page.keyboard.press('Space')
    expect(page.get_by_role('radio', name='Palautetaan maksajan tilille')).to_have_attribute('aria-checked', 'true')
    # One Tab stop for the group; the arrow keys move the choice (and the focus) within it.
    page.keyboard.press('ArrowDown')
    expect(page.get_by_role('radio', name='Palautetaan muulle kuin maksajan tilille')).to_be_focused()
    page.keyboard.press('ArrowUp')
    expect(page.get_by_role('radio', name='Palautetaan maksajan tilille')).to_have_attribute('aria-checked', 'true')
    expect(page.get_by_role('radio', name='Palautetaan maksajan tilille')).to_be_focused()
    tab_to(page, 'Tilinumero')
    type_into_focused(page, 'FI48 2222 3333 4444 55')
    tab_to(page, 'Asiakasnumero')
    type_into_focused(page, '12345')
    expect(page.get_by_text(re.compile('Nordea'))).to_be_visible()
    tab_to(page, 'Palautuksen määrä')
    type_into_focused(page, '27,00')
    tab_to(page, re.compile('^Jatka$'))
    page.keyboard.press('Enter')

    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    expect(page.locator('#main')).to_contain_text('FI48 2222 3333 4444 55')
    tab_to(page, re.compile('^Lähetä$'))
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'/palvelupyynto/\d+/lahetetty$'))
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Palvelupyyntö lähetetty')).to_be_visible()
