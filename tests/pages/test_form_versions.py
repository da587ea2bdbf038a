"""A form's label changes after a request was filled in: the old request still reads with the label it was filled
in with, for the citizen and for the handler, while a new form shows the new label.

Without versioning (every request read with the form as it is in the code) the old request would show the new
label and this test fails.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from nicegui.testing import User
from sqlmodel import select

import services.forms as forms
from models import ServiceRequest
from models import User as Person
from models.db import session_scope
from services import workflow
from services.forms import REFUND_FORM, FormDefinition
from services.forms.versions import publish_all
from tests.pages.conftest import follow_new_browser_id, sign_in_with_password
from tests.pages.test_email_pages import sign_in_as_handler

DEMO_PASSWORD = 'Demo-salasana-2026'
# Two labels change: one on the first step (drawn when a new form opens), one on the second.
RELABEL = {'unit': 'Osasto tai toimipaikka', 'reference_number': 'Maksun viite (viitenumero tai RF-viite)'}
OLD_LABELS = ('Yksikkö', 'Laskun viitenumero')
CONTACT = {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki',
           'email': '645516@generated.invalid', 'phone': '0501234567', 'on_behalf': False}
RECIPIENT = {'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
             'iban': 'FI48 2222 3333 4444 55', 'customer_number': '12345', 'refund_amount': '27,00',
             'reference_number': '123 45614'}


def relabelled(form: FormDefinition, labels: dict[str, str]) -> FormDefinition:
    steps = tuple(replace(step, fields=tuple(replace(f, label=labels[f.name]) if f.name in labels else f
                                             for f in step.fields)) for step in form.steps)
    return replace(form, steps=steps)


def _filled_and_sent_by_onni() -> int:
    """A refund request Onni fills in and sends (through the service the form's wizard uses)."""
    with session_scope() as db:
        onni = db.exec(select(Person).where(Person.username == 'onni.korhonen')).one()
    assert onni.id is not None
    number = workflow.create_draft(onni.id, REFUND_FORM.code, CONTACT, step=1)
    workflow.save_progress(onni.id, number, RECIPIENT, step=2)
    workflow.send_request(onni.id, number)
    return number


async def test_an_old_request_keeps_its_labels_after_the_form_changes(user: User,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    await user.http_client.get('/health')  # the portal has started: its forms are published (version 1)
    number = _filled_and_sent_by_onni()
    with session_scope() as db:
        assert db.get(ServiceRequest, number).form_version == 1  # type: ignore[union-attr]

    # The form's definition changes and the portal starts again: the change is published as version 2.
    monkeypatch.setitem(forms.FORMS, REFUND_FORM.code, relabelled(REFUND_FORM, RELABEL))
    assert publish_all()[REFUND_FORM.code] == 2

    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.open(f'/oma-asiointi/{number}')
    await user.should_see('Lähetetyt tiedot')
    await user.should_see('123 45614')
    for old, new in zip(OLD_LABELS, RELABEL.values(), strict=True):
        await user.should_see(old)
        await user.should_not_see(new)
    await user.open(f'/palvelut/{REFUND_FORM.code}')  # a new request is filled in with the form as it is now
    await user.should_see(RELABEL['unit'])  # its first step: the second is drawn when reached
    await user.should_not_see('Yksikkö')

    await user.open('/kirjaudu/ulos')
    await follow_new_browser_id(user)
    await sign_in_as_handler(user)
    await user.open(f'/kasittely/pyynto/{number}')
    await user.should_see('Lomakkeen tiedot')
    for old, new in zip(OLD_LABELS, RELABEL.values(), strict=True):
        await user.should_see(old)
        await user.should_not_see(new)
