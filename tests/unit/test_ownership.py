"""Two citizens: whatever number or id one tries, the other's request, draft, messages and attachments stay out of
reach in every Oma asiointi service, and a wrong id is refused exactly like someone else's."""
from __future__ import annotations

import pytest
from sqlmodel import select

from models import Attachment, Message, MessageKind, RequestStatus, ServiceRequest, User, UserRole, saved_id
from models.db import session_scope
from services import messages, requests
from services.attachments import check_upload, load_for_download, store_attachment
from services.demo_data import load_demo_data
from tests.support.rows import found

pytestmark = pytest.mark.db
PDF = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
MISSING = 999_999_999


@pytest.fixture
def people(database: str) -> tuple[User, User]:
    """Onni with the seed's requests, and Outi with one draft and one sent request of her own."""
    load_demo_data()
    with session_scope() as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        outi = User(role=UserRole.CITIZEN, given_name='Outi', surname='Toinen', username='outi.toinen')
        db.add(outi)
        db.flush()
        db.add(ServiceRequest(id=7001, service_code='verokortti', owner_id=saved_id(outi), status=RequestStatus.DRAFT))
        db.add(ServiceRequest(id=7002, service_code='verokortti', owner_id=saved_id(outi), status=RequestStatus.SENT))
        db.flush()
        db.add(Message(request_id=7002, kind=MessageKind.QUESTION, body='Kysymys Outille'))
    return onni, outi


def _attach(owner: User, number: int, name: str = 'tiliote.pdf') -> int:
    with session_scope() as db:
        request = found(db.get(ServiceRequest, number))
        return saved_id(store_attachment(db, request, owner, check_upload(name, PDF)))


@pytest.mark.parametrize('number', [7001, 7002, MISSING])
def test_detail_thread_and_read_marks_refuse_anothers_or_missing_number(people: tuple[User, User],
                                                                         number: int) -> None:
    onni, _outi = people
    with pytest.raises(requests.RequestNotFound):
        requests.get_request_detail(onni, number)
    with pytest.raises(requests.RequestNotFound):
        messages.list_thread(onni, number)
    with pytest.raises(requests.RequestNotFound):
        messages.mark_centre_messages_read(onni, number)
    with session_scope() as db:
        assert db.exec(select(Message).where(Message.request_id == 7002)).one().read_at is None


@pytest.mark.parametrize('number', [7002, MISSING])
def test_reply_refuses_anothers_or_missing_request(people: tuple[User, User], number: int) -> None:
    onni, _outi = people
    with pytest.raises(requests.RequestNotFound):
        messages.post_reply(onni, number, 'Minun vastaukseni', [('tiliote.pdf', PDF)])
    with session_scope() as db:
        assert db.exec(select(Message).where(Message.kind == MessageKind.REPLY)).all() == []
        assert db.exec(select(Attachment)).all() == []


@pytest.mark.parametrize('number', [7001, MISSING])
def test_delete_refuses_anothers_or_missing_draft(people: tuple[User, User], number: int) -> None:
    onni, _outi = people
    with pytest.raises(requests.RequestNotFound):
        requests.delete_draft(onni, number)
    with session_scope() as db:
        assert db.get(ServiceRequest, 7001) is not None


def test_attachment_download_only_for_the_owner(people: tuple[User, User]) -> None:
    onni, outi = people
    outis = _attach(outi, 7002)
    with session_scope() as db:
        assert load_for_download(db, onni, outis) is None
        assert load_for_download(db, onni, MISSING) is None
        assert load_for_download(db, outi, outis) is not None


def test_lists_and_counts_hold_only_own_requests(people: tuple[User, User]) -> None:
    onni, outi = people
    onni_id, outi_id = saved_id(onni), saved_id(outi)
    assert requests.count_by_status(outi_id) == {RequestStatus.DRAFT: 1, RequestStatus.SENT: 1, RequestStatus.DONE: 0}
    assert [row.number for row in requests.list_requests(outi_id, RequestStatus.SENT).rows] == [7002]
    onnis = {row.number for row in requests.list_requests(onni_id, RequestStatus.SENT, per_page=100).rows}
    assert 7002 not in onnis and 978373 in onnis
    assert requests.list_requests(onni_id, RequestStatus.SENT, search='7002').total == 0


def test_sent_request_cannot_be_deleted_as_a_draft(people: tuple[User, User]) -> None:
    onni, _outi = people
    with pytest.raises(requests.RequestNotFound):
        requests.delete_draft(onni, 978373)
    with session_scope() as db:
        assert db.get(ServiceRequest, 978373) is not None
