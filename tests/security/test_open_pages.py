"""Attack: a page left open after its session ended (sign-out in another tab) keeps saving and uploading.

The open page is driven over NiceGUI's socket like a browser tab that refuses to leave: its events and uploads are
sent by hand after the sign-out. Before the sign-out the same events and the same upload do store (so the test proves
the path works); after it, nothing is stored, the page is told to go to the sign-in page, and each forged event or
upload is answered with that again.
"""
from __future__ import annotations

import httpx
import pytest

from bench.support import Tab, sign_in
from tests.support.databases import attachment_count, drafts_of
from tests.support.server import PortalServer
from tests.support.tabs import sent_to_sign_in

pytestmark = pytest.mark.db
DRAFT = 5474  # Onni's demo draft of the refund form, left at its second step: the uploader's (only the step shown
DRAFT_PATH = f'/palvelupyynto/{DRAFT}/muokkaa'  # is drawn when a form opens)


def _uploader_url(tab: Tab) -> str:
    return next(element['props']['url'] for element in tab.elements.values()
                if '/upload/' in str(element.get('props', {}).get('url', '')))


async def _upload(http: httpx.AsyncClient, url: str, name: str) -> int:
    response = await http.post(url, files={'file': (name, f'{name}: kuitti\n'.encode(), 'text/plain')})
    return response.status_code


async def test_a_form_left_open_after_sign_out_elsewhere_saves_and_uploads_nothing(portal: PortalServer,
                                                                                   attacker: httpx.AsyncClient) -> None:
    await sign_in(attacker, 'onni.korhonen')
    tab = await (await Tab(attacker, DRAFT_PATH).load()).connect()
    try:
        invoice, save = tab.find(label='Laskun numero'), tab.find(label='Tallenna luonnos ja keskeytä')
        upload_url = _uploader_url(tab)
        draft, files = DRAFT, attachment_count(portal.database_url, DRAFT)
        # While signed in, the page stores: an upload is added, "Tallenna luonnos" saves the typed invoice number.
        assert await _upload(attacker, upload_url, 'ennen.txt') == 200
        await tab.set_value(invoice, 'L-2026-17')
        await tab.click(save)
        assert await tab.wait_for_navigation() == '/oma-asiointi'
        assert drafts_of(portal.database_url, 'onni.korhonen')[draft]['invoice_number'] == 'L-2026-17'
        assert attachment_count(portal.database_url, draft) == files + 1

        # Tab B: the person signs out.
        signed_out = await attacker.get('/kirjaudu/ulos')
        assert signed_out.status_code == 200 and '/kirjaudu' not in signed_out.url.path

        # The open page is sent to the sign-in page at once ...
        await sent_to_sign_in(tab)
        # ... and what it still sends stores nothing: typing and saving are dropped and answered with sign-in again
        # (one answer each, in order: after the second, the click has been dealt with),
        await tab.set_value(invoice, 'Kirjoitettu uloskirjautumisen jälkeen')
        await tab.click(save)
        await sent_to_sign_in(tab, times=3)
        assert drafts_of(portal.database_url, 'onni.korhonen')[draft]['invoice_number'] == 'L-2026-17'
        # and an upload is refused.
        assert await _upload(attacker, upload_url, 'jalkeen.txt') == 403
        assert attachment_count(portal.database_url, draft) == files + 1
    finally:
        await tab.close()
