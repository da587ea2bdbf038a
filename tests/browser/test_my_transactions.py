"""Oma asiointi in Chromium on the demo data: the seed's tabs, rows and columns, the thread of 978373 (badge, reading,
a reply with an attachment), resuming and deleting drafts, OMAT TIEDOT and YHTEYSTIEDOT, axe on every page, and
another user refused every one of Onni's ids."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, WCAG_TAGS, axe_violations, wait_for_page
from tests.support.server import PortalServer

DEMO_PASSWORD = 'Demo-salasana-2026'
SHOTS = SHOTS_DIR / 'oma_asiointi'
REFUND = 'Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten'
TAX_CARD = 'Verokortin toimittaminen'
PDF = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size['width'] if page.viewport_size else 0
    page.screenshot(path=str(SHOTS / f'{name}-{width}.png'), full_page=True)


def _axe(page: Page) -> list[str]:
    """axe once the page is at rest: Quasar's loading bar (shown during a request) has gone and notices have
    finished fading in (half-transparent, their text would be measured against a blend)."""
    expect(page.locator('.q-loading-bar[role=progressbar]')).to_have_count(0)
    page.wait_for_function("[...document.querySelectorAll('.q-notification')]"
                           ".every(n => getComputedStyle(n).opacity === '1' && !n.getAnimations().length)")
    return axe_violations(page)


def _contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed 'rgb(r, g, b)' colours."""
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r'\d+', colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _axe_dialog(page: Page) -> list[str]:
    """axe over an open modal dialog only (the page behind it is dimmed on purpose and out of reach).

    axe measures the dialog's text against Quasar's backdrop (white on #999 for a dark-blue-on-white button), so
    colour contrast is checked here from the computed colours of the dialog's text and buttons instead.
    """
    page.wait_for_function("!document.querySelector('.q-dialog').getAnimations({subtree: true}).length")
    results = Axe().run(page, context='.q-dialog', options={'runOnly': {'type': 'tag', 'values': WCAG_TAGS},
                                                             'rules': {'color-contrast': {'enabled': False}}})
    problems = [f'{v["id"]}: {v["help"]}' for v in results.response['violations']]
    colours = page.evaluate("""[...document.querySelectorAll('.q-dialog .q-btn, .q-dialog .q-card > div')]
        .map(e => { const s = getComputedStyle(e); let b = e, bg = s.backgroundColor;
                    while (bg === 'rgba(0, 0, 0, 0)' && b.parentElement) {
                        b = b.parentElement; bg = getComputedStyle(b).backgroundColor; }
                    return [e.innerText, s.color, bg]; })""")
    problems += [f'contrast {text!r}: {fg} on {bg}' for text, fg, bg in colours if _contrast(fg, bg) < 4.5]
    return problems


def _open(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_page(page)


def _panel(page: Page) -> Locator:
    """The tab panel on show, or coming into view.

    While Quasar slides from one panel to the next, both are in the page (the leaving one carries a
    `q-transition--…-leave…` class): a plain `.q-tab-panel:visible` then matches two elements and fails in strict mode.
    Leaving the leaving one out means one panel at every moment, even when a busy machine draws the slide slowly.
    """
    panels = page.locator('.q-tab-panel:visible:not([class*="-leave"])')
    expect(panels).to_have_count(1)
    return panels


def _rows(page: Page) -> list[list[str]]:
    """The cells of the visible tab's table, row by row."""
    panel = _panel(page)
    expect(panel.locator('tbody tr').first).to_be_visible()
    return [[cell.strip() for cell in row.locator('td').all_inner_texts()]
            for row in panel.locator('tbody tr').all()]


def _headers(page: Page) -> list[str]:
    # The sort arrow is a ligature icon whose text is its name.
    return [h.replace('arrow_upward', '').strip() for h in _panel(page).locator('thead th').all_inner_texts()]


def _reply_with_attachment(page: Page, number: int, text: str, tmp_path: Path) -> str:
    """Send a reply with a PDF on the request's page; returns the attachment's download path."""
    _open(page, f'/oma-asiointi/{number}')
    file = tmp_path / 'tiliote.pdf'
    file.write_bytes(PDF)
    page.get_by_label('Viesti', exact=True).fill(text)
    page.locator('.reply-upload input[type=file]').set_input_files(str(file))
    expect(page.get_by_role('button', name='Poista liite tiliote.pdf')).to_be_visible()
    page.get_by_role('button', name='Lähetä vastaus').click()
    expect(page.get_by_text('Vastauksesi lähetettiin.')).to_be_visible()
    reply = page.locator('li', has_text=text).last
    expect(reply).to_contain_text('Vastauksesi')
    link = reply.get_by_role('link', name='tiliote.pdf')
    expect(link).to_be_visible()
    href = link.get_attribute('href')
    assert href and re.fullmatch(r'/liitteet/\d+', href)
    return href


def test_tabs_show_the_seeds_rows_and_columns(page: Page) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    _open(page, '/oma-asiointi')
    expect(page.get_by_role('heading', name='Omat tapahtumat', level=1)).to_be_visible()
    for name in ('Luonnokset (2)', 'Lähetetyt (5)', 'Valmiit (0)'):
        expect(page.get_by_role('tab', name=name)).to_be_visible()
    assert _headers(page)[:2] == ['Ilmoitus', 'Luontiaika']
    assert [row[:2] for row in _rows(page)] == [[f'5474 : {REFUND}', '27.01.2023 09:22'],
                                                [f'5453 : {REFUND}', '20.01.2023 09:03']]
    assert _axe(page) == []
    _shot(page, 'luonnokset')

    page.get_by_role('tab', name='Lähetetyt (5)').click()
    expect(_panel(page)).to_contain_text('979728')
    assert _headers(page) == ['Ilmoitus', 'Muokattu viimeksi', 'Käsittelyvaihe']
    assert _rows(page) == [
        [f'979728 : {TAX_CARD}', '17.12.2021 16:13', 'Vireillepano/-tulo'],
        [f'978373 : {REFUND}Uusia viestejä 2', '17.12.2021 16:12', 'Vireillepano/-tulo'],
        [f'979825 : {TAX_CARD}', '17.12.2021 13:20', 'Vireillepano/-tulo'],
        [f'979738 : {REFUND}', '17.12.2021 13:19', 'Vireillepano/-tulo'],
        [f'978635 : {TAX_CARD}', '17.12.2021 09:48', 'Vireillepano/-tulo'],
    ]
    assert _axe(page) == []
    _shot(page, 'lahetetyt')

    # Sorting and searching go to the server: oldest first, then only the tax cards.
    _panel(page).locator('th', has_text='Muokattu viimeksi').click()
    expect(_panel(page).locator('tbody tr').first).to_contain_text('978635')
    _panel(page).get_by_label('Hae numerolla tai palvelun nimellä').fill('verokortin')
    expect(_panel(page).locator('tbody tr')).to_have_count(3)

    page.get_by_role('tab', name='Valmiit (0)').click()
    expect(_panel(page)).to_contain_text('Ei palvelupyyntöjä.')


def test_reading_the_thread_clears_the_badge_and_a_reply_with_attachment_joins_it(page: Page,
                                                                                   tmp_path: Path) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    _open(page, '/oma-asiointi')
    page.get_by_role('tab', name='Lähetetyt (5)').click()
    page.get_by_role('link', name=f'978373 : {REFUND}').click()
    page.wait_for_url('**/oma-asiointi/978373')
    wait_for_page(page)
    expect(page.get_by_role('heading', name=f'978373 : {REFUND}', level=1)).to_be_visible()
    thread = page.locator('ol', has_text='Hei, liitättekö vielä kuvan tiliotteesta')
    expect(thread.get_by_text('Uusi', exact=True)).to_have_count(2)
    expect(page.get_by_text('Vireillepano/-tulo').last).to_be_visible()
    expect(page.get_by_text('FI48 2222 3333 4444 55')).to_be_visible()
    assert _axe(page) == []
    _shot(page, 'detail')

    _open(page, '/oma-asiointi')
    page.get_by_role('tab', name='Lähetetyt (5)').click()
    row = _panel(page).locator('tbody tr', has_text='978373')
    expect(row).to_be_visible()
    expect(row).not_to_contain_text('Uusia viestejä')

    # An empty reply is refused by the field and in the summary, and nothing is sent.
    _open(page, '/oma-asiointi/978373')
    page.get_by_role('button', name='Lähetä vastaus').click()
    expect(page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')).to_contain_text('Kirjoita viesti.')

    href = _reply_with_attachment(page, 978373, 'Tiliote on liitteenä.', tmp_path)
    assert _axe(page) == []
    _shot(page, 'detail-replied')
    response = page.request.get(href)
    assert response.status == 200 and response.body() == PDF
    assert 'attachment' in response.headers['content-disposition']
    # The reply made 978373 the latest modified request.
    _open(page, '/oma-asiointi')
    page.get_by_role('tab', name='Lähetetyt (5)').click()
    expect(_panel(page).locator('tbody tr').first).to_contain_text('978373')


def test_a_draft_is_resumed_in_the_form_and_another_deleted(page: Page) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    _open(page, '/oma-asiointi')
    page.get_by_role('link', name=f'5474 : {REFUND}').click()
    page.wait_for_url('**/palvelupyynto/5474/muokkaa')
    wait_for_page(page)
    expect(page.get_by_role('heading', name=REFUND).first).to_be_visible()

    _open(page, '/oma-asiointi/5453')
    expect(page.get_by_text('Tämä palvelupyyntö on luonnos')).to_be_visible()
    assert _axe(page) == []
    _shot(page, 'draft')
    page.get_by_role('button', name='Jatka täyttämistä').click()
    page.wait_for_url('**/palvelupyynto/5453/muokkaa')

    _open(page, '/oma-asiointi')
    page.get_by_role('button', name=f'Poista luonnos 5453 : {REFUND}').click()
    dialog = page.get_by_role('alertdialog')
    expect(dialog).to_contain_text('Poistetaanko luonnos?')
    expect(dialog.get_by_role('button', name='Peruuta')).to_be_visible()
    _shot(page, 'delete-dialog')
    assert _axe_dialog(page) == []
    dialog.get_by_role('button', name='Peruuta').click()
    expect(_panel(page).locator('tbody tr')).to_have_count(2)
    page.get_by_role('button', name=f'Poista luonnos 5453 : {REFUND}').click()
    page.get_by_role('alertdialog').get_by_role('button', name='Poista luonnos').click()
    expect(page.get_by_role('tab', name='Luonnokset (1)')).to_be_visible()
    expect(_panel(page).locator('tbody tr')).to_have_count(1)
    _open(page, '/oma-asiointi/5453')
    expect(page.get_by_role('heading', name='Palvelupyyntöä ei löytynyt')).to_be_visible()


def test_another_user_gets_not_found_for_every_id(browser: Browser, portal: PortalServer, page: Page,
                                                  tmp_path: Path) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    onnis_attachment = _reply_with_attachment(page, 979738, 'Lisätieto.', tmp_path)

    context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900}, locale='fi-FI')
    other = context.new_page()
    try:
        sign_in_with_password(other, 'riikka.edustaja', DEMO_PASSWORD)
        _open(other, '/oma-asiointi')
        expect(other.get_by_role('tab', name='Lähetetyt (0)')).to_be_visible()

        def not_found_text(path: str) -> str:
            _open(other, path)
            expect(other.get_by_role('heading', name='Palvelupyyntöä ei löytynyt')).to_be_visible()
            return other.locator('#main').inner_text()

        # Someone else's request or draft and a number that does not exist look exactly alike.
        assert not_found_text('/oma-asiointi/978373') == not_found_text('/oma-asiointi/99999999') \
            == not_found_text('/oma-asiointi/5474') == not_found_text('/oma-asiointi/abc')
        assert _axe(other) == []
        # The draft's edit page shows none of Onni's answers.
        _open(other, '/palvelupyynto/5474/muokkaa')
        expect(other.locator('#main')).not_to_contain_text('645516@generated.invalid')
        expect(other.locator('#main')).not_to_contain_text('Onni Juhani')
        # Downloads: Onni's attachment and a missing one give the same 404.
        theirs = other.request.get(onnis_attachment)
        missing = other.request.get('/liitteet/99999999')
        assert (theirs.status, missing.status) == (404, 404) and theirs.body() == missing.body()
        assert other.request.get('/liitteet/x').status == 404
        assert page.request.get(onnis_attachment).status == 200
    finally:
        context.close()


def test_my_details_show_errors_by_field_and_in_summary_and_save(page: Page) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    _open(page, '/omat-tiedot')
    expect(page.get_by_text('150585-****')).to_be_visible()
    expect(page.get_by_label('Sähköpostiosoite *')).to_have_value('645516@generated.invalid')
    expect(page.get_by_label('Puhelinnumero')).to_have_value('+358 50 1234567')
    assert _axe(page) == []
    _shot(page, 'omat-tiedot')

    page.get_by_label('Sähköpostiosoite *').fill('ei-osoite')
    page.get_by_label('Puhelinnumero').fill('123')
    page.get_by_role('button', name='Tallenna tiedot').click()
    summary = page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')
    expect(summary.get_by_role('link')).to_have_count(2)
    expect(page.get_by_text('Anna puhelinnumero muodossa 0501234567 tai +358501234567.').first).to_be_visible()
    expect(page.get_by_label('Puhelinnumero')).to_have_value('123')  # nothing typed is lost
    assert _axe(page) == []
    _shot(page, 'omat-tiedot-errors')

    page.get_by_label('Sähköpostiosoite *').fill('onni.korhonen@example.fi')
    page.get_by_label('Puhelinnumero').fill('040 123 4567')
    page.get_by_role('button', name='Tallenna tiedot').click()
    expect(page.get_by_text('Tietosi tallennettiin.')).to_be_visible()
    expect(page.get_by_label('Puhelinnumero')).to_have_value('+358 40 1234567')

    page.get_by_label('Nykyinen salasana').fill('väärä salasana')
    page.get_by_label('Uusi salasana', exact=True).fill('lyhyt')
    page.get_by_label('Vahvista uusi salasana').fill('lyhyt')
    page.get_by_role('button', name='Vaihda salasana').click()
    expect(page.get_by_text('Nykyinen salasana ei ole oikein.').first).to_be_visible()


def test_contact_details_come_from_the_region(page: Page) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    _open(page, '/yhteystiedot')
    for text in ('+358 14 266 0000', 'asiakaspalvelu.keskisuomi@monetra.example', 'Väinönkatu 1, 40100 Jyväskylä',
                 'ma–pe klo 9–15'):
        expect(page.get_by_text(text)).to_be_visible()
    assert _axe(page) == []
    _shot(page, 'yhteystiedot')


@pytest.mark.parametrize('path', ['/oma-asiointi', '/oma-asiointi/978373', '/oma-asiointi/5474', '/omat-tiedot',
                                  '/yhteystiedot'])
def test_pages_fit_a_phone_screen(page: Page, path: str) -> None:
    page.set_viewport_size({'width': 390, 'height': 900})
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    _open(page, path)
    assert page.evaluate('document.documentElement.scrollWidth') <= 390
    assert _axe(page) == []
    _shot(page, path.strip('/').replace('/', '-'))
