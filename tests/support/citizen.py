"""A citizen's requests against a running portal: complete drafts made through the services, then sent through the
page's own socket as a browser would (bench.support.Tab), so the send goes through the running server."""
from __future__ import annotations

import httpx
from sqlmodel import select

from tests.unit.test_workflow import CONTACT, PDF, RECIPIENT


def user_id(username: str) -> int:
    from models import User
    from models.db import session_scope

    with session_scope() as db:
        found = db.exec(select(User.id).where(User.username == username)).one()
    assert found is not None  # a saved row
    return found


def complete_draft(owner: int, *, with_attachment: bool = False) -> int:
    """A refund request ready to send (at its preview), with a PDF of its own attached if asked."""
    from services import workflow
    from services.forms import REFUND_FORM

    number = workflow.create_draft(owner, REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(owner, number, RECIPIENT, step=len(REFUND_FORM.steps))
    if with_attachment:
        workflow.add_attachment(owner, number, 'attachments', f'kuitti-{number}.pdf', attachment_for(number))
    return number


def attachment_for(number: int) -> bytes:
    """A small valid PDF that differs per request, so a restored file can be told from another."""
    return PDF.replace(b'%%EOF', f'% request {number}\n%%EOF'.encode())


class SignedInCitizen:
    """A citizen signed in with their password over HTTP, sending drafts through the page's socket one by one."""

    def __init__(self, base_url: str, username: str = 'onni.korhonen') -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60)
        self.username = username

    async def __aenter__(self) -> SignedInCitizen:
        from bench.support import sign_in

        await sign_in(self.http, self.username)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.http.aclose()

    async def send(self, number: int) -> None:
        """Press Lähetä on the draft's preview and wait for the confirmation page."""
        from bench.support import Tab

        tab = await (await Tab(self.http, f'/palvelupyynto/{number}/muokkaa').load()).connect()
        try:
            await tab.click(tab.find(label='Lähetä'))
            target = await tab.wait_for_navigation()
        finally:
            await tab.close()
        assert target == f'/palvelupyynto/{number}/lahetetty', target

    async def page_texts(self, path: str) -> str:
        """Everything the page at `path` draws, as one JSON text (to look for names and numbers in it)."""
        import json

        from bench.support import Tab

        tab = await Tab(self.http, path).load()
        return json.dumps(tab.elements, ensure_ascii=False)


async def send_through_the_page(base_url: str, numbers: list[int], username: str = 'onni.korhonen') -> None:
    async with SignedInCitizen(base_url, username) as citizen:
        for number in numbers:
            await citizen.send(number)
