"""Input hygiene (issue 12, finding 9): control characters, NUL and bidi controls sent through every entry point (the
citizen's reply and form, OMAT TIEDOT, the integration API, SAML names) are stored clean — on PostgreSQL too, which
refuses NUL — filenames cannot break a download or pretend another type, a ZIP is not a .docx for holding `word/`,
and a request takes only so many attachments."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import select

from models import Attachment, Message, ServiceRequest, User, saved_id
from models.db import session_scope
from pages.attachments import file_response
from pages.integration_api import api_app
from services import account, api_keys, messages, workflow
from services.attachments import AttachmentRefused, check_upload
from services.forms import REFUND_FORM
from services.registration import IdentifiedPerson, user_for_identification
from tests.support.rows import found

pytestmark = pytest.mark.db
SENT = 978373  # a sent demo request of Onni Korhonen's
NASTY = 'Tili\x00numero\u202e\x1b[2J\x07 on\r\nFI48'  # NUL, a bidi override, a terminal escape, a bell, CRLF
FORBIDDEN = ['\x00', '\u202e', '\x1b', '\x07', '\r']
CONTACT = {'first_name': 'Onni', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki', 'unit': '',
           'email': 'onni@example.fi', 'phone': '0501234567', 'on_behalf': False}


@pytest.fixture
def demo(database: str) -> Iterator[dict[str, int]]:
    from services.catalogue import sync_services
    from services.demo_data import load_demo_data

    sync_services()
    load_demo_data()
    with session_scope() as db:
        yield {name: found(db.exec(select(User.id).where(User.username == name)).one())
               for name in ('onni.korhonen', 'riikka.edustaja')}


def _user(user_id: int) -> User:
    with session_scope() as db:
        return found(db.get(User, user_id))


def _clean(value: str) -> bool:
    return not any(character in value for character in FORBIDDEN)


def test_a_reply_with_nul_and_controls_is_stored_clean_with_its_files(demo: dict[str, int]) -> None:
    message_id = messages.post_reply(_user(demo['onni.korhonen']), SENT, NASTY,
                                     files=[('kuitti\u202efdp.txt', b'Kuitti 2023\n'), ('rivi\r\nvaihto.txt', b'x\n')])
    with session_scope() as db:
        body = found(db.get(Message, message_id)).body
        names = db.exec(select(Attachment.filename).where(Attachment.message_id == message_id)).all()
    assert body == 'Tilinumero[2J on\nFI48'
    assert sorted(names) == ['kuittifdp.txt', 'rivi vaihto.txt']


def test_form_answers_with_control_characters_are_stored_clean(demo: dict[str, int]) -> None:
    onni = demo['onni.korhonen']
    number = workflow.create_draft(onni, REFUND_FORM.code, CONTACT | {'unit': NASTY}, step=1)
    workflow.save_progress(onni, number, {'customer_number': '12345\x00', 'extra_key\x00': NASTY}, step=1)
    with session_scope() as db:
        answers = found(db.get(ServiceRequest, number)).answers
    assert all(_clean(key) and (not isinstance(value, str) or _clean(value)) for key, value in answers.items())


def test_names_are_one_line_without_controls_from_the_page_and_from_identification(demo: dict[str, int]) -> None:
    riikka = _user(demo['riikka.edustaja'])
    errors = account.update_account(riikka, given_name='Riikka\u202e', surname='Edus\x00taja\nX', email=riikka.email,
                                    email_allowed=True, phone='', username='riikka.edustaja')
    assert errors == {}
    assert (_user(saved_id(riikka)).given_name, _user(saved_id(riikka)).surname) == ('Riikka', 'Edustaja X')
    person = IdentifiedPerson(national_id='010280-952L', given_name='Tessa\u2066', surname='Testi\x00lä\r\n',
                              display_name='Tessa\nTestilä')  # no email, as from Suomi.fi
    tessa = _user(user_for_identification(person))
    assert (tessa.given_name, tessa.surname, tessa.display_name) == ('Tessa', 'Testilä', 'Tessa Testilä')


def test_the_integration_api_refuses_nul_plainly_and_stores_bidi_controls_clean(demo: dict[str, int]) -> None:
    """A system gets a JSON 422 for NUL and C0 controls (its contract); what passes that is cleaned on storing."""
    client = TestClient(api_app())
    headers = {'Authorization': f'Bearer {api_keys.create_client("talousjarjestelma").key}'}
    version = client.get(f'/requests/{SENT}', headers=headers).json()['version']
    refused = client.post(f'/requests/{SENT}/messages', json={'version': version, 'body': NASTY}, headers=headers)
    assert refused.status_code == 422 and refused.json()['error'] == 'invalid'
    sent = client.post(f'/requests/{SENT}/messages', json={'version': version, 'body': 'Maksu\u202e\x9b tehty\r\n.'},
                       headers=headers)
    assert sent.status_code == 200, sent.text
    with session_scope() as db:
        bodies = db.exec(select(Message.body).where(Message.request_id == SENT)).all()
    assert 'Maksu tehty\n.' in bodies


def test_a_stored_name_with_a_newline_still_downloads_with_a_valid_header(demo: dict[str, int]) -> None:
    """A name stored before the cleaning existed (written here around it with plain SQL)."""
    with session_scope() as db:
        request = found(db.get(ServiceRequest, SENT))
        checked = check_upload('tiliote.txt', b'Tiliote\n')
        from services.attachments import store_attachment
        attachment_id = saved_id(store_attachment(db, request, found(db.get(User, request.owner_id)), checked))
    with session_scope() as db:
        db.execute(text('UPDATE attachment SET filename = :name WHERE id = :id'),
                   {'name': 'tili\r\nSet-Cookie: x=1;"ote\u202etxt.pdf', 'id': attachment_id})
    with session_scope() as db:
        attachment = found(db.get(Attachment, attachment_id))
        assert '\n' in attachment.filename  # the old row really holds the newline
        response = file_response(attachment, b'Tiliote\n')
    disposition = response.headers['content-disposition']
    disposition.encode('latin-1')  # an HTTP header value
    assert all(ord(character) >= 32 for character in disposition)
    assert disposition.startswith('attachment; filename="tili Set-Cookie_ x_1__otetxt.pdf"; ')
    assert 'filename*=UTF-8\'\'tili%20Set-Cookie%3A%20x%3D1%3B%22otetxt.pdf' in disposition


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


DOCX_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              b'wordprocessingml.document.main+xml"/></Types>')


def test_a_zip_holding_a_word_folder_is_not_a_docx(settings_env) -> None:
    disguised = _zip({'word/': b'', 'payload.exe': b'MZ\x90\x00'})
    with pytest.raises(AttachmentRefused):
        check_upload('lomake.docx', disguised)
    with pytest.raises(AttachmentRefused):  # content types that name a main part the package does not have
        check_upload('lomake.docx', _zip({'[Content_Types].xml': DOCX_TYPES, 'word/other.xml': b'<x/>'}))
    real = _zip({'[Content_Types].xml': DOCX_TYPES, 'word/document.xml': b'<w:document/>'})
    assert check_upload('lomake.docx', real).kind == 'docx'


def test_a_long_name_is_checked_whole_before_it_is_shortened(settings_env) -> None:
    with pytest.raises(AttachmentRefused):  # cut at 200 characters this ended in '.txt'
        check_upload('raportti' + 'a' * 188 + '.txt' + 'b' * 40 + '.exe', b'plain text\n')
    long_name = 'tiliote_' + 'ä' * 300 + '.txt'
    stored = check_upload(long_name, b'plain text\n').filename
    assert len(stored) == 200 and stored.endswith('ää.txt')


def test_a_request_takes_only_the_configured_number_of_attachments(demo: dict[str, int], monkeypatch) -> None:
    import config

    monkeypatch.setenv('ATTACHMENT_MAX_COUNT', '2')
    config.reload_settings()
    onni = demo['onni.korhonen']
    number = workflow.create_draft(onni, REFUND_FORM.code, CONTACT, step=1)
    for index in range(2):
        workflow.add_attachment(onni, number, 'attachments', f'liite{index}.txt', b'Liite\n')
    with pytest.raises(AttachmentRefused):
        workflow.add_attachment(onni, number, 'attachments', 'liite3.txt', b'Liite\n')
    with pytest.raises(messages.ReplyRefused):  # a reply's files count against the same request
        messages.post_reply(_user(onni), SENT, 'Liitteet', files=[(f'{index}.txt', b'x\n') for index in range(3)])
