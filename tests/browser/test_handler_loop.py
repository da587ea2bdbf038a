"""The whole loop between a citizen and the centre, in two browser contexts, with email through a real SMTP server:
the citizen sends a refund request; the handler assigns it and asks a question; the citizen sees "Uusia viestejä 1",
gets the email and answers; the handler adds an internal note (never shown to the citizen) and resolves; the request
is in the citizen's Valmiit with the resolution, and the resolution email arrives."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.harness import wait_until
from tests.browser.conftest import sign_in_with_password
from tests.browser.test_refund_form import fill_contact_step, fill_recipient_step, press_continue
from tests.support.browser import SHOTS_DIR, axe_violations, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.rows import found
from tests.support.server import PortalServer, start_portal
from tests.support.smtp import ReceivedEmail, SmtpTestServer
from tests.support.staff import DEMO_PASSWORD, sign_in_as_staff

SHOTS = SHOTS_DIR / 'handling'
CITIZEN_EMAIL = '645516@generated.invalid'
QUESTION = 'Hei, voisitteko kertoa, mistä laskusta liikasuoritus on syntynyt?'
REPLY = 'Liikasuoritus koskee laskua 1, maksoin sen kahteen kertaan.'
NOTE = 'Tarkistettu reskontrasta: kaksi suoritusta 27.1.2023.'
RESOLUTION = 'Liikasuoritus 27,00 € palautetaan tilillenne FI48 2222 3333 4444 55 viikon kuluessa.'


@pytest.fixture(scope='module')
def smtp() -> Iterator[SmtpTestServer]:
    server = SmtpTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpTestServer) -> Iterator[PortalServer]:
    """The portal delivering its email to the test's SMTP server."""
    tmp = tmp_path_factory.mktemp('loop')
    with fresh_database_url(tmp) as url:
        server = start_portal(tmp / 'data', url, SMTP_HOST=smtp.host, SMTP_PORT=str(smtp.port),
                              SMTP_SECURITY='none')
        yield server
        server.stop()


def wait_for_email(smtp: SmtpTestServer, number: int, needle: str, timeout: float = 45) -> ReceivedEmail:
    """The email about request `number` whose text has `needle` (the delivery loop polls every few seconds)."""
    def arrived() -> ReceivedEmail | None:
        return next((received for received in list(smtp.received)
                     if str(number) in received.subject + received.body('plain') and needle in received.body('plain')),
                    None)

    return found(wait_until(arrived, f'an email about {number} containing {needle!r}', timeout))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


def fill_refund_to_preview(citizen: Page) -> None:
    citizen.goto('/palvelut/tilinumero-liikasuoritus')
    wait_for_page(citizen)
    fill_contact_step(citizen)
    press_continue(citizen)
    expect(citizen.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    fill_recipient_step(citizen)
    press_continue(citizen)
    expect(citizen.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()


def send_refund_request(citizen: Page) -> int:
    fill_refund_to_preview(citizen)
    citizen.get_by_role('button', name='Lähetä').click()
    citizen.wait_for_url('**/palvelupyynto/*/lahetetty')
    return int(found(re.search(r'/palvelupyynto/(\d+)/lahetetty', citizen.url)).group(1))


def write(handler: Page, kind: str, text: str, button: str, done: str) -> None:
    handler.get_by_text(kind, exact=True).click()
    handler.get_by_label('Teksti').fill(text)
    handler.get_by_role('button', name=button).click()
    if button == 'Ratkaise palvelupyyntö':  # resolving asks for a confirmation first
        handler.get_by_role('alertdialog').get_by_role('button', name='Kyllä, ratkaise').click()
    expect(handler.get_by_role('status').filter(has_text=done)).to_be_visible()


def test_citizen_and_handler_loop_with_email(browser: Browser, portal: PortalServer, smtp: SmtpTestServer) -> None:
    citizen_context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900})
    handler_context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900})
    try:
        citizen, handler = citizen_context.new_page(), handler_context.new_page()
        sign_in_with_password(citizen, 'onni.korhonen', DEMO_PASSWORD)
        number = send_refund_request(citizen)

        # The handler finds it in the queue, takes it and asks a question.
        sign_in_as_staff(handler, 'kaisa.kasittelija')
        handler.get_by_label('Hae numerolla tai nimellä').fill(str(number))
        expect(handler.get_by_text('1 palvelupyyntö', exact=True)).to_be_visible()
        handler.get_by_role('link', name=re.compile(f'^{number} : ')).click()
        handler.wait_for_url(f'**/kasittely/pyynto/{number}')
        wait_for_page(handler)
        handler.get_by_role('button', name='Ota itselleni').click()
        expect(handler.get_by_text('Käsittelijä: Kaisa Käsittelijä', exact=True)).to_be_visible()
        handler.get_by_label('Uusi käsittelyvaihe').click()
        handler.get_by_role('option', name='Valmistelu').click()
        handler.get_by_role('button', name='Vaihda vaihe').click()
        expect(handler.get_by_text('Käsittelyvaihe: Valmistelu', exact=True)).to_be_visible()
        write(handler, 'Kysymys asiakkaalle', QUESTION, 'Lähetä kysymys', 'Kysymys lähetetty asiakkaalle.')

        # The citizen sees "Uusia viestejä 1" in Lähetetyt, and the question arrives by email.
        question_email = wait_for_email(smtp, number, QUESTION)
        assert question_email.recipients == [CITIZEN_EMAIL]
        citizen.goto('/oma-asiointi')
        wait_for_page(citizen)
        citizen.get_by_role('tab', name=re.compile('Lähetetyt')).click()
        row = citizen.get_by_role('row').filter(has_text=f'{number} : Tilinumeron ilmoittaminen')
        expect(row).to_contain_text('Uusia viestejä 1')
        expect(row).to_contain_text('Valmistelu')
        shot(citizen, 'loop-citizen-new-message-1280')

        # The citizen reads and answers.
        row.get_by_role('link').click()
        citizen.wait_for_url(f'**/oma-asiointi/{number}')
        wait_for_page(citizen)
        expect(citizen.locator('#main')).to_contain_text(QUESTION)
        citizen.get_by_label('Viesti', exact=True).fill(REPLY)
        citizen.get_by_role('button', name='Lähetä vastaus').click()
        expect(citizen.get_by_text('Vastauksesi lähetettiin.')).to_be_visible()

        # The handler's queue marks the reply; opening the request reads it.
        handler.goto('/kasittely')
        wait_for_page(handler)
        handler.get_by_role('checkbox', name='Vain ne, joihin asiakas on vastannut').click()
        expect(handler.get_by_role('row').filter(has_text=f'{number} : ')).to_contain_text('Asiakas vastannut')
        handler.goto(f'/kasittely/pyynto/{number}')
        wait_for_page(handler)
        expect(handler.locator('#main')).to_contain_text(REPLY)
        write(handler, 'Sisäinen muistiinpano (ei näy asiakkaalle)', NOTE, 'Tallenna muistiinpano',
              'Muistiinpano tallennettu.')
        expect(handler.locator('#main')).to_contain_text(NOTE)
        shot(handler, 'loop-handler-request-1280')
        assert axe_violations(handler) == []
        write(handler, 'Ratkaisu (palvelupyyntö siirtyy valmiisiin)', RESOLUTION, 'Ratkaise palvelupyyntö',
              'Palvelupyyntö ratkaistu.')
        expect(handler.get_by_text('Tila: Valmis', exact=True)).to_be_visible()
        log = handler.get_by_role('table').filter(has_text='Tapahtuma').last
        for event in ('Vaihtoi käsittelijän', 'Vaihtoi käsittelyvaiheen', 'Lähetti kysymyksen asiakkaalle',
                      'Vastasi viestiin', 'Lisäsi sisäisen muistiinpanon', 'Ratkaisi palvelupyynnön'):
            expect(log).to_contain_text(event)

        # The citizen finds it in Valmiit with the resolution; the internal note is nowhere on their pages.
        resolution_email = wait_for_email(smtp, number, 'viikon kuluessa')
        assert resolution_email.recipients == [CITIZEN_EMAIL]
        assert NOTE not in resolution_email.body('plain')
        citizen.goto('/oma-asiointi')
        wait_for_page(citizen)
        citizen.get_by_role('tab', name=re.compile('Valmiit')).click()
        done_row = citizen.get_by_role('row').filter(has_text=f'{number} : Tilinumeron ilmoittaminen')
        expect(done_row).to_have_count(1)
        done_row.get_by_role('link').click()
        citizen.wait_for_url(f'**/oma-asiointi/{number}')
        wait_for_page(citizen)
        expect(citizen.locator('#main')).to_contain_text(RESOLUTION)
        expect(citizen.locator('#main')).to_contain_text(QUESTION)
        expect(citizen.locator('#main')).to_contain_text(REPLY)
        expect(citizen.get_by_text(NOTE)).to_have_count(0)
        assert NOTE not in citizen.content()
        shot(citizen, 'loop-citizen-resolved-1280')
        assert all(NOTE not in received.body('plain') for received in smtp.received)
    finally:
        citizen_context.close()
        handler_context.close()


def test_asking_for_more_information_returns_the_request_to_the_citizen_to_send_again(
        browser: Browser, portal: PortalServer, smtp: SmtpTestServer) -> None:
    citizen_context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900})
    handler_context = browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900})
    try:
        citizen, handler = citizen_context.new_page(), handler_context.new_page()
        sign_in_as_staff(handler, 'kaisa.kasittelija')
        handler.goto('/kasittely/pyynto/979738')
        wait_for_page(handler)
        write(handler, 'Pyydä lisätietoja (palautetaan asiakkaalle täydennettäväksi)',
              'Lisätkää laskun viitenumero.', 'Pyydä lisätietoja',
              'Palvelupyyntö palautettiin asiakkaalle täydennettäväksi.')
        expect(handler.get_by_text('Tila: Täydennettävänä asiakkaalla', exact=True)).to_be_visible()
        assert wait_for_email(smtp, 979738, 'Lisätkää laskun viitenumero.').recipients == [CITIZEN_EMAIL]

        # The citizen finds it among the drafts, marked for completion, and sends it again.
        sign_in_with_password(citizen, 'onni.korhonen', DEMO_PASSWORD)
        citizen.goto('/oma-asiointi')
        wait_for_page(citizen)
        row = citizen.get_by_role('row').filter(has_text='979738 : Tilinumeron ilmoittaminen')
        expect(row).to_contain_text('Täydennettävä')
        row.get_by_role('link').click()
        citizen.wait_for_url('**/palvelupyynto/979738/muokkaa')
        wait_for_page(citizen)
        # The form opens where the draft stands; go on through the steps to the preview.
        steps = re.compile('^(Yhteydenotto|Palautuksen saaja|Esikatselu)$')
        for _ in range(3):
            current = citizen.get_by_role('heading', name=steps, level=2).first
            expect(current).to_be_visible()
            step = current.inner_text().strip()
            if step == 'Esikatselu':
                break
            press_continue(citizen)
            expect(citizen.get_by_role('heading', name=step, level=2)).to_be_hidden()
        expect(citizen.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
        citizen.get_by_role('button', name='Lähetä').click()
        citizen.wait_for_url('**/palvelupyynto/979738/lahetetty')

        # Back in the handler's queue, marked as answered.
        handler.goto('/kasittely')
        wait_for_page(handler)
        handler.get_by_role('button', name='Tyhjennä suodattimet').click()
        handler.get_by_label('Hae numerolla tai nimellä').fill('979738')
        expect(handler.get_by_role('row').filter(has_text='979738 : ')).to_contain_text('Asiakas vastannut')
    finally:
        citizen_context.close()
        handler_context.close()
