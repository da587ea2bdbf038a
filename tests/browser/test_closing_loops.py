"""Issue 14 in Chromium, each path whole: a draft saved at the preview reopens with Lähetä; "Pyydä lisätietoja" reaches
the citizen, who completes and resends the same request; a resolved request shows the final stage; Pääsivu shows the
unread count; the error summary agrees with the fields; autosave after a pause; the organisation search says when
nothing matches; the staff sign-in; a handler works by keyboard alone with the shortcuts; and a handler's message
appears on the citizen's open pages without a reload (and a citizen's answer on the handler's)."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import sign_in_with_password
from tests.browser.test_handler_loop import fill_refund_to_preview
from tests.browser.test_refund_form import field, fill_contact_step, press_continue
from tests.support.browser import axe_violations, wait_for_page
from tests.support.rows import found
from tests.support.server import PortalServer
from tests.support.staff import DEMO_PASSWORD, sign_in_as_staff, unused_totp_code

SHOTS = Path('test-artifacts/loops')
REFUND = '/palvelut/tilinumero-liikasuoritus'


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


@pytest.fixture
def contexts(browser: Browser, portal: PortalServer) -> Iterator[dict[str, BrowserContext]]:
    """A citizen (phone-sized) and a handler (1280 px) in browsers of their own."""
    made = {'citizen': browser.new_context(base_url=portal.base_url, viewport={'width': 390, 'height': 844},
                                           locale='fi-FI'),
            'handler': browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900},
                                           locale='fi-FI')}
    yield made
    for context in made.values():
        context.close()


def citizen_page(contexts: dict[str, BrowserContext]) -> Page:
    page = contexts['citizen'].new_page()
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    return page


def handler_page(contexts: dict[str, BrowserContext]) -> Page:
    page = contexts['handler'].new_page()
    sign_in_as_staff(page)
    return page


def send_from_preview(page: Page) -> int:
    page.get_by_role('button', name='Lähetä').click()
    page.wait_for_url('**/palvelupyynto/*/lahetetty')
    return int(found(re.search(r'/palvelupyynto/(\d+)/lahetetty', page.url)).group(1))


def unread_count(page: Page) -> int:
    """The number in Pääsivu's "Sinulla on N uutta viestiä." (0 when the line is not shown)."""
    text = page.get_by_role('status').filter(has_text='Sinulla on').all_inner_texts()
    match = re.search(r'(\d+) uu', ' '.join(text))
    return int(match.group(1)) if match else 0


def open_handler_request(handler: Page, number: int) -> None:
    handler.goto(f'/kasittely/pyynto/{number}')
    wait_for_page(handler)
    expect(handler.get_by_role('heading', name=re.compile(f'^{number} : '), level=1)).to_be_visible()


def handler_writes(handler: Page, kind: str, text: str, button: str) -> None:
    handler.get_by_text(kind, exact=True).click()
    handler.get_by_label('Teksti').fill(text)
    handler.get_by_role('button', name=button).click()


def test_a_draft_saved_at_the_preview_reopens_there_with_send(contexts: dict[str, BrowserContext]) -> None:
    page = citizen_page(contexts)
    fill_refund_to_preview(page)
    number = int(found(re.search(r'/palvelupyynto/(\d+)/muokkaa', page.url)).group(1))
    page.get_by_role('button', name='Tallenna luonnos ja keskeytä').click()
    page.wait_for_url('**/oma-asiointi')
    wait_for_page(page)
    page.get_by_role('link', name=re.compile(f'^{number} : ')).click()
    page.wait_for_url(f'**/palvelupyynto/{number}/muokkaa')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    expect(page.get_by_text('FI48 2222 3333 4444 55').first).to_be_visible()
    shot(page, 'draft-reopened-at-preview-390')
    assert send_from_preview(page) == number


def test_asking_for_information_brings_the_citizen_to_the_step_with_the_note_and_the_same_number_is_resent(
        contexts: dict[str, BrowserContext]) -> None:
    citizen = citizen_page(contexts)
    fill_refund_to_preview(citizen)
    number = send_from_preview(citizen)
    citizen.goto('/paasivu')
    wait_for_page(citizen)
    unread_before = unread_count(citizen)
    handler = handler_page(contexts)
    open_handler_request(handler, number)
    note = 'Laskun numero puuttuu: lisää se ja lähetä uudelleen.'
    handler.get_by_text('Pyydä lisätietoja (palautetaan asiakkaalle täydennettäväksi)', exact=True).click()
    handler.get_by_label('Täydennettävä kohta').click()
    handler.get_by_role('option', name='Palautuksen saaja').click()
    handler.get_by_label('Teksti').fill(note)
    handler.get_by_role('button', name='Pyydä lisätietoja').click()
    expect(handler.get_by_role('status').filter(has_text='palautettiin asiakkaalle')).to_be_visible()

    # The citizen's open Pääsivu shows the new message without a reload; the returned request opens at the step.
    expect(citizen.get_by_text(f'Sinulla on {unread_before + 1} uutta viestiä.')).to_be_visible(timeout=10_000)
    citizen.goto('/oma-asiointi')
    wait_for_page(citizen)
    row = citizen.get_by_role('row').filter(has_text=f'{number} : ')
    expect(row).to_contain_text('Täydennettävä')
    row.get_by_role('link').click()
    citizen.wait_for_url(f'**/palvelupyynto/{number}/muokkaa')
    wait_for_page(citizen)
    expect(citizen.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    expect(citizen.get_by_text(note)).to_be_visible()
    expect(citizen.get_by_role('button', name='Peru palvelupyyntö')).to_be_visible()
    shot(citizen, 'returned-request-at-step-with-note-390')
    assert axe_violations(citizen) == []
    field(citizen, 'Laskun numero').fill('2')
    press_continue(citizen)
    expect(citizen.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    assert send_from_preview(citizen) == number

    # The handler's open view shows the completed request without a reload; its history is kept.
    expect(handler.get_by_text('Asiakas lähetti täydennetyn palvelupyynnön.')).to_be_visible(timeout=10_000)
    expect(handler.get_by_text('Tila: Lähetetty', exact=True)).to_be_visible()
    expect(handler.locator('#main')).to_contain_text(note)
    expect(handler.locator('#main')).to_contain_text('Lähetti täydennetyn palvelupyynnön')


def test_a_returned_request_can_be_withdrawn(contexts: dict[str, BrowserContext]) -> None:
    citizen = citizen_page(contexts)
    fill_refund_to_preview(citizen)
    number = send_from_preview(citizen)
    handler = handler_page(contexts)
    open_handler_request(handler, number)
    handler_writes(handler, 'Pyydä lisätietoja (palautetaan asiakkaalle täydennettäväksi)', 'Lisää liite.',
                   'Pyydä lisätietoja')
    expect(handler.get_by_role('status').filter(has_text='palautettiin asiakkaalle')).to_be_visible()
    citizen.goto(f'/oma-asiointi/{number}')  # its page in Oma asiointi offers the same as its form
    wait_for_page(citizen)
    expect(citizen.get_by_role('button', name='Täydennä palvelupyyntöä')).to_be_visible()
    citizen.get_by_role('button', name='Peru palvelupyyntö').click()
    dialog = citizen.get_by_role('alertdialog')
    expect(dialog).to_contain_text('Perutaanko palvelupyyntö?')
    dialog.get_by_role('button', name='Peru palvelupyyntö').click()
    citizen.wait_for_url('**/oma-asiointi')
    wait_for_page(citizen)
    citizen.get_by_role('tab', name=re.compile('Valmiit')).click()
    expect(citizen.get_by_role('row').filter(has_text=f'{number} : ')).to_contain_text('Seuranta')


def test_resolving_asks_for_confirmation_assigns_the_resolver_and_shows_the_final_stage(
        contexts: dict[str, BrowserContext]) -> None:
    citizen = citizen_page(contexts)
    fill_refund_to_preview(citizen)
    number = send_from_preview(citizen)
    handler = handler_page(contexts)
    open_handler_request(handler, number)
    expect(handler.get_by_text('Käsittelijä: ei käsittelijää', exact=True)).to_be_visible()
    handler_writes(handler, 'Ratkaisu (palvelupyyntö siirtyy valmiisiin)', 'Palautus maksetaan.',
                   'Ratkaise palvelupyyntö')
    dialog = handler.get_by_role('alertdialog')
    expect(dialog).to_contain_text('se merkitään sinulle')
    dialog.get_by_role('button', name='Peruuta').click()
    expect(handler.get_by_text('Tila: Lähetetty', exact=True)).to_be_visible()  # cancelled: nothing happened
    handler.get_by_role('button', name='Ratkaise palvelupyyntö').click()
    handler.get_by_role('alertdialog').get_by_role('button', name='Kyllä, ratkaise').click()
    expect(handler.get_by_role('status').filter(has_text='Palvelupyyntö ratkaistu.')).to_be_visible()
    expect(handler.get_by_text('Tila: Valmis', exact=True)).to_be_visible()
    expect(handler.get_by_text('Käsittelyvaihe: Seuranta', exact=True)).to_be_visible()
    expect(handler.get_by_text('Käsittelijä: Kaisa Käsittelijä', exact=True)).to_be_visible()

    citizen.goto('/oma-asiointi')
    wait_for_page(citizen)
    citizen.get_by_role('tab', name=re.compile('Valmiit')).click()
    row = citizen.get_by_role('row').filter(has_text=f'{number} : ')
    expect(row).to_contain_text('Seuranta')
    row.get_by_role('link').click()
    citizen.wait_for_url(f'**/oma-asiointi/{number}')
    wait_for_page(citizen)
    expect(citizen.locator('dt:has-text("Käsittelyvaihe") + dd')).to_have_text('Seuranta')


def test_front_page_and_the_tab_label_show_the_unread_count(contexts: dict[str, BrowserContext]) -> None:
    page = citizen_page(contexts)  # the seed: 978373 has two unread messages
    expect(page.get_by_text('Sinulla on 2 uutta viestiä.')).to_be_visible()
    expect(page.get_by_role('tab', name=re.compile(r'Lähetetyt \(\d+\)\s*· 2 uutta viestiä'))).to_be_visible()
    shot(page, 'front-page-unread-390')
    assert axe_violations(page) == []


def test_a_handler_message_appears_on_the_citizens_open_pages_without_a_reload(
        contexts: dict[str, BrowserContext]) -> None:
    citizen = citizen_page(contexts)
    citizen.goto('/oma-asiointi/979738')
    wait_for_page(citizen)
    listing = contexts['citizen'].new_page()
    listing.goto('/oma-asiointi')
    wait_for_page(listing)
    sent_tab = listing.get_by_role('tab', name=re.compile('Lähetetyt'))
    before = sent_tab.inner_text()
    handler = handler_page(contexts)
    open_handler_request(handler, 979738)
    message = 'Hei! Palautus on käsittelyssä.'
    handler_writes(handler, 'Viesti asiakkaalle', message, 'Lähetä viesti')
    expect(handler.get_by_role('status').filter(has_text='Viesti lähetetty asiakkaalle.')).to_be_visible()

    expect(citizen.get_by_text(message)).to_be_visible(timeout=10_000)
    expect(citizen.get_by_role('status').filter(has_text='Uusi viesti palvelukeskukselta.')).to_be_visible()
    expect(sent_tab).not_to_have_text(before, timeout=10_000)
    shot(citizen, 'request-page-live-message-390')

    # The citizen's answer appears on the handler's open view and queue.
    queue = contexts['handler'].new_page()
    queue.goto('/kasittely')
    wait_for_page(queue)
    answer = 'Kiitos tiedosta!'
    citizen.get_by_label('Viesti', exact=True).fill(answer)
    citizen.get_by_role('button', name='Lähetä vastaus').click()
    expect(handler.get_by_text(answer)).to_be_visible(timeout=10_000)
    expect(handler.get_by_text('Asiakas vastasi.')).to_be_visible()
    expect(queue.get_by_role('row').filter(has_text='979738 : ')).to_contain_text('Asiakas vastannut',
                                                                                   timeout=10_000)


def test_the_error_summary_agrees_with_the_fields_after_each_correction(
        contexts: dict[str, BrowserContext]) -> None:
    page = citizen_page(contexts)
    page.goto(REFUND)
    wait_for_page(page)
    fill_contact_step(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    press_continue(page)
    expect(page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')).to_be_focused()
    # Updated after each correction, then as a region (the field's own message is what is read out).
    summary = page.locator('[aria-labelledby]').filter(has_text='Tarkista seuraavat kohdat')
    expect(summary).to_contain_text('Tilinumero on pakollinen tieto')
    # The radios' own message and the summary's link say the same.
    expect(page.get_by_text('Valitse, kenen tilille palautus maksetaan.')).to_have_count(2)

    # A choice clears the radio's error by the field and in the summary at once.
    page.get_by_text('Palautetaan maksajan tilille', exact=True).click()
    expect(page.get_by_text('Valitse, kenen tilille palautus maksetaan.')).to_have_count(0)
    expect(summary).to_contain_text('Tilinumero on pakollinen tieto')

    # Another mistake replaces the first message, by the field and in the summary alike.
    field(page, 'Tilinumero *').fill('FI11 2222 3333 4444 55')
    field(page, 'Tilinumero *').press('Tab')
    expect(summary).to_contain_text('tarkistenumerot eivät täsmää')
    expect(summary).not_to_contain_text('Tilinumero on pakollinen tieto')
    shot(page, 'error-summary-follows-field-390')

    # Fixed: gone from both.
    field(page, 'Tilinumero *').fill('FI48 2222 3333 4444 55')
    field(page, 'Tilinumero *').press('Tab')
    expect(summary).not_to_contain_text('Tilinumero')
    expect(page.get_by_text('tarkistenumerot eivät täsmää')).to_have_count(0)


def test_typing_is_saved_a_moment_after_a_pause(contexts: dict[str, BrowserContext]) -> None:
    page = citizen_page(contexts)
    page.goto(REFUND)
    wait_for_page(page)
    field(page, 'Puhelinnumero').fill('0401112222')
    # No step change, no button: the pause alone creates the draft (its address replaces the form's).
    page.wait_for_url(re.compile(r'/palvelupyynto/\d+/muokkaa$'), timeout=10_000)
    draft_url = page.url
    field(page, 'Puhelinnumero').fill('0409998888')
    other = contexts['citizen'].new_page()  # as if the first tab crashed now
    deadline = time.monotonic() + 10
    while True:
        other.goto(draft_url)
        wait_for_page(other)
        if field(other, 'Puhelinnumero').input_value() == '0409998888':
            break
        assert time.monotonic() < deadline, 'the change was not saved within 10 s of the pause'


def test_organisation_search_says_when_nothing_matches_and_enter_after_a_pick_continues(page: Page) -> None:
    page.goto('/')
    wait_for_page(page)
    page.get_by_role('button', name='Yksityishenkilön asiointi »').click()
    search = page.get_by_label('Organisaatio', exact=True)
    search.fill('Xyzzy')
    expect(page.get_by_role('status').filter(has_text='Ei hakutuloksia.')).to_be_visible()
    expect(page.get_by_role('link', name='siirry asioimaan ilman organisaatiota')).to_be_visible()
    search.fill('Jyväskylän ka')
    expect(page.get_by_role('option', name='Jyväskylän kaupunki')).to_be_visible()
    expect(page.get_by_role('status').filter(has_text='Ei hakutuloksia.')).to_have_count(0)
    search.press('ArrowDown')
    search.press('Enter')
    expect(page.get_by_role('option')).to_have_count(0)
    search.press('Enter')
    page.wait_for_url('**/kirjaudu')


def test_staff_sign_in_page_is_where_a_signed_out_person_is_sent(page: Page) -> None:
    page.goto('/kasittely/pyynto/978373')
    page.wait_for_url('**/kasittely/kirjaudu?next=**')
    wait_for_page(page)
    expect(page.get_by_role('button', name='Kirjaudu Suomi.fi-tunnistuksella')).to_have_count(0)
    assert axe_violations(page) == []
    # A citizen's right password is refused here like a wrong one.
    page.get_by_label('Käyttäjätunnus').fill('onni.korhonen')
    page.get_by_label('Salasana', exact=True).fill(DEMO_PASSWORD)
    page.get_by_label('Vahvistuskoodi').fill('123456')
    page.get_by_role('button', name='Kirjaudu').click()
    expect(page.get_by_role('alert')).to_contain_text('Käyttäjätunnus, salasana tai vahvistuskoodi on väärin')
    page.get_by_label('Käyttäjätunnus').fill('kaisa.kasittelija')
    page.get_by_label('Salasana', exact=True).fill(DEMO_PASSWORD)
    page.get_by_label('Vahvistuskoodi').fill(unused_totp_code(page.url.split('/kasittely')[0], 'kaisa.kasittelija'))
    page.get_by_label('Vahvistuskoodi').press('Enter')
    page.wait_for_url('**/kasittely/pyynto/978373')


def _focused_label(page: Page) -> str:
    return page.evaluate('() => { const e = document.activeElement; return (e && (e.getAttribute("aria-label") || '
                         'e.labels?.[0]?.innerText || e.innerText || e.tagName)) || ""; }')


def test_a_handler_works_a_request_with_the_keyboard_alone(contexts: dict[str, BrowserContext]) -> None:
    page = contexts['handler'].new_page()
    page.goto('/kasittely')
    page.wait_for_url('**/kasittely/kirjaudu**')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').focus()
    page.keyboard.type('kaisa.kasittelija')
    page.keyboard.press('Tab')
    page.keyboard.type(DEMO_PASSWORD)
    for _ in range(5):  # past the show-password toggle to the code
        if page.evaluate('() => document.activeElement?.getAttribute("autocomplete")') == 'one-time-code':
            break
        page.keyboard.press('Tab')
    page.keyboard.type(unused_totp_code(page.url.split('/kasittely')[0], 'kaisa.kasittelija'))  # each code once
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(r'/kasittely$'))
    wait_for_page(page)
    first = page.get_by_role('row').nth(1).get_by_role('link')
    first_number = int(first.inner_text().split(' : ')[0])
    first.focus()
    page.keyboard.press('Enter')
    page.wait_for_url(f'**/kasittely/pyynto/{first_number}')
    wait_for_page(page)

    page.keyboard.press('Alt+Shift+H')
    dialog = page.get_by_role('dialog', name='Pikanäppäimet')
    expect(dialog).to_contain_text('Ctrl+Enter')
    expect(dialog).to_contain_text('Alt+Shift+N')
    shot(page, 'handler-shortcut-help-1280')
    page.keyboard.press('Escape')
    expect(dialog).to_have_count(0)

    page.keyboard.press('Alt+Shift+O')
    expect(page.get_by_role('status').filter(has_text='Otit palvelupyynnön itsellesi.')).to_be_visible()
    expect(page.get_by_label('Teksti')).to_be_focused()  # focus back in the writing box
    page.keyboard.type('Tarkistamme tilinumeron.')
    page.keyboard.press('Control+Enter')
    expect(page.get_by_role('status').filter(has_text='Viesti lähetetty asiakkaalle.')).to_be_visible()
    expect(page.get_by_label('Teksti')).to_be_focused()
    expect(page.get_by_label('Teksti')).to_have_value('')
    expect(page.locator('#main')).to_contain_text('Tarkistamme tilinumeron.')
    shot(page, 'handler-request-view-1280')
    assert axe_violations(page) == []

    # "Next request" goes on in the queue view the handler came from; Alt+Shift+P comes back.
    page.get_by_role('button', name='Seuraava palvelupyyntö').focus()
    page.keyboard.press('Enter')
    page.wait_for_url(re.compile(rf'/kasittely/pyynto/(?!{first_number}$)\d+$'))
    wait_for_page(page)
    page.keyboard.press('Alt+Shift+P')
    page.wait_for_url(f'**/kasittely/pyynto/{first_number}')
    wait_for_page(page)
    page.keyboard.press('Alt+Shift+N')
    page.wait_for_url(re.compile(rf'/kasittely/pyynto/(?!{first_number}$)\d+$'))


def test_handler_view_puts_the_conversation_and_writing_box_beside_the_answers(
        contexts: dict[str, BrowserContext]) -> None:
    handler = handler_page(contexts)
    open_handler_request(handler, 978373)
    answers = handler.locator('.q-card').filter(
        has=handler.get_by_role('heading', name='Lomakkeen tiedot')).first.bounding_box()
    writing = handler.get_by_label('Teksti').bounding_box()
    messages = handler.get_by_role('heading', name='Viestit').bounding_box()
    assert answers and writing and messages
    assert writing['x'] > answers['x'] + answers['width'] - 1  # beside, not below
    assert messages['y'] < answers['y'] + answers['height']
    shot(handler, 'handler-request-978373-1280')
