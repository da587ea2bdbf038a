"""The handler workbench in Chromium: who may open it (checked over HTTP for every /kasittely route), the queue's
filters and search, a conflict between two handlers, the admin pages; axe on each page and screenshots at 1280 px."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, axe_violations, wait_for_page
from tests.support.rows import found
from tests.support.server import PortalServer
from tests.support.staff import DEMO_PASSWORD, sign_in_as_staff, staff_routes

SHOTS = SHOTS_DIR / 'handling'


@pytest.fixture(scope='module')
def routes(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    # The staff sign-in (/kasittely/kirjaudu) is the one public page under /kasittely.
    found = [route for route in staff_routes(tmp_path_factory.mktemp('routes')) if route != '/kasittely/kirjaudu']
    # The workbench's own pages must be among them (guards against an empty list passing).
    assert {'/kasittely', '/kasittely/pyynto/978373', '/kasittely/kojelauta', '/kasittely/yllapito',
            '/kasittely/yllapito/kasittelijat', '/kasittely/yllapito/loki.csv'} <= set(found), found
    return found


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


def test_a_citizen_cannot_open_any_handler_page(page: Page, routes: list[str]) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    for route in routes:
        response = page.request.get(route, max_redirects=0)
        if route.startswith('/kasittely/api'):
            assert response.status == 403, route
            continue
        assert response.status == 303, route
        assert response.headers['location'] == '/paasivu?kielletty=1', route
    # Nor by following the redirect: the page reached is the citizen's own front page.
    page.goto('/kasittely/pyynto/978373')
    wait_for_page(page)
    assert page.url.endswith('/paasivu?kielletty=1')
    expect(page.get_by_text('Lähettäjä', exact=True)).to_have_count(0)


def test_an_anonymous_visitor_is_sent_to_sign_in(page: Page, routes: list[str]) -> None:
    for route in routes:
        response = page.request.get(route, max_redirects=0)
        # To the centre's own sign-in (username, password and TOTP), not the citizen's Suomi.fi page.
        assert response.status == 303 and response.headers['location'].startswith('/kasittely/kirjaudu?next='), \
            route


def test_a_handler_cannot_open_the_admin_pages(page: Page, routes: list[str]) -> None:
    sign_in_as_staff(page, 'kaisa.kasittelija')
    expect(page.get_by_role('link', name='YLLÄPITO')).to_have_count(0)
    for route in [route for route in routes if route.startswith('/kasittely/yllapito')]:
        if route.endswith('.csv'):
            assert page.request.get(route).status == 403
            continue
        page.goto(route)
        wait_for_page(page)
        expect(page.get_by_role('heading', name='Ei käyttöoikeutta')).to_be_visible()
        expect(page.get_by_role('button', name=re.compile('Tallenna|Luo tunnus|Myönnä'))).to_have_count(0)


def test_queue_filters_search_and_opens_a_request(page: Page) -> None:
    sign_in_as_staff(page)
    expect(page.get_by_role('heading', name='Palvelupyyntöjen jono')).to_be_visible()
    expect(page.get_by_role('link', name='JONO')).to_have_attribute('aria-current', 'page')
    expect(page.get_by_text('5 palvelupyyntöä')).to_be_visible()
    shot(page, 'queue-1280')
    assert axe_violations(page) == []

    page.get_by_label('Palvelu').click()
    page.get_by_role('option', name='Verokortin toimittaminen').click()
    expect(page.get_by_text('3 palvelupyyntöä')).to_be_visible()
    page.get_by_role('button', name='Tyhjennä suodattimet').click()
    expect(page.get_by_text('5 palvelupyyntöä')).to_be_visible()
    page.get_by_label('Hae numerolla tai nimellä').fill('978373')
    expect(page.get_by_text('1 palvelupyyntö', exact=True)).to_be_visible()
    page.get_by_role('link', name=re.compile('^978373 : ')).click()
    page.wait_for_url('**/kasittely/pyynto/978373')
    wait_for_page(page)
    expect(page.get_by_role('heading', name=re.compile('^978373 : Tilinumeron'))).to_be_visible()
    for text in ('Onni Juhani Korhonen', '150585-****', 'FI48 2222 3333 4444 55',
                 'Hei, liitättekö vielä kuvan tiliotteesta, josta liikasuoritus näkyy?'):
        expect(page.locator('#main')).to_contain_text(text)
    expect(page.get_by_role('cell', name='Avasi palvelupyynnön ja henkilötiedot')).to_be_visible()
    shot(page, 'request-1280')
    assert axe_violations(page) == []
    csv = page.request.get('/kasittely/pyynto/978373/loki.csv')
    assert csv.status == 200 and 'text/csv' in csv.headers['content-type']
    assert 'request_viewed' in csv.text()

    # A blank message is refused next to the field and in the summary, and nothing is sent.
    page.get_by_role('button', name='Lähetä viesti').click()
    expect(page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')).to_be_visible()
    expect(page.get_by_text('Kirjoita teksti ennen lähettämistä.').first).to_be_visible()


def test_second_handler_sees_a_conflict_and_keeps_the_typed_text(browser: Browser, portal: PortalServer) -> None:
    contexts = [browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900})
                for _ in range(2)]
    try:
        kaisa, boss = (context.new_page() for context in contexts)
        sign_in_as_staff(kaisa, 'kaisa.kasittelija')
        sign_in_as_staff(boss, 'admin')
        for page in (kaisa, boss):
            page.goto('/kasittely/pyynto/979825')
            wait_for_page(page)
        kaisa.get_by_role('button', name='Ota itselleni').click()
        expect(kaisa.get_by_text('Otit palvelupyynnön itsellesi.')).to_be_visible()

        boss.get_by_label('Teksti').fill('Palautus on hyväksytty.')
        boss.get_by_text('Ratkaisu (palvelupyyntö siirtyy valmiisiin)').click()
        boss.get_by_role('button', name='Ratkaise palvelupyyntö').click()
        boss.get_by_role('alertdialog').get_by_role('button', name='Kyllä, ratkaise').click()
        conflict = boss.get_by_role('alert').filter(has_text='Palvelupyyntöä on muutettu')
        expect(conflict).to_contain_text('Toinen käsittelijä on muuttanut palvelupyyntöä')
        expect(boss.get_by_label('Teksti')).to_have_value('Palautus on hyväksytty.')
        shot(boss, 'request-conflict-1280')
        assert axe_violations(boss) == []
        boss.get_by_role('button', name='Näytä uusin tilanne').click()
        expect(boss.get_by_text('Käsittelijä: Kaisa Käsittelijä', exact=True)).to_be_visible()
        expect(boss.get_by_label('Teksti')).to_have_value('Palautus on hyväksytty.')  # still there to send again
        # The refused resolution changed nothing.
        expect(boss.get_by_text('Tila: Lähetetty', exact=True)).to_be_visible()
    finally:
        for context in contexts:
            context.close()


def test_dashboard_shows_the_figures(page: Page) -> None:
    sign_in_as_staff(page)
    page.goto('/kasittely/kojelauta')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Kojelauta', level=1)).to_be_visible()
    expect(page.get_by_role('heading', name='Avoimet palvelupyynnöt käsittelyvaiheittain')).to_be_visible()
    expect(page.get_by_role('img', name='Avoimet palvelupyynnöt käsittelyvaiheittain: Vireillepano/-tulo: ')) \
        .to_be_visible()
    expect(page.get_by_role('heading', name='Kauimmin odottaneet avoimet palvelupyynnöt')).to_be_visible()
    expect(page.get_by_role('link', name=re.compile('^978635 : '))).to_be_visible()
    _wait_for_charts_drawn(page)
    shot(page, 'dashboard-1280')
    assert axe_violations(page) == []


def _wait_for_charts_drawn(page: Page) -> None:
    """ECharts animates its bars on a canvas: drawn means two frames in a row show the same pixels."""
    page.wait_for_function("""() => {
        const canvases = [...document.querySelectorAll('.nicegui-echart canvas')];
        const pixels = canvases.map(canvas => canvas.toDataURL()).join();
        const settled = canvases.length > 0 && window.__chartPixels === pixels;
        window.__chartPixels = pixels;
        return settled;
    }""", polling='raf')


def test_admin_pages_save_and_show_errors(page: Page) -> None:
    sign_in_as_staff(page, 'admin')
    page.get_by_role('link', name='YLLÄPITO').click()
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Ylläpito')).to_be_visible()
    shot(page, 'admin-1280')
    assert axe_violations(page) == []

    page.get_by_role('link', name='Ajankohtaista').click()
    wait_for_page(page)
    page.get_by_label('Otsikko (Suomi)').fill('Huoltokatko')
    page.get_by_role('button', name='Tallenna').click()
    summary = page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')
    expect(summary).to_contain_text('Anna otsikko (sv).')
    expect(page.get_by_label('Otsikko (Suomi)')).to_have_value('Huoltokatko')  # nothing typed is lost
    for lang, title, body in (('Svenska', 'Serviceavbrott', 'Portalen är stängd.'),
                              ('English', 'Service break', 'The portal is shut.'),
                              ('Suomi', 'Huoltokatko', 'Portaali on kiinni.')):
        page.get_by_label(f'Otsikko ({lang})').fill(title)
        page.get_by_label(f'Teksti ({lang})').fill(body)
    page.get_by_role('button', name='Tallenna').click()
    expect(page.get_by_role('heading', name='Huoltokatko', level=3)).to_be_visible()
    shot(page, 'admin-news-1280')
    assert axe_violations(page) == []

    page.goto('/kasittely/yllapito/kasittelijat')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').fill('ville.virtanen')
    page.get_by_label('Etunimi').fill('Ville')
    page.get_by_label('Sukunimi').fill('Virtanen')
    page.get_by_label('Sähköposti').fill('ville.virtanen@monetra.example')
    page.get_by_label('Rooli').click()
    page.get_by_role('option', name='Käsittelijä').click()
    page.get_by_label('Alkusalasana').fill('Hyvä-alkusalasana-42')
    page.get_by_role('button', name='Luo tunnus').click()
    secret_box = page.get_by_role('status').filter(has_text='Tunnuksen ville.virtanen vahvistusavain')
    expect(secret_box).to_contain_text('otpauth://totp/')
    secret = found(re.search(r'secret=([A-Z2-7]+)', secret_box.inner_text())).group(1)
    shot(page, 'admin-staff-1280')
    assert axe_violations(page) == []

    for route, name in (('/kasittely/yllapito/alueet', 'admin-regions'),
                        ('/kasittely/yllapito/organisaatiot', 'admin-organisations'),
                        ('/kasittely/yllapito/asiointioikeudet', 'admin-representations')):
        page.goto(route)
        wait_for_page(page)
        shot(page, f'{name}-1280')
        assert axe_violations(page) == [], route

    # The new handler signs in with the password and the key shown once.
    page.goto('/kirjaudu/ulos')
    sign_in_as_staff(page, 'ville.virtanen', 'Hyvä-alkusalasana-42', secret)
    expect(page.get_by_text('Käsittelijä', exact=True).first).to_be_visible()


def test_a_closed_account_cannot_act_from_a_page_it_already_had_open(browser: Browser, portal: PortalServer) -> None:
    contexts = [browser.new_context(base_url=portal.base_url, viewport={'width': 1280, 'height': 900})
                for _ in range(2)]
    try:
        kaisa, boss = (context.new_page() for context in contexts)
        sign_in_as_staff(kaisa, 'kaisa.kasittelija')
        kaisa.goto('/kasittely/pyynto/979728')
        wait_for_page(kaisa)
        # Closing the account ends Kaisa's sessions, and her open page is told to leave for the sign-in page; here
        # it stays (its way there answered 204 No Content), as a tampered page would, and tries to act.
        kaisa.route('**/kirjaudu?**', lambda route: route.fulfill(status=204))
        sign_in_as_staff(boss, 'admin')
        boss.goto('/kasittely/yllapito/kasittelijat')
        wait_for_page(boss)
        with kaisa.expect_request('**/kirjaudu?istunto=paattynyt**'):
            boss.get_by_role('button', name='Sulje tunnus: Kaisa Käsittelijä').click()
            expect(boss.get_by_role('button', name='Avaa tunnus: Kaisa Käsittelijä')).to_be_visible()

        take = kaisa.get_by_role('button', name='Ota itselleni')
        expect(take).to_be_visible()
        with kaisa.expect_request('**/kirjaudu?istunto=paattynyt**'):  # the click is refused with the same answer
            take.click()
        boss.goto('/kasittely/pyynto/979728')
        wait_for_page(boss)
        expect(boss.get_by_text('Käsittelijä: ei käsittelijää', exact=True)).to_be_visible()
        boss.goto('/kasittely/yllapito/kasittelijat')
        wait_for_page(boss)
        boss.get_by_role('button', name='Avaa tunnus: Kaisa Käsittelijä').click()  # leave the demo as it was
        expect(boss.get_by_role('button', name='Sulje tunnus: Kaisa Käsittelijä')).to_be_visible()
    finally:
        for context in contexts:
            context.close()
