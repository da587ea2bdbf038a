"""Versioned form definitions: publishing at start when the content changed, the content hash, the version a
request records, old requests read in their own version (views, receipt PDF, emailed receipt, the API), and the
migration that brings existing requests to version 1."""
from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlmodel import col, select

import services.forms as forms
from locales import using_language
from models import FormVersion, Organisation, OutboxEmail, Region, ServiceRequest, User
from models.db import downgrade, get_engine, migrate, session_scope
from pages.integration_api import api_app
from services import api_keys, workflow
from services.answers import answer_sections
from services.forms import REFUND_FORM, FormDefinition
from services.forms.versions import (
    content_hash,
    definition_content,
    form_for_request,
    form_from_content,
    publish_all,
)
from services.receipt import build_receipt, email_receipt

pytestmark = pytest.mark.db

CONTACT = {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki',
           'unit': '', 'email': '645516@generated.invalid', 'phone': '0501234567', 'on_behalf': False}
RECIPIENT = {'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
             'iban': 'FI48 2222 3333 4444 55', 'customer_number': '12345', 'refund_amount': '27,00'}
NEW_LABEL = 'Pankkitilin numero (IBAN)'


def relabelled(form: FormDefinition, field_name: str, label: str) -> FormDefinition:
    """The form with one field's label changed, as an edit of its definition would change it."""
    steps = tuple(replace(step, fields=tuple(replace(f, label=label) if f.name == field_name else f
                                             for f in step.fields)) for step in form.steps)
    return replace(form, steps=steps)


@pytest.fixture
def onni(database: str) -> int:
    with session_scope() as db:
        region = Region(name='Keski-Suomi')
        db.add(region)
        db.flush()
        assert region.id is not None
        db.add(Organisation(name='Jyväskylän kaupunki', business_id='0208201-1', region_id=region.id))
        user = User(given_name='Onni Juhani', surname='Korhonen', email='645516@generated.invalid',
                    phone='+358501234567', username='onni')
        db.add(user)
        db.flush()
        assert user.id is not None
        return user.id


def _versions(code: str) -> list[FormVersion]:
    with session_scope() as db:
        return list(db.exec(select(FormVersion).where(FormVersion.service_code == code)
                            .order_by(col(FormVersion.version))).all())


def _sent_refund(owner: int) -> int:
    number = workflow.create_draft(owner, REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(owner, number, RECIPIENT, step=2)
    workflow.send_request(owner, number)
    return number


def test_content_holds_every_text_in_three_languages_and_rebuilds_the_same_form() -> None:
    content = definition_content(REFUND_FORM)
    iban = next(f for step in content['steps'] for f in step['fields'] if f['name'] == 'iban')
    assert iban['label'] == {'fi': 'Tilinumero', 'sv': 'Kontonummer', 'en': 'Account number'}
    assert iban['type'] == 'iban' and iban['required'] is True
    canonical = json.dumps(content, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
    assert content_hash(content) == hashlib.sha256(canonical.encode()).hexdigest()
    rebuilt = form_from_content(json.loads(json.dumps(content)))  # through JSON, as the database gives it back
    assert definition_content(rebuilt) == content
    assert rebuilt.field_map['iban'].label == 'Tilinumero'
    with using_language('sv'):
        assert answer_sections(rebuilt, {'iban': 'FI4822223333444455'}, {})[1].rows[3].label == 'Kontonummer'


@pytest.mark.usefixtures('database')
def test_publishing_adds_a_version_only_when_the_content_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert publish_all() == {code: 1 for code in forms.FORMS}
    assert publish_all() == {code: 1 for code in forms.FORMS}  # a restart with the same forms adds nothing
    assert len(_versions(REFUND_FORM.code)) == 1
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, relabelled(REFUND_FORM, 'iban', NEW_LABEL))
    assert publish_all()[REFUND_FORM.code] == 2
    assert publish_all()[REFUND_FORM.code] == 2
    first, second = _versions(REFUND_FORM.code)
    assert first.content_hash != second.content_hash
    assert second.content_hash == content_hash(second.content)
    assert [len(_versions(code)) for code in forms.FORMS if code != REFUND_FORM.code] == [1]
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, REFUND_FORM)  # changed back: newer than the latest again
    assert publish_all()[REFUND_FORM.code] == 3


def test_old_requests_read_with_their_versions_labels(onni: int, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_all()
    old = _sent_refund(onni)
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, relabelled(REFUND_FORM, 'iban', NEW_LABEL))
    publish_all()
    new = _sent_refund(onni)
    with session_scope() as db:
        assert [db.get(ServiceRequest, n).form_version for n in (old, new)] == [1, 2]  # type: ignore[union-attr]
        old_form = form_for_request(db, REFUND_FORM.code, 1)
        new_form = form_for_request(db, REFUND_FORM.code, 2)
        unrecorded = form_for_request(db, REFUND_FORM.code, None)
    assert old_form is not None and new_form is not None
    assert old_form.field_map['iban'].label == 'Tilinumero'
    assert new_form is forms.FORMS[REFUND_FORM.code] and unrecorded is new_form  # the code's own while current
    for lang, label in (('fi', 'Tilinumero'), ('sv', 'Kontonummer'), ('en', 'Account number')):
        with using_language(lang):
            sent = workflow.sent_request(onni, old)
            labels = [row.label for section in answer_sections(sent.form, sent.answers, {}) for row in section.rows]
            assert label in labels and NEW_LABEL not in labels
    labels = [row.label for section in answer_sections(workflow.sent_request(onni, new).form, {}, {})
              for row in section.rows]
    assert NEW_LABEL in labels


def test_receipt_pdf_and_email_of_an_old_request_keep_its_labels(onni: int, monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    publish_all()
    number = _sent_refund(onni)
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, relabelled(REFUND_FORM, 'iban', NEW_LABEL))
    publish_all()
    path = tmp_path / 'kuittaus.pdf'
    path.write_bytes(build_receipt(workflow.sent_request(onni, number)))
    pdf_text = subprocess.run(['pdftotext', str(path), '-'], check=True, capture_output=True, text=True).stdout
    assert 'Tilinumero' in pdf_text and 'Pankkitilin' not in pdf_text
    email_receipt(onni, number)
    with session_scope() as db:
        body = db.exec(select(OutboxEmail.body_text).where(OutboxEmail.kind == 'receipt')).one()
    assert 'Tilinumero: FI48 2222 3333 4444 55' in body and NEW_LABEL not in body


def test_a_draft_records_the_current_version_and_moves_with_the_form(onni: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    publish_all()
    number = workflow.create_draft(onni, REFUND_FORM.code, CONTACT)
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, relabelled(REFUND_FORM, 'iban', NEW_LABEL))
    workflow.save_progress(onni, number, RECIPIENT, step=1)  # filled in with the form as it is now
    with session_scope() as db:
        assert db.get(ServiceRequest, number).form_version == 2  # type: ignore[union-attr]


def test_the_api_gives_the_forms_versions_and_each_requests_version(onni: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    publish_all()
    number = _sent_refund(onni)
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, relabelled(REFUND_FORM, 'iban', NEW_LABEL))
    client = TestClient(api_app())
    headers = {'Authorization': f'Bearer {api_keys.create_client("talousjarjestelma").key}'}
    current = client.get(f'/forms/{REFUND_FORM.code}', headers=headers).json()
    assert current['version'] == 2  # published when asked, though the portal has not restarted
    iban = current['answers_schema']['properties']['iban']
    assert iban['title'] == NEW_LABEL and 'pattern' in iban
    assert 'iban' in current['answers_schema']['required']
    first = client.get(f'/forms/{REFUND_FORM.code}/versions/1', headers=headers).json()
    labels = [f['label'] for step in first['definition']['steps'] for f in step['fields'] if f['name'] == 'iban']
    assert labels == [{'fi': 'Tilinumero', 'sv': 'Kontonummer', 'en': 'Account number'}]
    assert first['content_hash'] == content_hash(first['definition'])
    assert client.get(f'/requests/{number}', headers=headers).json()['form_version'] == 1
    assert client.get(f'/forms/{REFUND_FORM.code}/versions/9', headers=headers).status_code == 404
    assert client.get('/forms/ei-ole', headers=headers).json()['error'] == 'not_found'
    assert client.get(f'/forms/{REFUND_FORM.code}').status_code == 401


def test_migration_0007_brings_existing_requests_to_version_1(database: str, onni: int) -> None:
    """Down to 0006, a request as it was stored then, and up again (SQLite here, PostgreSQL in CI's second run)."""
    downgrade(database, '0006')
    assert 'formversion' not in inspect(get_engine()).get_table_names()
    old_requests = sa.table('servicerequest', *(sa.column(name, kind) for name, kind in (
        ('service_code', sa.String), ('owner_id', sa.Integer), ('status', sa.String), ('stage', sa.String),
        ('current_step', sa.Integer), ('answers', sa.JSON), ('completion_requested', sa.Boolean),
        ('citizen_replied', sa.Boolean), ('version', sa.Integer), ('created_at', sa.DateTime),
        ('modified_at', sa.DateTime))))
    with get_engine().begin() as connection:
        connection.execute(old_requests.insert().values(
            service_code='verokortti', owner_id=onni, status='sent', stage='Vireillepano/-tulo', current_step=2,
            answers={'tax_year': '2025'}, completion_requested=False, citizen_replied=False, version=1,
            created_at=datetime(2025, 1, 1), modified_at=datetime(2025, 1, 1)))
    migrate(database)
    with session_scope() as db:
        assert [r.form_version for r in db.exec(select(ServiceRequest)).all()] == [1]
    assert publish_all()['verokortti'] == 1  # the next start publishes the definition they were filled in with
    with session_scope() as db:
        assert form_for_request(db, 'verokortti', 1) is forms.FORMS['verokortti']
