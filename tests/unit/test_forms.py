"""The form definitions checked without a browser: a registered type for every field, conditions, required fields."""
import pytest

from services.fields import FIELD_TYPES
from services.forms import FORMS, REFUND_FORM, TAX_CARD_FORM
from services.validation import Context
from services.workflow import validate_step

CONTEXT = Context(organisation_names=('Jyväskylän kaupunki', 'Laukaan kunta'))
CONTACT = {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki',
           'unit': '', 'email': '645516@generated.invalid', 'phone': '0501234567', 'on_behalf': False}
REFUND = {'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
          'iban': 'FI48 2222 3333 4444 55', 'billing_organisation': 'Jyväskylän kaupunki', 'customer_number': '12345',
          'invoice_number': '1', 'reference_number': '', 'overpayment_date': '27.1.2023', 'refund_amount': '27,00',
          'additional_info': ''}


@pytest.mark.parametrize('form', list(FORMS.values()), ids=list(FORMS))
def test_definitions_are_consistent(form) -> None:
    names = [f.name for step in form.steps for f in step.fields]
    assert len(names) == len(set(names)), 'field names repeat'
    for step in form.steps:
        for field in step.fields:
            assert field.type in FIELD_TYPES, f'{field.name}: no field type {field.type!r}'
            if field.type == 'choice':
                assert field.options, field.name
            if field.condition is not None:
                # A condition refers to a field earlier in the same form.
                assert field.condition.field in form.field_map
                assert names.index(field.condition.field) < names.index(field.name)


def test_refund_form_has_the_seeds_steps_and_required_fields() -> None:
    assert [step.title for step in REFUND_FORM.steps] == ['Yhteydenotto', 'Palautuksen saaja']
    required = {f.label for step in REFUND_FORM.steps for f in step.fields if f.required and f.condition is None}
    assert required == {'Etunimi', 'Sukunimi', 'Sähköposti', 'Valitse', 'Saajan etunimi', 'Saajan sukunimi',
                        'Tilinumero', 'Asiakasnumero', 'Palautuksen määrä'}


def test_seed_answers_pass_both_steps_and_are_normalised() -> None:
    answers = CONTACT | REFUND
    contact = validate_step(REFUND_FORM, 0, answers, attachment_counts={}, context=CONTEXT)
    assert contact.ok, contact.errors
    assert contact.answers['phone'] == '+358501234567'
    recipient = validate_step(REFUND_FORM, 1, answers, attachment_counts={}, context=CONTEXT)
    assert recipient.ok, recipient.errors
    assert recipient.answers['iban'] == 'FI4822223333444455'


def test_the_seeds_iban_is_refused_in_the_form() -> None:
    result = validate_step(REFUND_FORM, 1, CONTACT | REFUND | {'iban': 'FI11 2222 3333 4444 55'},
                           attachment_counts={}, context=CONTEXT)
    assert set(result.errors) == {'iban'}


def test_empty_required_fields_are_named() -> None:
    result = validate_step(REFUND_FORM, 0, {}, attachment_counts={}, context=CONTEXT)
    assert result.errors == {'first_name': 'Etunimi on pakollinen tieto.',
                             'last_name': 'Sukunimi on pakollinen tieto.',
                             'email': 'Sähköposti on pakollinen tieto.'}


def test_acting_on_behalf_reveals_and_requires_who_is_represented() -> None:
    hidden = REFUND_FORM.visible_fields(0, CONTACT)
    assert 'represented_name' not in {f.name for f in hidden}
    result = validate_step(REFUND_FORM, 0, CONTACT | {'on_behalf': True}, attachment_counts={}, context=CONTEXT)
    assert set(result.errors) == {'represented_name', 'represented_relation'}


def test_refund_to_someone_else_asks_why() -> None:
    result = validate_step(REFUND_FORM, 1, CONTACT | REFUND | {'refund_target': 'other'}, attachment_counts={},
                           context=CONTEXT)
    assert set(result.errors) == {'other_recipient_reason'}


def test_tax_card_needs_its_attachment_and_year() -> None:
    answers = CONTACT | {'employer': 'Jyväskylän kaupunki', 'tax_year': '2026', 'card_type': 'revised',
                         'valid_from': '1.2.2026'}
    missing = validate_step(TAX_CARD_FORM, 1, answers, attachment_counts={}, context=CONTEXT)
    assert set(missing.errors) == {'tax_card'}
    present = validate_step(TAX_CARD_FORM, 1, answers, attachment_counts={'tax_card': 1}, context=CONTEXT)
    assert present.ok, present.errors
