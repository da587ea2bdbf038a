"""Each kind of email in each language, delivered through a real SMTP server (aiosmtpd): the right recipient,
subject and bodies, with the request's number, title, the centre's text and the link, and never the identity
number. Also who gets what: no address → no email; "Minulle saa lähettää sähköpostia" governs the optional ones."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import select

from config import get_settings
from models import (
    EmailStatus,
    Message,
    MessageKind,
    OutboxEmail,
    RequestStatus,
    ServiceRequest,
    User,
    saved_id,
    utcnow,
)
from models.db import session_scope
from services import notifications
from services.email.delivery import DeliveryWorker, SmtpConfig
from tests.support.rows import found
from tests.support.smtp import ReceivedEmail, SmtpTestServer

IDENTITY_NUMBER = '150585-958J'
NUMBER = 978373
FORM_ADDRESS = 'onni.lomake@example.org'
QUESTION = 'Hei, liitättekö vielä kuvan tiliotteesta, josta liikasuoritus näkyy?'
RESOLUTION = 'Liikasuoritus 27,00 € palautetaan tilillenne FI48 2222 3333 4444 55 kahden viikon kuluessa.'
TITLES = {'fi': 'Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten',
          'sv': 'Anmälan av kontonummer för återbetalning av överbetalning',
          'en': 'Reporting an account number for the refund of an overpayment'}
# The subjects as the recipient reads them, written out here so that a missing translation shows.
SUBJECTS = {
    'request_sent': {'fi': 'Palvelupyyntö 978373 on vastaanotettu', 'sv': 'Servicebegäran 978373 har tagits emot',
                     'en': 'Service request 978373 has been received'},
    'message': {'fi': 'Uusi viesti palvelupyyntöön 978373', 'sv': 'Nytt meddelande om servicebegäran 978373',
                'en': 'New message about service request 978373'},
    'question': {'fi': 'Lisäkysymys palvelupyyntöön 978373', 'sv': 'Tilläggsfråga om servicebegäran 978373',
                 'en': 'Further question about service request 978373'},
    'info_request': {'fi': 'Palvelupyyntöön 978373 pyydetään lisätietoja',
                     'sv': 'Mer information begärs för servicebegäran 978373',
                     'en': 'More information requested for service request 978373'},
    'resolved': {'fi': 'Palvelupyyntö 978373 on ratkaistu', 'sv': 'Servicebegäran 978373 har avgjorts',
                 'en': 'Service request 978373 has been resolved'},
    'draft_expiring': {'fi': 'Luonnos 978373 poistetaan 31.1.2027', 'sv': 'Utkastet 978373 raderas 31.1.2027',
                       'en': 'Draft 978373 will be deleted on 31 Jan 2027'},
    'registration': {'fi': 'Tervetuloa MONETRA-asiakaspalveluportaaliin',
                     'sv': 'Välkommen till MONETRA kundtjänstportal',
                     'en': 'Welcome to the MONETRA customer service portal'},
}
QUOTED = {'message': 'Huomaattehan, että palautus maksetaan noin kahden viikon kuluessa täydennyksestä.',
          'question': QUESTION, 'info_request': 'Lisätkää tiliote, josta liikasuoritus näkyy.',
          'resolved': RESOLUTION}
MESSAGE_KINDS = {'message': MessageKind.MESSAGE, 'question': MessageKind.QUESTION,
                 'info_request': MessageKind.INFO_REQUEST}


@pytest.fixture(scope='module')
def smtp_server() -> Iterator[SmtpTestServer]:
    server = SmtpTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpTestServer) -> SmtpTestServer:
    smtp_server.received.clear()
    return smtp_server


def deliver(smtp: SmtpTestServer) -> None:
    config = SmtpConfig(host=smtp.host, port=smtp.port, security='none', username='', password='',
                        mail_from='asiakaspalvelu@monetra.example', sender_name='MONETRA', timeout=5)
    asyncio.run(DeliveryWorker(config, worker_id='test').deliver_due())


def add_user_and_request(lang: str, *, email: str = 'onni@example.org', email_allowed: bool = True,
                         form_email: str = FORM_ADDRESS, status: RequestStatus = RequestStatus.SENT) -> int:
    with session_scope() as db:
        user = User(username='onni', given_name='Onni Juhani', surname='Korhonen', email=email,
                    email_allowed=email_allowed, language=lang, identity_masked='150585-****',
                    identity_hash='x' * 64, registered_at=utcnow())
        db.add(user)
        db.flush()
        # The form's answers hold things no email may carry; the identity number stands in for them all.
        db.add(ServiceRequest(id=NUMBER, service_code='tilinumero-liikasuoritus', owner_id=saved_id(user),
                              status=status, sent_at=utcnow() if status == RequestStatus.SENT else None,
                              answers={'email': form_email, 'iban': 'FI4822223333444455',
                                       'identity_number': IDENTITY_NUMBER}))
        return saved_id(user)


def notify(kind: str) -> None:
    """Cause an email of `kind` the way the workflow does: in the same transaction as the event."""
    with session_scope() as db:
        request = found(db.get(ServiceRequest, NUMBER))
        user = found(db.get(User, request.owner_id))
        if kind == 'request_sent':
            notifications.request_sent(db, request)
        elif kind in MESSAGE_KINDS:
            message = Message(request_id=NUMBER, kind=MESSAGE_KINDS[kind], body=QUOTED[kind])
            db.add(message)
            notifications.centre_message(db, request, message)
        elif kind == 'resolved':
            message = Message(request_id=NUMBER, kind=MessageKind.RESOLUTION, body=RESOLUTION)
            db.add(message)
            notifications.request_resolved(db, request, message)
        elif kind == 'registration':
            notifications.registration_completed(db, user)
        elif kind == 'draft_expiring':
            notifications.draft_expiring(db, request, date(2027, 1, 31))


def only_email(smtp: SmtpTestServer) -> ReceivedEmail:
    assert len(smtp.received) == 1, [mail.subject for mail in smtp.received]
    return smtp.received[0]


@pytest.mark.db
@pytest.mark.parametrize('lang', ['fi', 'sv', 'en'])
@pytest.mark.parametrize('kind', ['request_sent', 'message', 'question', 'info_request', 'resolved',
                                  'draft_expiring'])
def test_request_email_in_recipients_language(database: str, smtp: SmtpTestServer, kind: str, lang: str) -> None:
    add_user_and_request(lang, status=RequestStatus.DRAFT if kind == 'draft_expiring' else RequestStatus.SENT)
    notify(kind)
    deliver(smtp)

    mail = only_email(smtp)
    assert mail.recipients == [FORM_ADDRESS]
    assert mail.message['To'] == FORM_ADDRESS
    assert mail.mail_from == 'asiakaspalvelu@monetra.example'
    assert mail.subject == SUBJECTS[kind][lang]
    assert mail.message['Content-Language'] == lang
    link = f'{get_settings().base_url}/oma-asiointi/{NUMBER}'
    for subtype in ('plain', 'html'):
        body = mail.body(subtype)
        assert str(NUMBER) in body
        assert TITLES[lang] in body
        assert link in body
        if kind in QUOTED:
            assert QUOTED[kind] in body
        assert IDENTITY_NUMBER not in body and '150585' not in body
        assert 'FI4822223333444455' not in body  # nothing from the form's answers
    assert f'lang="{lang}"' in mail.body('html')
    with session_scope() as db:
        row = db.exec(select(OutboxEmail)).one()
    assert (row.status, row.kind, row.language, row.request_id) == (EmailStatus.SENT, kind, lang, NUMBER)


@pytest.mark.db
@pytest.mark.parametrize('lang', ['fi', 'sv', 'en'])
def test_registration_email_in_recipients_language(database: str, smtp: SmtpTestServer, lang: str) -> None:
    add_user_and_request(lang)
    notify('registration')
    deliver(smtp)

    mail = only_email(smtp)
    assert mail.recipients == ['onni@example.org']
    assert mail.subject == SUBJECTS['registration'][lang]
    for subtype in ('plain', 'html'):
        body = mail.body(subtype)
        assert f'{get_settings().base_url}/oma-asiointi' in body
        assert 'Onni' in body
        assert '150585' not in body


@pytest.mark.db
def test_html_body_escapes_the_centres_text(database: str, smtp: SmtpTestServer) -> None:
    add_user_and_request('fi')
    with session_scope() as db:
        request = found(db.get(ServiceRequest, NUMBER))
        message = Message(request_id=NUMBER, kind=MessageKind.MESSAGE, body='<script>alert(1)</script> & muuta')
        db.add(message)
        notifications.centre_message(db, request, message)
    deliver(smtp)
    mail = only_email(smtp)
    assert '<script>' not in mail.body('html')
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; muuta' in mail.body('html')
    assert '<script>alert(1)</script> & muuta' in mail.body('plain')


def outbox_kinds() -> list[str]:
    with session_scope() as db:
        return sorted(db.exec(select(OutboxEmail.kind)).all())


@pytest.mark.db
def test_email_allowed_governs_only_what_is_beyond_own_requests(database: str) -> None:
    add_user_and_request('fi', email_allowed=False)
    for kind in ('request_sent', 'question', 'resolved', 'registration', 'draft_expiring'):
        notify(kind)
    assert outbox_kinds() == ['question', 'request_sent', 'resolved']


@pytest.mark.db
def test_user_address_is_used_when_the_form_has_none(database: str) -> None:
    add_user_and_request('fi', form_email='')
    notify('question')
    with session_scope() as db:
        assert db.exec(select(OutboxEmail.recipient)).one() == 'onni@example.org'


@pytest.mark.db
def test_no_address_no_email(database: str) -> None:
    add_user_and_request('fi', email='', form_email='')
    for kind in ('request_sent', 'question', 'resolved', 'registration', 'draft_expiring'):
        notify(kind)
    assert outbox_kinds() == []


@pytest.mark.db
def test_internal_notes_and_the_citizens_replies_send_nothing(database: str) -> None:
    add_user_and_request('fi')
    with session_scope() as db:
        request = found(db.get(ServiceRequest, NUMBER))
        for kind in (MessageKind.NOTE, MessageKind.REPLY):
            message = Message(request_id=NUMBER, kind=kind, body='sisäinen')
            db.add(message)
            notifications.centre_message(db, request, message)
    assert outbox_kinds() == []


@pytest.mark.db
def test_email_exists_only_if_the_event_is_committed(database: str) -> None:
    add_user_and_request('fi')
    with pytest.raises(RuntimeError), session_scope() as db:
        request = found(db.get(ServiceRequest, NUMBER))
        message = Message(request_id=NUMBER, kind=MessageKind.QUESTION, body=QUESTION)
        db.add(message)
        notifications.centre_message(db, request, message)
        raise RuntimeError('the handler action failed after the email was written')
    assert outbox_kinds() == []
    with session_scope() as db:
        assert db.exec(select(Message)).all() == []
