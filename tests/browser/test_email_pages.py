"""The outbox in a real browser: a handler reads the emails, retries a failed one, opens one; a citizen reads their
own emails in the development mailbox.
Screenshots go to test-artifacts/shots/email/; every page passes axe (WCAG 2.1 AA)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from models import EmailStatus, Message, MessageKind, OutboxEmail, ServiceRequest, saved_id
from models.db import get_engine
from services import notifications
from services.demo_data import DEMO_HANDLER_TOTP_SECRET, DEMO_PASSWORD
from tests.browser.conftest import sign_in_with_password
from tests.support.browser import SHOTS_DIR, axe_violations, wait_for_page
from tests.support.rows import found
from tests.support.server import PortalServer
from tests.support.staff import unused_totp_code

SHOTS = SHOTS_DIR / 'email'
QUESTION = 'Hei, liitättekö vielä kuvan tiliotteesta, josta liikasuoritus näkyy?'


@pytest.fixture(scope='module')
def emails(portal: PortalServer) -> dict[str, int]:
    """A question (pending) and a resolution the server refused (failed) in the running portal's database."""
    with Session(get_engine(portal.database_url)) as db:
        request = found(db.get(ServiceRequest, 978373))
        question = Message(request_id=978373, kind=MessageKind.QUESTION, body=QUESTION)
        db.add(question)
        notifications.centre_message(db, request, question)
        notifications.request_resolved(db, request, Message(request_id=978373, kind=MessageKind.RESOLUTION,
                                                            body='Palautus maksetaan tilillenne.'))
        db.flush()
        pending, failed = db.exec(select(OutboxEmail).order_by(col(OutboxEmail.id))).all()
        failed.status = EmailStatus.FAILED
        failed.attempts = 1
        failed.last_error = '550 5.1.1 <645516@generated.invalid>: Recipient address rejected: User unknown'
        db.commit()
        return {'pending': saved_id(pending), 'failed': saved_id(failed)}


def sign_in_as_handler(page: Page) -> None:
    page.goto('/kirjaudu/salasana?next=/kasittely/sahkopostit')
    wait_for_page(page)
    page.get_by_label('Käyttäjätunnus').fill('kaisa.kasittelija')
    page.get_by_label('Salasana', exact=True).fill(DEMO_PASSWORD)
    page.get_by_role('button', name='Kirjaudu').click()
    page.get_by_label('Vahvistuskoodi').fill(unused_totp_code(page.url.split('/kirjaudu')[0], 'kaisa.kasittelija',
                                                              DEMO_HANDLER_TOTP_SECRET))
    page.get_by_role('button', name='Vahvista').click()
    page.wait_for_url('**/kasittely/sahkopostit')
    wait_for_page(page)


def test_handler_reads_the_outbox_and_retries_a_failed_email(page: Page, emails: dict[str, int]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_as_handler(page)
    expect(page.get_by_role('heading', name='Sähköpostit', level=1)).to_be_visible()
    expect(page.get_by_text('SMTP-palvelinta ei ole määritetty')).to_be_visible()
    failed_row = page.locator('tr', has_text='Palvelupyyntö 978373 on ratkaistu')
    expect(failed_row).to_contain_text('Epäonnistui')
    expect(failed_row).to_contain_text('Recipient address rejected')
    page.screenshot(path=str(SHOTS / 'outbox.png'), full_page=True)
    assert axe_violations(page) == []

    failed_row.get_by_role('button', name='Yritä uudelleen').click()
    expect(page.locator('tr', has_text='Palvelupyyntö 978373 on ratkaistu')).to_contain_text('Odottaa')
    expect(page.get_by_role('link', name='Epäonnistui (0)')).to_be_visible()
    done = f'Sähköposti {emails["failed"]} lähetetään uudelleen.'
    expect(page.get_by_role('status').filter(has_text=done)).to_be_visible()  # in the page, read out
    page.screenshot(path=str(SHOTS / 'outbox-after-retry.png'), full_page=True)
    page.locator('.q-loading-bar[aria-hidden="true"]').wait_for(state='attached')  # idle again: it has no name
    assert axe_violations(page) == []

    page.get_by_role('link', name='Lisäkysymys palvelupyyntöön 978373').click()
    page.wait_for_url(f'**/kasittely/sahkopostit/{emails["pending"]}')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Tekstiversio')).to_be_visible()
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    html_version = page.frame_locator('iframe[title^="Sähköpostin HTML-versio"]')
    expect(html_version.get_by_role('heading', name='Asiakaspalvelu esitti lisäkysymyksen')).to_be_visible()
    page.screenshot(path=str(SHOTS / 'outbox-email.png'), full_page=True)
    assert axe_violations(page) == []


def test_citizen_reads_own_emails_in_the_development_mailbox(page: Page, emails: dict[str, int]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto('/omat-tiedot/sahkopostit')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Sähköpostini', level=1)).to_be_visible()
    page.get_by_role('button', name=re.compile('Lisäkysymys palvelupyyntöön 978373')).click()
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    page.screenshot(path=str(SHOTS / 'my-emails.png'), full_page=True)
    assert axe_violations(page) == []
