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
        return db.exec(select(User.id).where(User.username == username)).one()


def complete_draft(owner: int, attachment: bytes | None = None) -> int:
    """A refund request ready to send (at its preview), with a PDF attachment if given."""
    from services import workflow
    from services.forms import REFUND_FORM

    number = workflow.create_draft(owner, REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(owner, number, RECIPIENT, step=len(REFUND_FORM.steps))
    if attachment is not None:
        workflow.add_attachment(owner, number, 'attachments', f'kuitti-{number}.pdf', attachment)
    return number


def attachment_for(number: int) -> bytes:
    """A small valid PDF that differs per request, so a restored file can be told from another."""
    return PDF.replace(b'%%EOF', f'% request {number}\n%%EOF'.encode())


async def send_through_the_page(base_url: str, numbers: list[int], username: str = 'onni.korhonen') -> list[int]:
    """Sign in with the password and press Lähetä on each draft's preview, one after another; returns the sent."""
    from bench.support import Tab, sign_in

    sent = []
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        await sign_in(http, username)
        for number in numbers:
            tab = await (await Tab(http, f'/palvelupyynto/{number}/muokkaa').load()).connect()
            try:
                await tab.click(tab.find(label='Lähetä'))
                target = await tab.wait_for_navigation()
            finally:
                await tab.close()
            assert target == f'/palvelupyynto/{number}/lahetetty', target
            sent.append(number)
    return sent
