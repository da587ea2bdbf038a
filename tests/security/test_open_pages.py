"""Attack: a page left open after its session ended (sign-out in another tab) keeps saving and uploading.

The open page is driven over NiceGUI's socket like a browser tab that refuses to leave: its events and uploads are
sent by hand after the sign-out. Before the sign-out the same events and the same upload do store (so the test proves
the path works); after it, nothing is stored, the page is told to go to the sign-in page, and each forged event or
upload is answered with that again.
"""
from __future__ import annotations

import httpx
import pytest
from sqlmodel import Session, col, select

from bench.support import Tab, sign_in
from models import Attachment, RequestStatus, ServiceRequest, User
from tests.support.databases import engine_of
from tests.support.server import PortalServer
from tests.support.tabs import sent_to_sign_in

pytestmark = pytest.mark.db
FORM_PATH = '/palvelut/tilinumero-liikasuoritus'


def _drafts_of(portal: PortalServer, username: str) -> dict[int, dict]:
    with Session(engine_of(portal.database_url)) as db:
        owner = db.exec(select(User).where(User.username == username)).one()
        rows = db.exec(select(ServiceRequest).where(ServiceRequest.owner_id == owner.id,
                                                    ServiceRequest.status == RequestStatus.DRAFT)).all()
        return {row.id: dict(row.answers) for row in rows if row.id is not None}


def _attachment_count(portal: PortalServer, request_id: int) -> int:
    with Session(engine_of(portal.database_url)) as db:
        return len(db.exec(select(Attachment).where(col(Attachment.request_id) == request_id)).all())


def _uploader_url(tab: Tab) -> str:
    return next(element['props']['url'] for element in tab.elements.values()
                if '/upload/' in str(element.get('props', {}).get('url', '')))


async def _upload(http: httpx.AsyncClient, url: str, name: str) -> int:
    response = await http.post(url, files={'file': (name, f'{name}: kuitti\n'.encode(), 'text/plain')})
    return response.status_code


async def test_a_form_left_open_after_sign_out_elsewhere_saves_and_uploads_nothing(portal: PortalServer,
                                                                                   attacker: httpx.AsyncClient) -> None:
    await sign_in(attacker, 'onni.korhonen')
    tab = await (await Tab(attacker, FORM_PATH).load()).connect()
    try:
        unit, save = tab.find(label='Yksikkö'), tab.find(label='Tallenna luonnos ja keskeytä')
        upload_url = _uploader_url(tab)
        before = _drafts_of(portal, 'onni.korhonen')
        # While signed in, the page stores: an upload creates the draft, "Tallenna luonnos" saves the typed unit.
        assert await _upload(attacker, upload_url, 'ennen.txt') == 200
        [draft] = set(_drafts_of(portal, 'onni.korhonen')) - set(before)
        await tab.set_value(unit, 'Palkanlaskenta')
        await tab.click(save)
        assert await tab.wait_for_navigation() == '/oma-asiointi'
        assert _drafts_of(portal, 'onni.korhonen')[draft]['unit'] == 'Palkanlaskenta'
        assert _attachment_count(portal, draft) == 1

        # Tab B: the person signs out.
        signed_out = await attacker.get('/kirjaudu/ulos')
        assert signed_out.status_code == 200 and '/kirjaudu' not in signed_out.url.path

        # The open page is sent to the sign-in page at once ...
        await sent_to_sign_in(tab)
        # ... and what it still sends stores nothing: typing and saving are dropped and answered with sign-in again
        # (one answer each, in order: after the second, the click has been dealt with),
        await tab.set_value(unit, 'Kirjoitettu uloskirjautumisen jälkeen')
        await tab.click(save)
        await sent_to_sign_in(tab, times=3)
        assert _drafts_of(portal, 'onni.korhonen')[draft]['unit'] == 'Palkanlaskenta'
        # and an upload is refused.
        assert await _upload(attacker, upload_url, 'jalkeen.txt') == 403
        assert _attachment_count(portal, draft) == 1
    finally:
        await tab.close()
