"""Interop with an independent identity provider: Debian's SimpleSAMLphp set up as Suomi.fi's e-Identification
behaves (tests/support/simplesamlphp.py), the portal in SIGN_IN_MODE=suomifi-test with the IdP's signed metadata.

Chromium goes through a first login with registration, SP-initiated logout, a second login without registration,
IdP-initiated logout, a replayed response and an answer at a weaker level of assurance than asked. Screenshots go to
test-artifacts/shots/simplesamlphp/. Needs Debian's simplesamlphp, php-cli, php-xml and php-mbstring
(`make test` installs them).
"""
from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Request, expect
from sqlalchemy import create_engine, text

from tests.support.browser import SHOTS_DIR, wait_for_page
from tests.support.databases import fresh_database_url
from tests.support.server import PortalServer, start_portal
from tests.support.sign_in import start_suomifi_sign_in
from tests.support.simplesamlphp import LOA3, SimpleSamlPhp, start_simplesamlphp

SHOTS = SHOTS_DIR / 'simplesamlphp'
LOGIN_COOKIE = 'portal_saml_login'


@pytest.fixture(scope='module')
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleSamlPhp]:
    server = start_simplesamlphp(tmp_path_factory.mktemp('simplesamlphp'))
    yield server
    server.stop()


@pytest.fixture(scope='module')
def portal(tmp_path_factory: pytest.TempPathFactory, idp: SimpleSamlPhp) -> Iterator[PortalServer]:
    """The portal trusting SimpleSAMLphp through its signed metadata, and SimpleSAMLphp trusting the portal's."""
    tmp = tmp_path_factory.mktemp('portal-simplesamlphp')
    metadata = tmp / 'idp-metadata.xml'
    metadata.write_text(idp.metadata_xml(), encoding='utf-8')
    with fresh_database_url(tmp) as url:
        server = start_portal(tmp / 'data', url, SIGN_IN_MODE='suomifi-test', SAML_IDP_METADATA=str(metadata),
                              SAML_IDP_METADATA_SIGNING_CERT=str(idp.metadata_signing_cert))
        try:
            with urllib.request.urlopen(f'{server.base_url}/saml/metadata', timeout=10) as response:
                idp.trust_service_provider(response.read().decode())
            yield server
        finally:
            server.stop()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


def _query(portal: PortalServer, sql: str, **params: object) -> list:
    engine = create_engine(portal.database_url)
    try:
        with engine.begin() as connection:
            return list(connection.execute(text(sql), params))
    finally:
        engine.dispose()


def _to_idp_login(page: Page) -> None:
    """From the landing page as a private person to SimpleSAMLphp's username and password form."""
    start_suomifi_sign_in(page)
    page.wait_for_url('**/module.php/core/loginuserpass.php?**')


def _identify(page: Page, username: str = 'sylvi', password: str = 'sylvi-salasana') -> None:
    page.locator('#username').fill(username)
    page.locator('#password').fill(password)
    page.locator('form button[type=submit], form input[type=submit]').first.click()


def _live_sessions(portal: PortalServer) -> list:
    return _query(portal, 'SELECT s.id FROM usersession s JOIN "user" u ON u.id = s.user_id '
                          "WHERE u.surname = 'Suomalainen' AND s.ended_at IS NULL")


def test_login_logout_both_ways_and_replay_against_simplesamlphp(page: Page, portal: PortalServer,
                                                                 idp: SimpleSamlPhp) -> None:
    answers: list[str] = []

    def keep_answer(request: Request) -> None:
        if request.method == 'POST' and request.url.endswith('/saml/acs'):
            answers.append(request.post_data or '')

    page.on('request', keep_answer)

    # First login: SimpleSAMLphp asks for the password, answers with an encrypted assertion, then registration.
    _to_idp_login(page)
    _shot(page, 'idp-login')
    _identify(page)
    page.wait_for_url('**/rekisteroidy')
    wait_for_page(page)
    page.get_by_label('Sähköpostiosoite *').fill('sylvi.suomalainen@example.fi')
    page.get_by_role('button', name='Rekisteröidy käyttäjäksi').click()
    page.wait_for_url('**/paasivu')
    wait_for_page(page)
    expect(page.locator('header').get_by_text('Annikki Suomalainen').first).to_be_visible()
    _shot(page, 'front-page')
    # All first names came from FirstName (urn:oid:1.2.246.575.1.14); the municipality number is nobody's name.
    assert _query(portal, "SELECT given_name, surname FROM \"user\" WHERE surname = 'Suomalainen'") == \
        [('Sylvi Annikki', 'Suomalainen')]
    assert len(_live_sessions(portal)) == 1

    # SP-initiated logout: the signed LogoutRequest reaches SimpleSAMLphp, whose signed answer the portal checks.
    page.get_by_role('button', name='Kirjaudu ulos').click()
    page.wait_for_url('**/?uloskirjautunut=1')
    wait_for_page(page)
    assert _live_sessions(portal) == []

    # Second login: the IdP session ended too (the password is asked again); no registration this time.
    _to_idp_login(page)
    login_cookie = next(cookie for cookie in page.context.cookies() if cookie['name'] == LOGIN_COOKIE)
    _identify(page)
    page.wait_for_url('**/paasivu')
    wait_for_page(page)
    assert len(_live_sessions(portal)) == 1

    # IdP-initiated logout (the person signs out at another service): the portal ends the session and says so.
    page.goto(idp.idp_initiated_logout_url(f'{portal.base_url}/?idp-uloskirjautuminen=1'))
    page.wait_for_url('**/?idp-uloskirjautuminen=1')
    assert _live_sessions(portal) == []
    page.goto('/paasivu')
    page.wait_for_url('**/kirjaudu?next=/paasivu')

    # The second login's answer posted again, even with that login's cookie put back, signs no one in.
    assert len(answers) == 2
    page.context.add_cookies([{'name': login_cookie['name'], 'value': login_cookie['value'],
                               'domain': login_cookie['domain'], 'path': login_cookie['path']}])
    page.goto('/kirjaudu')
    wait_for_page(page)
    page.evaluate('''body => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/saml/acs';
        for (const [name, value] of new URLSearchParams(body)) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
    }''', answers[1])
    page.wait_for_url('**/kirjaudu/virhe?syy=replayed')
    wait_for_page(page)
    expect(page.get_by_text('Tämä tunnistautuminen on jo käytetty')).to_be_visible()
    assert _live_sessions(portal) == []


def test_an_answer_at_a_weaker_level_of_assurance_is_refused(page: Page, portal: PortalServer,
                                                             idp: SimpleSamlPhp) -> None:
    idp.set_level_of_assurance('http://ftn.ficora.fi/2017/loa2')
    try:
        _to_idp_login(page)
        _identify(page)
        page.wait_for_url('**/kirjaudu/virhe?syy=level-of-assurance')
        wait_for_page(page)
        expect(page.get_by_text('Tunnistautumistapasi ei riitä tähän palveluun')).to_be_visible()
        _shot(page, 'weaker-level-refused')
        assert _live_sessions(portal) == []
    finally:
        idp.set_level_of_assurance(LOA3)
