"""The accessibility statement in fi/sv/en (KIELI in the header), its feedback form with errors by the field and in
the summary, the feedback reaching the handlers on /kasittely/palaute, and OMAT TIEDOT's own-data section."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from services.demo_data import DEMO_HANDLER_TOTP_SECRET, DEMO_PASSWORD
from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, axe_violations, wait_for_page
from tests.support.staff import unused_totp_code

SHOTS = SHOTS_DIR / 'reach'
HEADINGS = {'fi': ('Suomi', 'Saavutettavuusseloste', 'Valvontaviranomainen', 'Lähetä palaute'),
            'sv': ('Svenska', 'Tillgänglighetsutlåtande', 'Tillsynsmyndighet', 'Skicka respons'),
            'en': ('English', 'Accessibility statement', 'Enforcement authority', 'Send feedback')}


def _choose_language(page: Page, name: str) -> None:
    page.get_by_label('KIELI').or_(page.get_by_label('SPRÅK')).or_(page.get_by_label('LANGUAGE')).click()
    page.get_by_role('option', name=name).click()
    page.wait_for_load_state('networkidle')
    wait_for_page(page)


@pytest.mark.parametrize('lang', ['fi', 'sv', 'en'])
def test_statement_in_each_language_passes_axe(page: Page, lang: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    option, title, supervisor, send = HEADINGS[lang]
    page.goto('/saavutettavuusseloste')
    wait_for_page(page)
    if lang != 'fi':
        _choose_language(page, option)
    expect(page.get_by_role('heading', name=title, level=1)).to_be_visible()
    expect(page.get_by_role('heading', name=supervisor, level=2)).to_be_visible()
    expect(page.get_by_role('button', name=send)).to_be_visible()
    expect(page.get_by_role('link', name='saavutettavuus@traficom.fi')).to_have_attribute('href',
                                                                                    'mailto:saavutettavuus@traficom.fi')
    assert page.evaluate('document.documentElement.lang') == {'fi': 'fi', 'sv': 'sv', 'en': 'en-GB'}[lang]
    page.screenshot(path=str(SHOTS / f'statement-{lang}.png'), full_page=True)
    assert axe_violations(page) == []


def test_feedback_form_checks_fields_and_reaches_the_handlers(page: Page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto('/saavutettavuusseloste?sivu=/palvelut')
    wait_for_page(page)
    form = page.locator('#palaute')
    page.get_by_role('button', name='Lähetä palaute').click()
    summary = page.locator('.q-card[role=alert]')  # the error summary (the field's own message is an alert too)
    expect(summary).to_contain_text('Kirjoita palautteesi.')
    expect(form.get_by_text('Kirjoita palautteesi.').first).to_be_visible()
    expect(page.get_by_label('Sivu tai toiminto, jota palaute koskee')).to_have_value('/palvelut')

    page.get_by_label('Palautteesi *').fill('Kalenterin painikkeet eivät toimi ruudunlukijalla.')
    page.get_by_label('Sähköpostiosoite, jos haluat vastauksen').fill('matti@')
    page.get_by_role('button', name='Lähetä palaute').click()
    expect(summary).to_contain_text('Anna sähköpostiosoite muodossa nimi@esimerkki.fi.')
    expect(page.get_by_label('Palautteesi *')).to_have_value('Kalenterin painikkeet eivät toimi ruudunlukijalla.')
    page.screenshot(path=str(SHOTS / 'feedback-errors.png'), full_page=False)
    assert axe_violations(page) == []

    page.get_by_label('Sähköpostiosoite, jos haluat vastauksen').fill('matti@example.fi')
    page.get_by_role('button', name='Lähetä palaute').click()
    expect(page.get_by_role('heading', name='Kiitos palautteestasi')).to_be_visible()
    expect(page.get_by_role('status')).to_contain_text('välitetty palvelukeskuksen käsittelijöille')
    page.screenshot(path=str(SHOTS / 'feedback-thanks.png'), full_page=False)

    page.goto('/kirjaudu/salasana?next=/kasittely/palaute')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').fill('kaisa.kasittelija')
    page.get_by_label('Salasana', exact=True).fill(DEMO_PASSWORD)
    page.get_by_role('button', name='Kirjaudu').click()
    page.get_by_label('Vahvistuskoodi').fill(unused_totp_code(page.url.split('/kirjaudu')[0], 'kaisa.kasittelija',
                                                              DEMO_HANDLER_TOTP_SECRET))
    page.get_by_role('button', name='Vahvista').click()
    page.wait_for_url('**/kasittely/palaute')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Saavutettavuuspalaute', level=1)).to_be_visible()
    expect(page.get_by_role('link', name='PALAUTE')).to_have_attribute('aria-current', 'page')
    row = page.locator('li').filter(has_text='Kalenterin painikkeet eivät toimi ruudunlukijalla.')
    expect(row).to_contain_text('matti@example.fi')
    expect(row).to_contain_text('/palvelut')
    assert axe_violations(page) == []
    row.get_by_role('button', name='Merkitse käsitellyksi').click()
    expect(row).to_contain_text('Käsitelty')
    expect(page.get_by_text('Käsittelemättä 0')).to_be_visible()
    page.screenshot(path=str(SHOTS / 'staff-feedback.png'), full_page=True)


def test_my_data_download_and_deletion_request(page: Page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto('/omat-tiedot')
    wait_for_page(page)
    with page.expect_download() as download_info:
        page.get_by_role('link', name='Lataa omat tietoni').click()
    download = download_info.value
    assert download.suggested_filename == 'omat-tietoni.zip'
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert json.loads(archive.read('person.json'))['display_name'] == 'Onni Juhani Korhonen'
    assert len(json.loads(archive.read('requests.json'))) == 7

    page.get_by_role('button', name='Pyydä käyttäjätilin poistamista').click()
    dialog = page.get_by_role('alertdialog')
    expect(dialog).to_contain_text('Pyydetäänkö käyttäjätilin poistamista?')
    page.screenshot(path=str(SHOTS / 'deletion-dialog.png'), full_page=False)
    dialog.get_by_role('button', name='Kyllä, pyydä poistamista').click()
    expect(page.get_by_text('Pyysit käyttäjätilisi poistamista')).to_be_visible()
    expect(page.locator('#deletion-requested')).to_be_focused()
    page.get_by_text('Pyysit käyttäjätilisi poistamista').scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / 'my-data-section.png'), full_page=True)
    assert axe_violations(page) == []


def test_feedback_can_be_sent_with_the_keyboard_only(page: Page) -> None:
    page.goto('/saavutettavuusseloste')
    wait_for_page(page)

    def tab_to(label: str) -> None:
        for _ in range(60):
            page.keyboard.press('Tab')
            if page.evaluate('document.activeElement.getAttribute("aria-label") || '
                             'document.activeElement.labels?.[0]?.innerText || document.activeElement.innerText'
                             ) .strip().startswith(label):
                return
        raise AssertionError(f'{label} cannot be reached with Tab')

    tab_to('Palautteesi')
    page.keyboard.type('Näppäimistöllä lähetetty palaute.')
    tab_to('Sivu tai toiminto')
    page.keyboard.type('/saavutettavuusseloste')
    tab_to('Lähetä palaute')
    page.keyboard.press('Enter')
    expect(page.get_by_role('heading', name='Kiitos palautteestasi')).to_be_visible()
    expect(page.locator('#feedback-thanks')).to_be_focused()  # focus moves to the answer
