"""The citizen's own requests in the services: the seed's tabs, detail, thread without internal notes, read marks,
replies with attachments, deleting a draft with its files."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import (
    Attachment,
    AttachmentBlob,
    AuditEvent,
    Message,
    MessageKind,
    RequestStatus,
    ServiceRequest,
    User,
    saved_id,
)
from models.db import session_scope
from services import messages, requests
from services.attachments import check_upload, store_attachment
from services.demo_data import load_demo_data
from services.formatting import format_datetime
from tests.support.rows import found

pytestmark = pytest.mark.db
PDF = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'


@pytest.fixture
def onni(database: str) -> User:
    load_demo_data()
    with session_scope() as db:
        return db.exec(select(User).where(User.username == 'onni.korhonen')).one()


def test_tabs_hold_the_seeds_rows_in_its_order(onni: User) -> None:
    assert requests.count_by_status(saved_id(onni)) == {RequestStatus.DRAFT: 2, RequestStatus.SENT: 5,
                                                 RequestStatus.DONE: 0}
    drafts = requests.list_requests(saved_id(onni), RequestStatus.DRAFT, sort_by='created')
    assert [(r.title, format_datetime(r.created_at)) for r in drafts.rows] == [
        ('5474 : Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten', '27.01.2023 09:22'),
        ('5453 : Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten', '20.01.2023 09:03')]
    sent = requests.list_requests(saved_id(onni), RequestStatus.SENT)
    assert [(r.number, format_datetime(r.modified_at), r.stage, r.unread) for r in sent.rows] == [
        (979728, '17.12.2021 16:13', 'Vireillepano/-tulo', 0), (978373, '17.12.2021 16:12', 'Vireillepano/-tulo', 2),
        (979825, '17.12.2021 13:20', 'Vireillepano/-tulo', 0), (979738, '17.12.2021 13:19', 'Vireillepano/-tulo', 0),
        (978635, '17.12.2021 09:48', 'Vireillepano/-tulo', 0)]


def test_paging_sorting_and_search_happen_in_the_query(onni: User) -> None:
    first = requests.list_requests(saved_id(onni), RequestStatus.SENT, page=1, per_page=2)
    second = requests.list_requests(saved_id(onni), RequestStatus.SENT, page=2, per_page=2)
    assert (first.total, [r.number for r in first.rows], [r.number for r in second.rows]) == (
        5, [979728, 978373], [979825, 979738])
    oldest_first = requests.list_requests(saved_id(onni), RequestStatus.SENT, descending=False, per_page=1)
    assert oldest_first.rows[0].number == 978635
    by_name = requests.list_requests(saved_id(onni), RequestStatus.SENT, search='verokortin')
    assert {r.number for r in by_name.rows} == {979728, 979825, 978635}
    by_number = requests.list_requests(saved_id(onni), RequestStatus.SENT, search='978373')
    assert [r.number for r in by_number.rows] == [978373]


def test_thread_hides_internal_notes_and_reading_clears_the_unread_count(onni: User) -> None:
    with session_scope() as db:
        db.add(Message(request_id=978373, kind=MessageKind.NOTE, body='SISÄINEN: asiakas soitti'))
    thread = messages.list_thread(onni, 978373)
    assert [m.kind for m in thread] == [MessageKind.QUESTION, MessageKind.MESSAGE]
    assert all('SISÄINEN' not in m.body for m in thread) and all(m.unread for m in thread)
    assert messages.mark_centre_messages_read(onni, 978373) == 2
    assert [r.unread for r in requests.list_requests(saved_id(onni), RequestStatus.SENT, search='978373').rows] == [0]
    with session_scope() as db:  # the note stays unread for the handlers: the citizen's view does not touch it
        assert db.exec(select(Message).where(Message.kind == MessageKind.NOTE)).one().read_at is None


def test_reply_with_attachment_is_stored_marked_and_audited(onni: User) -> None:
    before = requests.get_request_detail(onni, 978373).modified_at
    message_id = messages.post_reply(onni, 978373, '  Tiliote liitteenä.  ', [('tiliote.pdf', PDF)])
    thread = messages.list_thread(onni, 978373)
    assert (thread[-1].id, thread[-1].kind, thread[-1].body, thread[-1].from_centre) == (
        message_id, MessageKind.REPLY, 'Tiliote liitteenä.', False)
    assert [a.filename for a in thread[-1].attachments] == ['tiliote.pdf']
    with session_scope() as db:
        request = found(db.get(ServiceRequest, 978373))
        assert request.citizen_replied and request.modified_at > before
        event = db.exec(select(AuditEvent).where(AuditEvent.action == 'citizen_replied')).one()
        assert (event.actor_id, event.request_id, event.details['message_id']) == (onni.id, 978373, message_id)
    # A message's attachment belongs to the thread, not to the form's answers.
    assert requests.get_request_detail(onni, 978373).attachments == []
    # The sent tab now lists 978373 first: it was modified last.
    assert requests.list_requests(saved_id(onni), RequestStatus.SENT).rows[0].number == 978373


@pytest.mark.parametrize(('body', 'files', 'field'), [
    ('   ', [], 'body'),
    ('x' * (messages.REPLY_MAX_LENGTH + 1), [], 'body'),
    ('Liite', [('lasku.pdf', b'MZ\x90\x00 not a pdf')], 'attachments'),
    ('Liite', [('skripti.exe', b'MZ\x90\x00')], 'attachments'),
])
def test_bad_reply_is_refused_with_a_message_and_nothing_stored(onni: User, body: str, files: list,
                                                                field: str) -> None:
    with pytest.raises(messages.ReplyRefused) as refused:
        messages.post_reply(onni, 978373, body, files)
    assert refused.value.field == field and str(refused.value)
    with session_scope() as db:
        assert db.exec(select(Message).where(Message.kind == MessageKind.REPLY)).all() == []
        assert not found(db.get(ServiceRequest, 978373)).citizen_replied


def test_no_reply_to_a_draft_or_a_done_request(onni: User) -> None:
    with pytest.raises(messages.ReplyRefused):
        messages.post_reply(onni, 5474, 'Hei')
    with session_scope() as db:
        request = found(db.get(ServiceRequest, 979738))
        request.status = RequestStatus.DONE
        db.add(request)
    with pytest.raises(messages.ReplyRefused):
        messages.post_reply(onni, 979738, 'Hei')


def test_detail_shows_stage_history_and_form_attachments(onni: User) -> None:
    with session_scope() as db:
        store_attachment(db, found(db.get(ServiceRequest, 978373)), onni, check_upload('tiliote.pdf', PDF))
    detail = requests.get_request_detail(onni, 978373)
    assert detail.title == '978373 : Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten'
    assert [(s.stage, format_datetime(s.changed_at)) for s in detail.stages] == [
        ('Vireillepano/-tulo', '17.12.2021 16:12')]
    assert [a.filename for a in detail.attachments] == ['tiliote.pdf']
    assert detail.answers['iban'] == 'FI4822223333444455'


def test_deleting_a_draft_removes_it_with_its_attachments(onni: User) -> None:
    with session_scope() as db:
        attachment = store_attachment(db, found(db.get(ServiceRequest, 5453)), onni, check_upload('a.pdf', PDF))
        db.add(AuditEvent(actor_id=onni.id, request_id=5453, action='draft_saved'))
    requests.delete_draft(onni, 5453)
    with session_scope() as db:
        assert db.get(ServiceRequest, 5453) is None
        assert db.get(Attachment, attachment.id) is None and db.get(AttachmentBlob, attachment.id) is None
        deleted = db.exec(select(AuditEvent).where(AuditEvent.action == 'draft_deleted')).one()
        assert deleted.details['request_number'] == 5453 and deleted.actor_id == onni.id
    assert requests.count_by_status(saved_id(onni))[RequestStatus.DRAFT] == 1
    with pytest.raises(requests.RequestNotFound):
        requests.delete_draft(onni, 5453)


def test_times_show_in_finnish_time_across_daylight_saving(onni: User) -> None:
    detail = requests.get_request_detail(onni, 5474)
    assert format_datetime(detail.created_at) == '27.01.2023 09:22'
    assert format_datetime(detail.created_at + timedelta(days=180)) == '26.07.2023 10:22'


def test_request_reopened_for_completion_shows_its_thread_but_cannot_be_deleted(onni: User) -> None:
    with session_scope() as db:
        request = found(db.get(ServiceRequest, 979738))
        request.status, request.completion_requested = RequestStatus.DRAFT, True
        db.add(request)
        db.add(Message(request_id=979738, kind=MessageKind.INFO_REQUEST, body='Lisää laskun numero.'))
    row = requests.list_requests(saved_id(onni), RequestStatus.DRAFT, search='979738').rows[0]
    assert (row.completion_requested, row.unread, row.deletable) == (True, 1, False)
    assert requests.get_request_detail(onni, 979738).reopened
    assert [m.body for m in messages.list_thread(onni, 979738)] == ['Lisää laskun numero.']
    with pytest.raises(requests.RequestNotFound):
        requests.delete_draft(onni, 979738)
    drafts = requests.list_requests(saved_id(onni), RequestStatus.DRAFT).rows
    assert all(r.deletable for r in drafts if r.number != 979738)
