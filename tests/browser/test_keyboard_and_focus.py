"""The keyboard and screen readers on the handler's pages: sortable headers by Tab and Enter/Space with aria-sort,
radio groups as one Tab stop with arrow keys, quick filters that say whether they are on, open drop-downs that pass
axe, and a visible focus ring (the links' 3 px amber outline) on a focused button."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.support.browser import axe_violations, wait_for_page
from tests.support.rows import found
from tests.support.staff import sign_in_as_staff

FOCUSED = 'document.activeElement'


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus (fails if it is not reachable by Tab)."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press('Tab')
        if page.evaluate(f'element => element === {FOCUSED} || element.contains({FOCUSED})', handle):
            return
    raise AssertionError(f'{target} is not reachable by Tab')


def sort_state(page: Page, column: str) -> str | None:
    return page.locator('th', has=page.get_by_role('button', name=column, exact=True)).get_attribute('aria-sort')


def first_number(page: Page) -> str:
    return found(page.locator('tbody tr').first.locator('a').first.get_attribute('href')).rsplit('/', 1)[1]


def test_a_handler_sorts_the_queue_and_sends_a_question_with_the_keyboard_alone(page: Page) -> None:
    sign_in_as_staff(page)
    expect(page.get_by_text('5 palvelupyyntöä')).to_be_visible()
    sent_header = page.get_by_role('button', name='Lähetetty', exact=True)
    assert sort_state(page, 'Lähetetty') == 'ascending' and sort_state(page, 'Palvelupyyntö') == 'none'
    oldest_first = first_number(page)

    tab_to(page, sent_header)
    page.keyboard.press('Enter')
    expect(page.locator('th[aria-sort=descending]')).to_contain_text('Lähetetty')
    expect(page.locator('tbody tr').first.locator('a').first).not_to_have_attribute(
        'href', f'/kasittely/pyynto/{oldest_first}')
    expect(sent_header).to_be_focused()
    page.keyboard.press('Space')
    expect(page.locator('th[aria-sort=ascending]')).to_contain_text('Lähetetty')
    expect(page.locator('tbody tr').first.locator('a').first).to_have_attribute(
        'href', f'/kasittely/pyynto/{oldest_first}')

    request_link = page.locator('tbody tr').first.locator('a').first
    tab_to(page, request_link)
    page.keyboard.press('Enter')
    page.wait_for_url(f'**/kasittely/pyynto/{oldest_first}')
    wait_for_page(page)

    group = page.get_by_role('radiogroup')
    radios = group.get_by_role('radio')
    expect(radios.first).to_have_attribute('aria-checked', 'true')
    tab_to(page, radios.first)
    # One Tab stop: the next Tab leaves the group instead of visiting the other choices.
    assert [radio.get_attribute('tabindex') for radio in radios.all()][1:] == ['-1'] * (radios.count() - 1)
    scroll_before = page.evaluate('window.scrollY')
    page.keyboard.press('ArrowDown')
    question = group.get_by_role('radio', name='Kysymys asiakkaalle')
    expect(question).to_have_attribute('aria-checked', 'true')
    expect(question).to_be_focused()
    expect(question).to_have_attribute('tabindex', '0')
    assert page.evaluate('window.scrollY') == scroll_before  # the arrow chose, it did not scroll the page
    page.keyboard.press('Tab')
    expect(page.get_by_label('Teksti')).to_be_focused()
    page.keyboard.type('Onko tilinumero varmasti oikein?')
    tab_to(page, page.get_by_role('button', name='Lähetä kysymys'))
    page.keyboard.press('Enter')
    expect(page.get_by_text('Kysymys lähetetty asiakkaalle.')).to_be_visible()
    expect(page.get_by_text('Onko tilinumero varmasti oikein?')).to_be_visible()


def test_radio_arrows_go_both_ways_and_wrap(page: Page) -> None:
    sign_in_as_staff(page)
    page.goto('/kasittely/pyynto/978373')
    wait_for_page(page)
    radios = page.get_by_role('radiogroup').get_by_role('radio')
    tab_to(page, radios.first)
    page.keyboard.press('ArrowUp')  # from the first to the last
    expect(radios.last).to_have_attribute('aria-checked', 'true')
    page.keyboard.press('ArrowRight')
    expect(radios.first).to_have_attribute('aria-checked', 'true')


def test_quick_filters_say_whether_they_are_on(page: Page) -> None:
    sign_in_as_staff(page)
    filters = page.get_by_role('group', name='Pikasuodattimet').get_by_role('button')
    expect(filters.filter(has_text='Käsittelyssä')).to_have_attribute('aria-pressed', 'true')
    expect(filters.filter(has_text='Minulle')).to_have_attribute('aria-pressed', 'false')
    filters.filter(has_text='Ei käsittelijää').click()
    expect(filters.filter(has_text='Ei käsittelijää')).to_have_attribute('aria-pressed', 'true')
    expect(filters.filter(has_text='Käsittelyssä')).to_have_attribute('aria-pressed', 'false')


def _wait_for_menu_to_settle(page: Page) -> None:
    """axe measures colours as drawn: wait until the menu's fade-in has finished (mid-fade its text is pale)."""
    page.wait_for_function('''() => { const menu = document.querySelector('.q-menu');
        return menu && menu.getAnimations({subtree: true}).every(a => a.playState === 'finished')
            && !/q-transition--/.test(menu.className); }''')


def test_every_open_drop_down_passes_axe(page: Page) -> None:
    sign_in_as_staff(page)
    for label in ('Tila', 'Palvelu', 'KIELI'):
        page.get_by_label(label, exact=True).click()
        expect(page.locator('.q-menu [role=option]').first).to_be_visible()
        _wait_for_menu_to_settle(page)
        assert axe_violations(page) == [], label
        page.keyboard.press('Escape')
        expect(page.locator('.q-menu')).to_have_count(0)
    page.goto('/kasittely/pyynto/978373')
    wait_for_page(page)
    for label in ('Uusi käsittelyvaihe', 'Siirrä käsittelijälle'):
        page.get_by_label(label).click()
        expect(page.locator('.q-menu [role=option]').first).to_be_visible()
        _wait_for_menu_to_settle(page)
        assert axe_violations(page) == [], label
        page.keyboard.press('Escape')
        expect(page.locator('.q-menu')).to_have_count(0)


def _outline(page: Page) -> dict:
    return page.evaluate('''() => { const style = getComputedStyle(document.activeElement);
        return {style: style.outlineStyle, width: style.outlineWidth, colour: style.outlineColor}; }''')


def test_a_focused_control_shows_the_amber_focus_ring(page: Page) -> None:
    sign_in_as_staff(page)
    page.goto('/kasittely/pyynto/978373')
    wait_for_page(page)
    amber = {'style': 'solid', 'width': '3px', 'colour': 'rgb(255, 191, 71)'}
    tab_to(page, page.get_by_role('button', name='Vaihda vaihe'))
    assert _outline(page) == amber
    tab_to(page, page.get_by_role('radiogroup').get_by_role('radio').first)
    assert _outline(page) == amber
    # Inputs, selects and textareas: the ring is drawn on the field's box around the focused native input.
    tab_to(page, page.get_by_label('Teksti'))
    box = page.evaluate('''() => { const style = getComputedStyle(
        document.activeElement.closest('.q-field').querySelector('.q-field__control'));
        return {style: style.outlineStyle, width: style.outlineWidth, colour: style.outlineColor}; }''')
    assert box == amber
    assert re.match(r'rgb', amber['colour'])


def test_oma_asiointi_sorts_by_keyboard_and_announces_the_order(page: Page) -> None:
    from tests.browser.conftest import sign_in_with_password
    from tests.support.staff import DEMO_PASSWORD

    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto('/oma-asiointi')
    wait_for_page(page)
    table = page.locator('.q-table__container').filter(visible=True)
    created = table.get_by_role('button', name='Luontiaika', exact=True)
    expect(table.locator('th[aria-sort=descending]')).to_contain_text('Luontiaika')
    expect(table.locator('th', has=page.get_by_role('button', name='Ilmoitus'))).to_have_attribute('aria-sort', 'none')
    tab_to(page, created)
    page.keyboard.press('Enter')
    expect(table.locator('th[aria-sort=ascending]')).to_contain_text('Luontiaika')
    expect(created).to_be_focused()
