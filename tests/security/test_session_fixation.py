"""Attack: session fixation against the password sign-in's hand-off. The password is checked over the page's socket,
which cannot set a cookie, so the page hands over to `/kirjaudu/jatka` with a one-time ticket that waits in the
browser's server-side storage. An attacker who planted the victim's cookie shares that storage: he must not be able
to redeem the ticket, spoil it, or reuse the victim's hand-off address afterwards.
(The whole sign-in with a planted cookie, by password and by Suomi.fi, is in browser/test_session_fixation.py.)
"""
from __future__ import annotations

import httpx
import pytest

from bench.support import Tab
from services.demo_data import DEMO_PASSWORD
from tests.support.server import PortalServer

pytestmark = pytest.mark.db


async def _signed_in(client: httpx.AsyncClient) -> bool:
    response = await client.get('/oma-asiointi', follow_redirects=False)
    return response.status_code == 200


async def test_an_attacker_sharing_the_cookie_cannot_take_or_spoil_the_sign_in(portal: PortalServer) -> None:
    async with httpx.AsyncClient(base_url=portal.base_url, timeout=60) as attacker, \
            httpx.AsyncClient(base_url=portal.base_url, timeout=60) as victim:
        await attacker.get('/')
        planted = attacker.cookies['session']
        victim.cookies.set('session', planted, domain=httpx.URL(portal.base_url).host)

        tab = await (await Tab(victim, '/kirjaudu/salasana').load()).connect()
        try:
            await tab.set_value(tab.find(label='Käyttäjätunnus'), 'onni.korhonen')
            await tab.set_value(tab.find(label='Salasana'), DEMO_PASSWORD)
            await tab.click(tab.find(label='Kirjaudu'))
            hand_off = await tab.wait_for_navigation()  # sent over the victim's socket only
        finally:
            await tab.close()

        # The attacker, with the same cookie, tries the hand-off without the ticket's key, or with a wrong one.
        for guess in ('', 'x', 'A' * 43, 'ä'):
            refused = await attacker.get(f'/kirjaudu/jatka?lippu={guess}&next=/paasivu', follow_redirects=False)
            assert refused.status_code == 303 and refused.headers['location'] == '/kirjaudu/salasana'
        assert not await _signed_in(attacker)

        # The victim's own hand-off still works (nothing was spoilt) and gives her a new cookie.
        landed = await victim.get(hand_off, follow_redirects=True)
        assert landed.status_code == 200 and landed.url.path == '/paasivu'
        assert victim.cookies['session'] != planted
        assert await _signed_in(victim)

        # The planted cookie is not signed in, not even by replaying the victim's hand-off address.
        assert not await _signed_in(attacker)
        replayed = await attacker.get(hand_off, follow_redirects=False)
        assert replayed.headers['location'] == '/kirjaudu/salasana'
        assert not await _signed_in(attacker)
