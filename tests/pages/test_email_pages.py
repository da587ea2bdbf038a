"""The staff outbox view with its retry button, the email detail view, and a citizen's development mailbox."""
from __future__ import annotations

import pyotp
from nicegui import ui
from nicegui.testing import User
from sqlmodel import col, select

from models import EmailStatus, Message, MessageKind, OutboxEmail, ServiceRequest, saved_id
from models.db import session_scope
from services import notifications
from services.demo_data import DEMO_HANDLER_TOTP_SECRET, DEMO_PASSWORD
from tests.support.rows import found

QUESTION = 'Hei, liitättekö vielä kuvan tiliotteesta, josta liikasuoritus näkyy?'


async def sign_in(user: User, username: str, *, next_path: str) -> None:
    await user.open(f'/kirjaudu/salasana?next={next_path}')
    user.find(marker='username').type(username)
    user.find(marker='password').type(DEMO_PASSWORD)
    user.find(marker='submit').click()


async def sign_in_as_handler(user: User) -> None:
    await sign_in(user, 'kaisa.kasittelija', next_path='/kasittely/sahkopostit')
    await user.should_see('Kirjautumisen vahvistus', retries=50)  # password hashing runs off the event loop
    user.find(marker='totp').type(pyotp.TOTP(DEMO_HANDLER_TOTP_SECRET).now())
    user.find(marker='submit').click()
    await user.should_see('SÄHKÖPOSTIT', retries=50)  # the handler navigation: signed in as staff


def add_question_and_failed_email() -> tuple[int, int]:
    """A question to Onni about request 978373 (pending) and an email the server refused (failed)."""
    with session_scope() as db:
        request = found(db.get(ServiceRequest, 978373))
        message = Message(request_id=978373, kind=MessageKind.QUESTION, body=QUESTION)
        db.add(message)
        notifications.centre_message(db, request, message)
        notifications.request_resolved(db, request, Message(request_id=978373, kind=MessageKind.RESOLUTION,
                                                            body='Ratkaistu.'))
        db.flush()
        question, failed = db.exec(select(OutboxEmail).order_by(col(OutboxEmail.id))).all()
        failed.status = EmailStatus.FAILED
        failed.attempts = 1
        failed.last_error = '550 5.1.1 <645516@generated.invalid>: Recipient address rejected: User unknown'
        return saved_id(question), saved_id(failed)


async def test_outbox_lists_emails_and_retry_puts_a_failed_one_back(user: User) -> None:
    question_id, failed_id = add_question_and_failed_email()
    await sign_in_as_handler(user)
    await user.open('/kasittely/sahkopostit')
    await user.should_see('Sähköpostit')
    await user.should_see(marker='dev-mailbox')
    await user.should_see('Lisäkysymys palvelupyyntöön 978373')
    await user.should_see('Palvelupyyntö 978373 on ratkaistu')
    await user.should_see('Recipient address rejected')
    await user.should_see('Epäonnistui (1)')
    await user.should_not_see(marker=f'retry-{question_id}')  # a fresh pending email needs no retry

    user.find(marker=f'retry-{failed_id}').click()
    await user.should_see(f'Sähköposti {failed_id} lähetetään uudelleen.')
    with session_scope() as db:
        row = found(db.get(OutboxEmail, failed_id))
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 0)
    await user.open('/kasittely/sahkopostit?tila=failed')
    await user.should_see('Ei sähköposteja.')
    await user.should_see('Odottaa (2)')


async def test_email_detail_shows_the_text_and_html_versions(user: User) -> None:
    question_id, failed_id = add_question_and_failed_email()
    await sign_in_as_handler(user)
    await user.open(f'/kasittely/sahkopostit/{question_id}')
    await user.should_see('Lisäkysymys palvelupyyntöön 978373')
    await user.should_see('645516@generated.invalid')
    await user.should_see('Tekstiversio')
    text = user.find(kind=ui.label, marker='email-text').elements.pop().text
    assert QUESTION in text and '/oma-asiointi/978373' in text
    frame = user.find(marker='email-html').elements.pop()
    assert frame.props['sandbox'] == '' and QUESTION in frame.props['srcdoc']
    await user.should_not_see(marker='retry')  # a fresh pending email needs no retry

    await user.open(f'/kasittely/sahkopostit/{failed_id}')
    await user.should_see('Recipient address rejected')
    user.find(marker='retry').click()
    await user.should_see(f'Sähköposti {failed_id} lähetetään uudelleen.')
    await user.should_not_see(marker='retry')  # now waiting, not failed: nothing to retry


async def test_retry_on_an_email_deleted_meanwhile_says_it_is_gone(user: User) -> None:
    """Retention deletes a request's emails: a detail page opened before that must not fail on the retry's redraw."""
    _question_id, failed_id = add_question_and_failed_email()
    await sign_in_as_handler(user)
    await user.open(f'/kasittely/sahkopostit/{failed_id}')
    await user.should_see('Recipient address rejected')
    with session_scope() as db:
        db.delete(found(db.get(OutboxEmail, failed_id)))
    user.find(marker='retry').click()
    await user.should_see(f'Sähköpostia {failed_id} ei voi enää lähettää uudelleen.')
    await user.should_see('Sähköpostia ei löytynyt')


async def test_citizen_sees_own_emails_but_not_the_outbox(user: User) -> None:
    add_question_and_failed_email()
    with session_scope() as db:  # someone else's email must not show
        from services.email.outbox import enqueue
        from services.email.templates import EmailContent, EmailKind

        enqueue(db, kind=EmailKind.REGISTRATION, recipient='joku.muu@example.org', language='fi',
                content=EmailContent('Toisen viesti', 'x', '<p>x</p>'))
    await sign_in(user, 'onni.korhonen', next_path='/omat-tiedot/sahkopostit')
    await user.should_see('Sähköpostini', retries=50)
    await user.should_see(content='Lisäkysymys palvelupyyntöön 978373', marker='my-email')
    await user.should_not_see('Toisen viesti')
    await user.open('/kasittely/sahkopostit')
    await user.should_not_see('Lisäkysymys palvelupyyntöön 978373')
