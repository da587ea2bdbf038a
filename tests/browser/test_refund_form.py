"""The refund form in Chromium: the seed's data, the seed's wrong IBAN refused, preview, send, Lähetetyt; drafts,
required fields, attachments, the tax card, axe on every step and screenshots at 1280 and 390 px."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, WebSocket, expect

from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, axe_violations, wait_for_animations, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.rows import found
from tests.support.server import PortalServer, start_portal

DEMO_PASSWORD = 'Demo-salasana-2026'
SHOTS = SHOTS_DIR / 'service_forms'
REFUND = '/palvelut/tilinumero-liikasuoritus'
TAX_CARD = '/palvelut/verokortti'
PDF = b'%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """The portal with a 1 MB limit per file, so that an oversized file is quick to make."""
    tmp = tmp_path_factory.mktemp('forms')
    with fresh_database_url(tmp) as url:
        server = start_portal(tmp / 'data', url, ATTACHMENT_MAX_FILE_MB='1', ATTACHMENT_MAX_REQUEST_MB='3')
        yield server
        server.stop()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


def assert_accessible(page: Page) -> None:
    page.wait_for_load_state('networkidle')
    wait_for_animations(page)
    violations = axe_violations(page)
    assert violations == [], '\n'.join(violations)


def open_form(page: Page, path: str) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto(path)
    wait_for_page(page)


def field(page: Page, label: str):
    return page.get_by_label(label, exact=True)


def choose_organisation(page: Page, label: str, typed: str, name: str) -> None:
    field(page, label).click()
    field(page, label).fill(typed)
    page.get_by_role('option', name=name).click()


def current_step(page: Page) -> str:
    return page.locator('.q-stepper__tab--active').inner_text().strip()


def draft_number(page: Page) -> int:
    """The draft's number: once saved, the page's address becomes the draft's own."""
    page.wait_for_url(re.compile(r'/palvelupyynto/\d+/muokkaa$'))
    return int(found(re.search(r'/palvelupyynto/(\d+)/muokkaa', page.url)).group(1))


def press_continue(page: Page) -> None:
    page.get_by_role('button', name='Jatka').click()


def fill_contact_step(page: Page) -> None:
    expect(field(page, 'Etunimi *')).to_have_value('Onni Juhani')
    expect(field(page, 'Sukunimi *')).to_have_value('Korhonen')
    expect(field(page, 'Sähköposti *')).to_have_value('645516@generated.invalid')
    choose_organisation(page, 'Organisaatiohaku', 'Jyväskylän ka', 'Jyväskylän kaupunki')
    field(page, 'Puhelinnumero').fill('0501234567')


def fill_recipient_step(page: Page, iban: str = 'FI48 2222 3333 4444 55') -> None:
    page.get_by_text('Palautetaan maksajan tilille', exact=True).click()
    field(page, 'Tilinumero *').fill(iban)
    field(page, 'Tilinumero *').press('Tab')
    choose_organisation(page, 'Laskuttava organisaatio', 'Jyväskylän ka', 'Jyväskylän kaupunki')
    field(page, 'Asiakasnumero *').fill('12345')
    field(page, 'Laskun numero').fill('1')
    field(page, 'Liikasuorituksen ajankohta').fill('27.1.2023')
    field(page, 'Palautuksen määrä *').fill('27,00')


def test_refund_form_with_the_seeds_data_is_sent_and_found_in_lahetetyt(page: Page) -> None:
    open_form(page, '/palvelut')
    # PALVELUT: each service offered to a private person, with its short description.
    expect(page.get_by_text('Ilmoita tilinumero, jolle laskun liikaa maksettu summa palautetaan.')).to_be_visible()
    expect(page.get_by_role('link', name='Verokortin toimittaminen')).to_be_visible()
    assert_accessible(page)
    page.get_by_role('link', name='Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten').click()
    page.wait_for_url(f'**{REFUND}')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Yhteydenotto', level=2)).to_be_visible()
    fill_contact_step(page)
    shot(page, 'refund-step1-1280')
    assert_accessible(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    number = draft_number(page)  # the draft exists now

    # The seed's own account number has wrong check digits: refused by the field and on Jatka.
    fill_recipient_step(page, iban='FI11 2222 3333 4444 55')
    expect(page.get_by_text('tarkistenumerot eivät täsmää').first).to_be_visible()
    press_continue(page)
    summary = page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')
    expect(summary).to_contain_text('Tilinumero')
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    shot(page, 'refund-step2-iban-refused-1280')

    field(page, 'Tilinumero *').fill('FI48 2222 3333 4444 55')
    field(page, 'Tilinumero *').press('Tab')
    expect(page.get_by_text(re.compile(r'FI48 2222 3333 4444 55 · Nordea.* · BIC NDEAFIHH'))).to_be_visible()
    expect(page.locator('.q-field--error')).to_have_count(0)  # accepted by the field at once
    shot(page, 'refund-step2-1280')
    assert_accessible(page)
    press_continue(page)

    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    preview = page.locator('#main')
    for text in ('Onni Juhani', 'Jyväskylän kaupunki', '+358 50 1234567', 'Palautetaan maksajan tilille',
                 'FI48 2222 3333 4444 55', 'NDEAFIHH', '12345', '27.1.2023', '27,00\u00a0€'):
        expect(preview).to_contain_text(text)
    shot(page, 'refund-preview-1280')
    assert_accessible(page)

    # A way back to each step from the preview, with the answers kept.
    page.get_by_role('button', name='Muuta: Yhteydenotto').click()
    expect(page.get_by_role('heading', name='Yhteydenotto', level=2)).to_be_visible()
    expect(field(page, 'Puhelinnumero')).to_have_value('+358501234567')
    press_continue(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()

    send = page.get_by_role('button', name='Lähetä')
    send.dblclick()  # a double click sends once
    page.wait_for_url(f'**/palvelupyynto/{number}/lahetetty')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Palvelupyyntö lähetetty')).to_be_visible()
    expect(page.get_by_text(str(number), exact=True)).to_be_visible()
    expect(page.get_by_text('Vireillepano/-tulo').first).to_be_visible()
    shot(page, 'refund-confirmation-1280')
    assert_accessible(page)
    receipt = page.request.get(f'/palvelupyynto/{number}/kuittaus.pdf')
    assert receipt.status == 200
    assert receipt.headers['content-type'] == 'application/pdf'
    assert receipt.body().startswith(b'%PDF')
    assert receipt.headers['content-disposition'] == f'attachment; filename="kuittaus-{number}.pdf"'

    page.get_by_role('link', name='Siirry Oma asiointiin').click()
    wait_for_page(page)
    page.get_by_role('tab', name=re.compile('Lähetetyt')).click()
    row = page.get_by_role('row').filter(has_text=f'{number} : Tilinumeron ilmoittaminen')
    expect(row).to_have_count(1)
    expect(row).to_contain_text('Vireillepano/-tulo')
    # The draft is gone from Luonnokset and its edit page now says not found.
    page.goto(f'/palvelupyynto/{number}/muokkaa')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Sivua ei löytynyt')).to_be_visible()


def test_draft_is_saved_and_resumed_at_the_same_step_with_every_answer(page: Page) -> None:
    open_form(page, REFUND)
    field(page, 'Yksikkö').fill('Palkkahallinto')
    field(page, 'Puhelinnumero').fill('040 765 4321')
    page.get_by_text('Asioi toisen puolesta', exact=True).click()
    field(page, 'Kenen puolesta asioit (nimi) *').fill('Aino Korhonen')
    field(page, 'Asiointiperuste (esim. huoltaja, edunvalvoja, valtakirja) *').fill('huoltaja')
    press_continue(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    page.get_by_text('Palautetaan muulle kuin maksajan tilille', exact=True).click()
    field(page, 'Miksi palautus maksetaan muulle kuin maksajalle *').fill('Maksoin lapsen laskun.')
    field(page, 'Tilinumero *').fill('FI11 2222')  # unfinished and invalid: kept as typed in a draft
    field(page, 'Palautuksen määrä *').fill('12,5')
    field(page, 'Lisätietoja').fill('Lasku koskee\nkesäleiriä.')
    number = draft_number(page)
    page.get_by_role('button', name='Tallenna luonnos ja keskeytä').click()
    page.wait_for_url('**/oma-asiointi')
    wait_for_page(page)
    expect(page.get_by_role('status').filter(has_text=f'Luonnos {number} on tallennettu')).to_be_visible()

    page.get_by_role('link', name=re.compile(f'^{number} : ')).click()
    page.wait_for_url(f'**/palvelupyynto/{number}/muokkaa')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    expect(page.get_by_role('radio', name='Palautetaan muulle kuin maksajan tilille')).to_have_attribute(
        'aria-checked', 'true')
    expect(field(page, 'Miksi palautus maksetaan muulle kuin maksajalle *')).to_have_value('Maksoin lapsen laskun.')
    expect(field(page, 'Tilinumero *')).to_have_value('FI11 2222')
    expect(field(page, 'Palautuksen määrä *')).to_have_value('12,5')
    expect(field(page, 'Lisätietoja')).to_have_value('Lasku koskee\nkesäleiriä.')
    page.get_by_role('button', name='Edellinen').click()
    expect(page.get_by_role('heading', name='Yhteydenotto', level=2)).to_be_visible()
    expect(field(page, 'Yksikkö')).to_have_value('Palkkahallinto')
    expect(field(page, 'Puhelinnumero')).to_have_value('+358407654321')  # stored as E.164 once checked
    expect(field(page, 'Kenen puolesta asioit (nimi) *')).to_have_value('Aino Korhonen')


def test_changes_are_kept_when_the_tab_is_closed(page: Page) -> None:
    sockets: list[WebSocket] = []
    page.on('websocket', lambda socket: sockets.append(socket))
    open_form(page, REFUND)
    press_continue(page)  # creates the draft
    number = draft_number(page)
    # The change must have reached the server before the tab goes: wait for the frame that carries it.
    with next(socket for socket in reversed(sockets) if not socket.is_closed()) \
            .expect_event('framesent', lambda payload: '99887' in str(payload)):
        field(page, 'Asiakasnumero *').fill('99887')
    page.goto('/oma-asiointi')  # leaving the page drops the connection: the change is saved then
    wait_for_page(page)
    page.goto(f'/palvelupyynto/{number}/muokkaa')
    wait_for_page(page)
    expect(field(page, 'Asiakasnumero *')).to_have_value('99887')


def test_empty_required_field_is_named_by_the_field_and_in_the_summary(page: Page) -> None:
    open_form(page, REFUND)
    field(page, 'Etunimi *').fill('')
    field(page, 'Sähköposti *').fill('onni@')
    field(page, 'Sähköposti *').press('Tab')  # checked on leaving the field, before Jatka
    expect(page.locator('.q-field--error').filter(has_text='Anna sähköpostiosoite muodossa')).to_be_visible()
    press_continue(page)
    summary = page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')
    expect(summary).to_be_visible()
    expect(summary.get_by_role('link', name='Etunimi on pakollinen tieto.')).to_be_visible()
    expect(summary.get_by_role('link', name=re.compile('Sähköposti: Anna sähköpostiosoite'))).to_be_visible()
    # By the field as well, and the answers stay as typed.
    expect(page.locator('.q-field--error').filter(has_text='Etunimi on pakollinen tieto.')).to_be_visible()
    expect(field(page, 'Sähköposti *')).to_have_value('onni@')
    expect(field(page, 'Sukunimi *')).to_have_value('Korhonen')
    shot(page, 'refund-errors-1280')
    assert_accessible(page)
    summary.get_by_role('link', name='Etunimi on pakollinen tieto.').click()
    expect(field(page, 'Etunimi *')).to_be_focused()
    field(page, 'Etunimi *').fill('Onni')
    field(page, 'Sähköposti *').fill('onni@example.fi')
    press_continue(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    expect(page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')).to_have_count(0)
    # A required radio group and its summary link.
    press_continue(page)
    link = page.get_by_role('link', name='Valitse, kenen tilille palautus maksetaan.')
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role('radio', name='Palautetaan maksajan tilille')).to_be_focused()


def test_attachments_oversized_and_mismatched_files_are_refused(page: Page, tmp_path: Path) -> None:
    open_form(page, REFUND)
    press_continue(page)
    big = tmp_path / 'iso.pdf'
    big.write_bytes(PDF + b'0' * (1024 * 1024 + 10))
    fake = tmp_path / 'lasku.pdf'
    fake.write_text('Tämä ei ole PDF vaan tekstiä.', encoding='utf-8')
    good = tmp_path / 'tiliote.pdf'
    good.write_bytes(PDF)
    picker = page.locator('input[type=file]')
    picker.set_input_files(str(big))
    expect(page.get_by_text('Tiedosto on liian suuri. Suurin sallittu koko on 1 Mt.').first).to_be_visible()
    picker.set_input_files(str(fake))
    expect(page.get_by_text('Tiedoston lasku.pdf sisältö ei vastaa sen tyyppiä.').first).to_be_visible()
    picker.set_input_files(str(good))
    expect(page.get_by_role('link', name='tiliote.pdf')).to_be_visible()
    expect(page.get_by_role('link', name='lasku.pdf')).to_have_count(0)
    shot(page, 'refund-attachments-1280')
    assert_accessible(page)
    # Only the owner gets the file.
    href = page.get_by_role('link', name='tiliote.pdf').get_attribute('href')
    assert page.request.get(found(href)).body() == PDF
    page.get_by_role('button', name='Poista liite tiliote.pdf').click()
    expect(page.get_by_role('link', name='tiliote.pdf')).to_have_count(0)


def test_upload_bodies_without_or_over_the_limit_get_413(page: Page) -> None:
    open_form(page, REFUND)
    url = page.evaluate('document.querySelector(".q-uploader") && '
                        'Array.from(document.querySelectorAll("*")).length') and None
    del url
    response = page.request.post('/_nicegui/client/abc/upload/1', data=b'x' * (1024 * 1024 + 70 * 1024),
                                 headers={'Content-Type': 'application/octet-stream'})
    assert response.status == 413


def test_tax_card_form_is_sent_with_its_attachment(page: Page, tmp_path: Path) -> None:
    open_form(page, TAX_CARD)
    choose_organisation(page, 'Organisaatiohaku', 'Laukaan', 'Laukaan kunta')
    press_continue(page)
    expect(page.get_by_role('heading', name='Verokortti', level=2)).to_be_visible()
    expect(page.get_by_text('Ilman verokorttia ennakonpidätys on 60 %.')).to_be_visible()
    choose_organisation(page, 'Työnantaja *', 'Laukaan', 'Laukaan kunta')
    field(page, 'Verovuosi *').fill('2026')
    page.get_by_text('Muutosverokortti', exact=True).click()
    field(page, 'Verokortti voimassa alkaen').fill('1.2.2026')
    press_continue(page)
    expect(page.get_by_role('link', name='Verokortti (liite) on pakollinen tieto.')).to_be_visible()
    card = tmp_path / 'verokortti-2026.pdf'
    card.write_bytes(PDF)
    page.locator('input[type=file]').set_input_files(str(card))
    expect(page.get_by_role('link', name='verokortti-2026.pdf')).to_be_visible()
    shot(page, 'tax-card-step2-1280')
    assert_accessible(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    expect(page.locator('#main')).to_contain_text('verokortti-2026.pdf')
    assert_accessible(page)
    page.get_by_role('button', name='Lähetä').click()
    page.wait_for_url('**/lahetetty')
    wait_for_page(page)
    number = page.get_by_test_id('request-number') if False else None
    del number
    expect(page.get_by_role('heading', name='Palvelupyyntö lähetetty')).to_be_visible()


@pytest.mark.parametrize('width', [390])
def test_form_fits_a_phone_screen(page: Page, width: int) -> None:
    page.set_viewport_size({'width': width, 'height': 860})
    open_form(page, REFUND)
    assert page.evaluate('document.documentElement.scrollWidth') <= width
    shot(page, f'refund-step1-{width}')
    assert_accessible(page)
    press_continue(page)
    fill_recipient_step(page)
    expect(page.get_by_text(re.compile('BIC NDEAFIHH'))).to_be_visible()
    assert page.evaluate('document.documentElement.scrollWidth') <= width
    shot(page, f'refund-step2-{width}')
    press_continue(page)
    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    assert page.evaluate('document.documentElement.scrollWidth') <= width
    shot(page, f'refund-preview-{width}')
    assert_accessible(page)
