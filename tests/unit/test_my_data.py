"""Lataa omat tietoni: the ZIP holds the person's details, their own requests with answers, stages, messages (never
internal notes) and attachment bytes, and nothing of anyone else. Pyydä käyttäjätilin poistamista is recorded once."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlmodel import select

from models import AuditEvent, Message, MessageKind, RequestStatus, ServiceRequest, User, UserRole, saved_id
from models.db import session_scope
from services import feedback, my_data
from services.attachments import check_upload, store_attachment
from services.demo_data import load_demo_data
from tests.support.rows import found

pytestmark = pytest.mark.db
PDF = b'%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
OTHER_PDF = b'%PDF-1.4\n% toisen henkilon tiedosto\n%%EOF\n'


def _user(username: str) -> User:
    with session_scope() as db:
        return db.exec(select(User).where(User.username == username)).one()


@pytest.fixture
def people(database: str) -> tuple[User, User]:
    """Onni of the demo data with a form attachment, a reply with a file and an internal note with a file on request
    978373; another citizen with a request, message and attachment of her own."""
    load_demo_data()
    onni = _user('onni.korhonen')
    with session_scope() as db:
        request = found(db.get(ServiceRequest, 978373))
        store_attachment(db, request, onni, check_upload('tiliote.pdf', PDF), field_name='attachments')
        reply = Message(request_id=978373, author_id=onni.id, kind=MessageKind.REPLY, body='Vastaus: tiliote on '
                        'liitteenä.')
        note = Message(request_id=978373, kind=MessageKind.NOTE, body='SISÄINEN: soitettu asiakkaalle')
        db.add(reply)
        db.add(note)
        db.flush()
        stored = store_attachment(db, request, onni, check_upload('vastaus.pdf', PDF), message_id=reply.id)
        stored.filename = '../../vastaus.pdf'  # as an older or foreign upload might have it: must not escape
        store_attachment(db, request, onni, check_upload('sisainen.pdf', b'%PDF-1.4\n% SISAINEN\n%%EOF\n'),
                         message_id=note.id)
        other = User(role=UserRole.CITIZEN, username='toinen.henkilo', given_name='Toini', surname='Toinen',
                     email='toini@example.fi')
        db.add(other)
        db.flush()
        theirs = ServiceRequest(service_code='verokortti', owner_id=saved_id(other), status=RequestStatus.SENT,
                                answers={'email': 'toini@example.fi', 'first_name': 'Toini'})
        db.add(theirs)
        db.flush()
        db.add(Message(request_id=saved_id(theirs), kind=MessageKind.MESSAGE, body='Toinille kuuluva viesti'))
        store_attachment(db, theirs, other, check_upload('toini.pdf', OTHER_PDF))
    return onni, other


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_export_holds_own_details_requests_messages_and_attachment_bytes(people: tuple[User, User]) -> None:
    onni, _ = people
    archive = _open(my_data.export_my_data(onni))
    person = json.loads(archive.read('person.json'))
    assert (person['display_name'], person['email'], person['phone'], person['username']) == (
        'Onni Juhani Korhonen', '645516@generated.invalid', '+358501234567', 'onni.korhonen')
    assert person['identity_number_masked'] and '958J' not in person['identity_number_masked']

    with session_scope() as db:
        own_numbers = sorted(found(number) for number in db.exec(select(ServiceRequest.id)
                                                                  .where(ServiceRequest.owner_id == onni.id)).all())
    summary = json.loads(archive.read('requests.json'))
    assert [row['number'] for row in summary] == own_numbers and len(own_numbers) == 7

    record = json.loads(archive.read('requests/978373/request.json'))
    with session_scope() as db:
        stored = found(db.get(ServiceRequest, 978373))
    assert record['answers'] == stored.answers and record['status'] == 'sent'
    assert [s['stage'] for s in record['stages']] == ['Vireillepano/-tulo']
    kinds = [m['kind'] for m in record['messages']]
    assert sorted(kinds[:2]) == ['message', 'question'] and kinds[2:] == ['reply']
    assert record['messages'][-1]['from_centre'] is False
    files = {a['filename']: a['file_in_zip'] for a in record['attachments']}
    assert set(files) == {'tiliote.pdf', '../../vastaus.pdf'}
    assert archive.read(files['tiliote.pdf']) == PDF and archive.read(files['../../vastaus.pdf']) == PDF
    # A file name cannot climb out of its folder when the ZIP is unpacked.
    assert all(name.startswith(('person.json', 'requests', 'README')) and '..' not in name.split('/')
               for name in archive.namelist())


def test_export_leaves_out_internal_notes_and_everything_of_another_person(people: tuple[User, User]) -> None:
    onni, other = people
    archive = _open(my_data.export_my_data(onni))
    everything = b''.join(archive.read(name) for name in archive.namelist())
    for secret in ('SISÄINEN', 'sisainen.pdf', 'Toini', 'toini@example.fi', 'Toinille kuuluva viesti'):
        assert secret.encode() not in everything, secret
    assert b'SISAINEN' not in everything and OTHER_PDF not in everything

    theirs = _open(my_data.export_my_data(other))
    their_summary = json.loads(theirs.read('requests.json'))
    assert len(their_summary) == 1 and b'Onni' not in b''.join(theirs.read(n) for n in theirs.namelist())
    assert theirs.read(json.loads(theirs.read(their_summary[0]['file']))['attachments'][0]['file_in_zip']) == \
        OTHER_PDF


def test_export_is_audited(people: tuple[User, User]) -> None:
    onni, _ = people
    my_data.export_my_data(onni)
    with session_scope() as db:
        event = db.exec(select(AuditEvent).where(AuditEvent.action == 'data_exported')).one()
    assert (event.actor_id, event.details) == (onni.id, {'requests': 7})


def test_deletion_request_is_recorded_once_and_listed_for_staff(people: tuple[User, User]) -> None:
    onni, _ = people
    first = my_data.request_account_deletion(onni)
    assert my_data.request_account_deletion(onni) == first == my_data.deletion_requested_at(onni)
    with session_scope() as db:
        assert len(db.exec(select(AuditEvent).where(AuditEvent.action == 'account_deletion_requested')).all()) == 1
    handler = _user('kaisa.kasittelija')
    assert [(row.name, row.requested_at) for row in feedback.list_deletion_requests(handler)] == [
        ('Onni Juhani Korhonen', first)]
    with pytest.raises(feedback.FeedbackForbidden):
        feedback.list_deletion_requests(onni)
