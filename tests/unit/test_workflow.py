"""The request workflow without a browser: drafts, saving, attachments, sending once, and ownership."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from models import (
    FIRST_STAGE,
    AuditEvent,
    Organisation,
    OutboxEmail,
    Region,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    saved_id,
)
from models.db import session_scope
from services import workflow
from services.attachments import AttachmentRefused
from services.forms import REFUND_FORM, TAX_CARD_FORM
from tests.support.rows import found

pytestmark = pytest.mark.db

CONTACT = {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki',
           'unit': '', 'email': '645516@generated.invalid', 'phone': '0501234567', 'on_behalf': False}
RECIPIENT = {'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
             'iban': 'FI48 2222 3333 4444 55', 'customer_number': '12345', 'refund_amount': '27,00',
             'overpayment_date': '27.1.2023', 'billing_organisation': 'Jyväskylän kaupunki'}
PDF = b'%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'


@pytest.fixture
def people(database: str) -> dict[str, int]:
    with session_scope() as db:
        region = Region(name='Keski-Suomi')
        db.add(region)
        db.flush()
        db.add(Organisation(name='Jyväskylän kaupunki', business_id='0208201-1', region_id=saved_id(region)))
        onni = User(given_name='Onni Juhani', surname='Korhonen', email='645516@generated.invalid',
                    phone='+358501234567', username='onni')
        other = User(given_name='Olli', surname='Muu', email='olli@example.fi', username='olli')
        db.add(onni)
        db.add(other)
        db.flush()
        return {'onni': saved_id(onni), 'other': saved_id(other)}


def _complete_draft(owner: int) -> int:
    number = workflow.create_draft(owner, REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(owner, number, RECIPIENT, step=2)
    return number


def test_prefill_comes_from_the_signed_in_user(people: dict[str, int]) -> None:
    with session_scope() as db:
        onni = found(db.get(User, people['onni']))
    answers = workflow.prefill_answers(REFUND_FORM, onni, 'Jyväskylän kaupunki')
    assert answers['first_name'] == 'Onni Juhani'
    assert answers['email'] == '645516@generated.invalid'
    assert answers['organisation'] == 'Jyväskylän kaupunki'
    assert answers['recipient_last_name'] == 'Korhonen'


def test_draft_keeps_answers_and_step_even_when_not_yet_valid(people: dict[str, int]) -> None:
    number = workflow.create_draft(people['onni'], REFUND_FORM.code, CONTACT | {'email': 'not-yet'}, step=0)
    workflow.save_progress(people['onni'], number, {'iban': 'FI11 2222', 'on_behalf': True,
                                                    'represented_name': 'Aino Korhonen',
                                                    'represented_relation': 'huoltaja'}, step=1)
    draft = workflow.open_draft(people['onni'], number)
    assert draft.current_step == 1
    assert draft.answers['email'] == 'not-yet'
    assert draft.answers['iban'] == 'FI11 2222'
    with session_scope() as db:
        request = found(db.get(ServiceRequest, number))
        assert request.on_behalf_of == 'Aino Korhonen (huoltaja)'
        assert request.organisation_id is not None
        assert request.status == RequestStatus.DRAFT


def test_someone_else_cannot_open_change_or_send_a_draft(people: dict[str, int]) -> None:
    number = _complete_draft(people['onni'])
    other = people['other']
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.open_draft(other, number)
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.save_progress(other, number, {'iban': 'FI4822223333444455'}, step=1)
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.add_attachment(other, number, 'attachments', 'a.pdf', PDF)
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.send_request(other, number)
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.open_draft(people['onni'], 999999)
    assert workflow.open_draft(people['onni'], number).answers['customer_number'] == '12345'


def test_send_validates_every_step(people: dict[str, int]) -> None:
    number = workflow.create_draft(people['onni'], REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(people['onni'], number, RECIPIENT | {'iban': 'FI11 2222 3333 4444 55'}, step=2)
    with pytest.raises(workflow.RequestIncomplete) as refused:
        workflow.send_request(people['onni'], number)
    assert set(refused.value.steps) == {1}
    assert set(refused.value.steps[1].errors) == {'iban'}
    assert workflow.open_draft(people['onni'], number).answers['iban'] == 'FI11 2222 3333 4444 55'


def test_send_once_even_when_sent_twice_at_the_same_time(people: dict[str, int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    number = _complete_draft(people['onni'])
    # Force the race: both sends have read the request as a draft (they count its attachments next) before either
    # writes, so only the conditional UPDATE can keep the second one from sending again.
    both_read_the_draft = threading.Barrier(2, timeout=30)
    count_attachments = workflow.attachment_counts

    def counted_together(db: Session, request_number: int) -> dict[str, int]:
        both_read_the_draft.wait()
        return count_attachments(db, request_number)

    monkeypatch.setattr(workflow, 'attachment_counts', counted_together)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: workflow.send_request(people['onni'], number), range(2)))
    assert sorted(result.sent_now for result in results) == [False, True]
    monkeypatch.setattr(workflow, 'attachment_counts', count_attachments)  # a third send, alone
    assert workflow.send_request(people['onni'], number).sent_now is False
    with session_scope() as db:
        request = found(db.get(ServiceRequest, number))
        assert request.status == RequestStatus.SENT
        assert request.stage == FIRST_STAGE
        assert request.sent_at is not None
        assert request.answers['iban'] == 'FI4822223333444455'  # normalised on sending
        assert request.answers['phone'] == '+358501234567'
        stages = db.exec(select(StageChange).where(StageChange.request_id == number)).all()
        assert [stage.stage for stage in stages] == [FIRST_STAGE]
        actions = db.exec(select(AuditEvent.action).where(AuditEvent.request_id == number)).all()
        assert actions.count('request_sent') == 1
        receipts = db.exec(select(OutboxEmail).where(OutboxEmail.request_id == number)).all()
        assert [(mail.recipient, mail.kind) for mail in receipts] == [('645516@generated.invalid', 'request_sent')]
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.save_progress(people['onni'], number, {'iban': 'FI2112345600000785'}, step=1)


def test_a_request_reopened_for_completion_can_be_edited_and_sent_again(people: dict[str, int]) -> None:
    number = _complete_draft(people['onni'])
    workflow.send_request(people['onni'], number)
    with session_scope() as db:
        request = found(db.get(ServiceRequest, number))
        request.status = RequestStatus.DRAFT
        request.completion_requested = True
        request.stage = 'Valmistelu'
        db.add(request)
    draft = workflow.open_draft(people['onni'], number)
    assert draft.completion_requested
    workflow.save_progress(people['onni'], number, {'invoice_number': '778'}, step=2)
    assert workflow.send_request(people['onni'], number).sent_now
    with session_scope() as db:
        request = found(db.get(ServiceRequest, number))
        assert (request.status, request.completion_requested, request.citizen_replied) == (RequestStatus.SENT,
                                                                                            False, True)
        assert request.stage == 'Valmistelu'  # the handler's stage stands
        assert request.answers['invoice_number'] == '778'


def test_attachments_are_checked_stored_and_required(people: dict[str, int]) -> None:
    onni = people['onni']
    answers = CONTACT | {'employer': 'Jyväskylän kaupunki', 'tax_year': '2026', 'card_type': 'wage'}
    number = workflow.create_draft(onni, TAX_CARD_FORM.code, answers, step=2)
    with pytest.raises(workflow.RequestIncomplete) as refused:
        workflow.send_request(onni, number)
    assert set(refused.value.steps[1].errors) == {'tax_card'}
    with pytest.raises(AttachmentRefused, match='sisältö ei vastaa'):
        workflow.add_attachment(onni, number, 'tax_card', 'verokortti.pdf', b'\x89PNG\r\n\x1a\n' + b'0' * 100)
    stored = workflow.add_attachment(onni, number, 'tax_card', 'verokortti.pdf', PDF)
    assert stored.content_type == 'application/pdf'
    assert [a.filename for a in workflow.open_draft(onni, number).attachments['tax_card']] == ['verokortti.pdf']
    assert workflow.send_request(onni, number).sent_now
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.remove_attachment(onni, number, saved_id(stored))  # a sent request's files stay as sent


def test_removing_an_attachment_from_a_draft(people: dict[str, int]) -> None:
    number = _complete_draft(people['onni'])
    stored = workflow.add_attachment(people['onni'], number, 'attachments', 'tiliote.pdf', PDF)
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.remove_attachment(people['other'], number, saved_id(stored))
    workflow.remove_attachment(people['onni'], number, saved_id(stored))
    assert workflow.open_draft(people['onni'], number).attachments == {}


def test_the_receipt_goes_to_the_owners_registered_email_on_request_only(people: dict[str, int]) -> None:
    from services.receipt import email_receipt

    number = _complete_draft(people['onni'])
    workflow.send_request(people['onni'], number)
    with pytest.raises(workflow.RequestNotAvailable):
        email_receipt(people['other'], number)  # someone else's request: "not found", nothing sent
    assert email_receipt(people['onni'], number) == '645516@generated.invalid'
    with session_scope() as db:
        copies = db.exec(select(OutboxEmail).where(OutboxEmail.kind == 'receipt')).all()
    assert len(copies) == 1 and copies[0].recipient == '645516@generated.invalid'
    assert copies[0].subject == f'Kuittaus palvelupyynnöstä {number}'
    assert 'Tilinumero: FI48 2222 3333 4444 55' in copies[0].body_text
