"""Attack: a sign-in link of the portal whose `next` leads off the site after sign-in (phishing that starts on the real
portal). Every way `next` is used is tried with every trick: the password sign-in and its hand-off route, the
Suomi.fi sign-in (the pending request's return address), and the sign-in page of someone already signed in.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from auth.redirects import DEFAULT_AFTER_SIGN_IN, safe_local_path
from bench.support import Tab, sign_in
from models import SamlPendingRequest
from services.demo_data import DEMO_PASSWORD
from tests.support.databases import engine_of
from tests.support.server import PortalServer

# As an attacker writes them into the link's query string (so `%09` reaches the server as a tab, `%2509` as `%09`).
EVIL_NEXT_IN_LINK = [
    '//evil.invalid/x', '///evil.invalid/x', '/\\evil.invalid/x', '/%5Cevil.invalid/x', '/%5C%5Cevil.invalid',
    '/%09/evil.invalid/x', '/%0A/evil.invalid/x', '/%0D%0A/evil.invalid', '%09//evil.invalid', '/%2509/evil.invalid/x',
    '/%2F%2Fevil.invalid', '/%252F%252Fevil.invalid', 'https://evil.invalid/x', 'https:evil.invalid',
    '//evil.invalid%2F@portal', 'javascript:alert(document.cookie)', '/.//evil.invalid', '/a/..//evil.invalid',
    '/%E2%80%AE/evil.invalid', '/%E3%80%80/evil.invalid', '%20//evil.invalid', '/\\/evil.invalid',
]
LOCAL_NEXT = ['/paasivu', '/oma-asiointi', '/oma-asiointi/978373', '/palvelut/tilinumero-liikasuoritus']


def _leaves_the_site(location: str, base: str = 'https://portal.example') -> bool:
    """Whether a redirect target would take a browser elsewhere (backslashes read as slashes, tabs dropped, as
    browsers do)."""
    cleaned = location.replace('\\', '/').replace('\t', '').replace('\n', '').replace('\r', '').strip()
    return urlsplit(urljoin(base + '/', cleaned)).netloc != urlsplit(base).netloc


@pytest.mark.parametrize('link_next', EVIL_NEXT_IN_LINK)
def test_every_trick_falls_back_to_the_front_page(link_next: str) -> None:
    as_received = unquote(link_next)  # what the route's `next` parameter holds
    assert safe_local_path(as_received) == DEFAULT_AFTER_SIGN_IN


@pytest.mark.parametrize('path', LOCAL_NEXT)
def test_paths_of_the_site_are_kept(path: str) -> None:
    assert safe_local_path(path) == path


# Pieces of the tricks above, shuffled: many more combinations than a list can hold.
PIECES = [*'/\\%.:@?#&=aZ09 \t\n\r\x00\u202e\u3000\uff0f\u2215', '%2F', '%5C', '%09', '%25', '%2e', 'http', '//',
          'evil.invalid']


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map(''.join) | st.text(max_size=30))
def test_whatever_is_given_the_answer_stays_on_the_site(candidate: str) -> None:
    answer = safe_local_path(candidate)
    every_layer = [answer]
    while (decoded := unquote(every_layer[-1])) != every_layer[-1]:
        every_layer.append(decoded)
    for layer in every_layer:
        assert layer.startswith('/') and not layer.startswith('//') and '\\' not in layer
        assert not any(unicodedata.category(char)[0] in 'CZ' for char in layer)
        assert not _leaves_the_site(layer)


async def _password_sign_in_target(http: httpx.AsyncClient, link_next: str) -> str:
    """The victim follows the link to the password page and signs in; where the page sends the browser next."""
    tab = await (await Tab(http, f'/kirjaudu/salasana?next={link_next}').load()).connect()
    try:
        await tab.set_value(tab.find(label='Käyttäjätunnus'), 'onni.korhonen')
        await tab.set_value(tab.find(label='Salasana'), DEMO_PASSWORD)
        await tab.click(tab.find(label='Kirjaudu'))
        return await tab.wait_for_navigation()
    finally:
        await tab.close()


async def _redirect_chain(http: httpx.AsyncClient, target: str) -> list[str]:
    """Follow redirects by hand, collecting every Location, until a page answers."""
    locations = [target]
    for _ in range(10):
        response = await http.get(locations[-1], follow_redirects=False)
        if response.status_code not in (301, 302, 303, 307, 308):
            assert response.status_code == 200
            return locations
        locations.append(response.headers['location'])
        assert not _leaves_the_site(locations[-1]), locations
    raise AssertionError(f'too many redirects: {locations}')


@pytest.mark.db
@pytest.mark.parametrize('link_next', EVIL_NEXT_IN_LINK)
async def test_password_sign_in_with_an_evil_next_lands_on_the_portal(portal: PortalServer, link_next: str) -> None:
    async with httpx.AsyncClient(base_url=portal.base_url, timeout=60) as victim:
        target = await _password_sign_in_target(victim, link_next)
        assert parse_qs(urlsplit(target).query)['next'] == [DEFAULT_AFTER_SIGN_IN]
        # The hand-off route checks `next` itself too: given the evil one as it stands in the link, it stays here.
        crafted = target.split('&next=')[0] + f'&next={link_next}'
        assert await _redirect_chain(victim, crafted) == [crafted, DEFAULT_AFTER_SIGN_IN]


@pytest.mark.db
async def test_a_local_next_is_still_honoured(portal: PortalServer, attacker: httpx.AsyncClient) -> None:
    target = await _password_sign_in_target(attacker, quote('/oma-asiointi/978373'))
    assert (await _redirect_chain(attacker, target))[-1] == '/oma-asiointi/978373'


@pytest.mark.db
async def test_suomifi_sign_in_with_an_evil_next_returns_to_the_portal(portal: PortalServer,
                                                                       attacker: httpx.AsyncClient) -> None:
    relay_states = []
    for link_next in EVIL_NEXT_IN_LINK:
        response = await attacker.get(f'/saml/login?next={link_next}', follow_redirects=False)
        assert response.status_code == 303
        relay_states.append(parse_qs(urlsplit(response.headers['location']).query)['RelayState'][0])
    with Session(engine_of(portal.database_url)) as db:
        pending = db.exec(select(SamlPendingRequest).where(col(SamlPendingRequest.relay_state).in_(relay_states))).all()
    assert len(pending) == len(EVIL_NEXT_IN_LINK)
    assert {row.return_to for row in pending} == {DEFAULT_AFTER_SIGN_IN}


@pytest.mark.db
async def test_the_sign_in_page_of_someone_signed_in_sends_nowhere_else(portal: PortalServer,
                                                                        attacker: httpx.AsyncClient) -> None:
    await sign_in(attacker, 'onni.korhonen')
    for link_next in EVIL_NEXT_IN_LINK:
        tab = await (await Tab(attacker, f'/kirjaudu?next={link_next}').load()).connect()
        try:
            assert await tab.wait_for_navigation() == DEFAULT_AFTER_SIGN_IN, link_next
        finally:
            await tab.close()
