"""Every registered field type on its own: how a typed value is kept (normalise), checked (validate), read back
(display) and described to the integration API (schema). The validators' finer cases are in test_validation.py."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest

from locales import using_language
from services.fields import EMPTY, FIELD_TYPE_MODULES, FIELD_TYPES, Context, FieldType, field_type
from services.forms import FieldDefinition
from services.validation import check_field

CONTEXT = Context(organisation_names=('Jyväskylän kaupunki', 'Laukaan kunta'), today=date(2026, 11, 30))


@dataclass(frozen=True)
class Case:
    """One type with a typed value, what it is stored as and read as, and a value it refuses."""

    definition: FieldDefinition
    typed: object
    stored: object
    shown: str
    refused: object | None  # None: the type refuses nothing that is not empty
    schema: dict = field(default_factory=dict)  # keys the schema must have


CASES: dict[str, Case] = {
    'text': Case(FieldDefinition('customer_number', 'Asiakasnumero', 'text', max_length=5), '  12345 ', '12345',
                 '12345', '123456', {'type': 'string', 'maxLength': 5}),
    'textarea': Case(FieldDefinition('info', 'Lisätietoja', 'textarea', max_length=20), 'rivi 1\nrivi 2 ',
                     'rivi 1\nrivi 2', 'rivi 1\nrivi 2', 'x' * 21, {'type': 'string'}),
    'email': Case(FieldDefinition('email', 'Sähköposti', 'email'), 'Onni@Example.FI', 'Onni@example.fi',
                  'Onni@example.fi', 'onni@', {'format': 'email'}),
    'phone': Case(FieldDefinition('phone', 'Puhelinnumero', 'phone'), '050 123 4567', '+358501234567',
                  '+358 50 1234567', '123', {'pattern': r'^\+[1-9]\d{6,14}$'}),
    'iban': Case(FieldDefinition('iban', 'Tilinumero', 'iban'), 'FI48 2222 3333 4444 55', 'FI4822223333444455',
                 'FI48 2222 3333 4444 55 (Nordea Bank Finland Plc, NDEAFIHH)', 'FI11 2222 3333 4444 55',
                 {'pattern': ''}),
    'reference': Case(FieldDefinition('reference', 'Viitenumero', 'reference'), '123 45614', '12345614',
                      '123 45614', '12345615', {'pattern': ''}),
    'amount': Case(FieldDefinition('amount', 'Määrä', 'amount'), '1 234,5 €', '1234,50', '1\xa0234,50\xa0€', '0',
                   {'pattern': ''}),
    'date': Case(FieldDefinition('day', 'Ajankohta', 'date'), '27.01.2023', '27.1.2023', '27.1.2023',
                 '1.12.2026', {'pattern': ''}),
    'year': Case(FieldDefinition('tax_year', 'Verovuosi', 'year'), '2026', '2026', '2026', '1999', {'pattern': ''}),
    'choice': Case(FieldDefinition('target', 'Valitse', 'choice', options=(('payer', 'Maksajalle'),
                                                                            ('other', 'Muulle'))),
                   'other', 'other', 'Muulle', 'someone', {'enum': ['payer', 'other']}),
    'checkbox': Case(FieldDefinition('on_behalf', 'Asioi toisen puolesta', 'checkbox'), 1, True, 'Kyllä', None,
                     {'type': 'boolean'}),
    'organisation': Case(FieldDefinition('employer', 'Työnantaja', 'organisation'), 'laukaan KUNTA',
                         'Laukaan kunta', 'Laukaan kunta', 'Laukaa', {'type': 'string'}),
    'attachments': Case(FieldDefinition('files', 'Liitteet', 'attachments'), 2, 2, 'a.pdf, b.png', None,
                        {'type': 'array'}),
    'business_id': Case(FieldDefinition('business_id', 'Y-tunnus', 'business_id'), '26174164', '2617416-4',
                        '2617416-4', '2617416-5', {'pattern': '^[0-9]{7}-[0-9]$'}),
}


def test_every_registered_type_has_a_case_here_and_its_module_name() -> None:
    assert set(CASES) == set(FIELD_TYPES) == set(FIELD_TYPE_MODULES)
    for name, kind in FIELD_TYPES.items():
        assert isinstance(kind, FieldType) and kind.name == name


@pytest.mark.parametrize('name', list(CASES))
def test_validate_gives_the_stored_form_and_refuses_with_a_message(name: str) -> None:
    case = CASES[name]
    checked = check_field(case.definition, case.typed, CONTEXT)
    assert checked.ok, checked.error
    assert checked.value == case.stored
    if case.refused is not None:
        refused = check_field(case.definition, case.refused, CONTEXT)
        assert not refused.ok and refused.value is None
        assert refused.error and refused.error.endswith('.')


@pytest.mark.parametrize('name', list(CASES))
def test_normalise_keeps_a_draft_json_friendly_and_bounded(name: str) -> None:
    case = CASES[name]
    kind = field_type(case.definition)
    kept = kind.normalise(case.typed, case.definition)
    assert isinstance(kept, str | bool)
    assert kind.normalise(None, case.definition) in ('', False)
    if isinstance(kept, str):
        long = kind.normalise('x' * 10_000, case.definition)
        assert isinstance(long, str) and len(long) <= max(case.definition.max_length * 2, 200)


@pytest.mark.parametrize('name', list(CASES))
def test_empty_answers_are_required_or_stored_empty(name: str) -> None:
    case = CASES[name]
    kind = field_type(case.definition)
    empty = 0 if kind.files else ''
    if name == 'checkbox':
        assert check_field(case.definition, False, CONTEXT).value is False  # unticked is an answer
        return
    required = FieldDefinition(case.definition.name, 'Kenttä', name, required=True)
    assert check_field(required, empty, CONTEXT).error == 'Kenttä on pakollinen tieto.'
    assert check_field(case.definition, empty, CONTEXT).value == kind.empty_value()


@pytest.mark.usefixtures('database')  # organisations are read back in the reader's language from the database
@pytest.mark.parametrize('name', list(CASES))
def test_display_reads_the_stored_value(name: str) -> None:
    case = CASES[name]
    value = ['a.pdf', 'b.png'] if name == 'attachments' else case.stored
    with using_language('fi'):
        assert field_type(case.definition).display(case.definition, value) == case.shown
        if name != 'checkbox':
            assert field_type(case.definition).display(case.definition, [] if name == 'attachments' else '') == EMPTY


def test_display_in_swedish_and_english() -> None:
    checkbox = CASES['checkbox'].definition
    with using_language('sv'):
        assert field_type(checkbox).display(checkbox, False) == 'Nej'
    with using_language('en'):
        assert field_type(checkbox).display(checkbox, True) == 'Yes'
        amount = CASES['amount'].definition
        assert field_type(amount).display(amount, '1234,50') == '€1,234.50'


@pytest.mark.parametrize('name', list(CASES))
def test_schema_describes_the_stored_value(name: str) -> None:
    case = CASES[name]
    schema = field_type(case.definition).schema(case.definition)
    for key, expected in case.schema.items():
        assert key in schema
        if expected:
            assert schema[key] == expected
    if schema['type'] == 'string' and name != 'attachments':
        assert isinstance(case.stored, str)
        if 'pattern' in schema:
            assert re.fullmatch(schema['pattern'], case.stored), (schema['pattern'], case.stored)
        if 'enum' in schema:
            assert case.stored in schema['enum']
        assert len(case.stored) <= schema.get('maxLength', 10_000)


def test_widgets_are_chosen_by_the_type() -> None:
    """Each type draws itself with one of the UI's building blocks (recorded here without a browser)."""
    class Recorder:
        organisation_names = ('Jyväskylän kaupunki',)

        def __init__(self) -> None:
            self.calls: list[tuple] = []

        def text_input(self, field: FieldDefinition, value: object, *, props: dict | None = None,
                       date_picker: bool = False, hint: bool = False) -> None:
            self.calls.append(('text_input', dict(props or {}), date_picker, hint))

        def textarea(self, field: FieldDefinition, value: object) -> None:
            self.calls.append(('textarea',))

        def radio(self, field: FieldDefinition, value: object, options: dict) -> None:
            self.calls.append(('radio', dict(options)))

        def checkbox(self, field: FieldDefinition, value: object) -> None:
            self.calls.append(('checkbox',))

        def select(self, field: FieldDefinition, value: object, options: list) -> None:
            self.calls.append(('select', list(options)))

        def upload(self, field: FieldDefinition) -> None:
            self.calls.append(('upload',))

    drawn = {}
    for name, case in CASES.items():
        kit = Recorder()
        field_type(case.definition).build_widget(kit, case.definition, case.stored)  # type: ignore[arg-type]
        drawn[name] = kit.calls
    assert drawn['phone'] == [('text_input', {'type': 'tel', 'autocomplete': 'tel'}, False, False)]
    assert drawn['date'] == [('text_input', {}, True, False)]
    assert drawn['iban'] == [('text_input', {}, False, True)]
    assert drawn['choice'] == [('radio', {'payer': 'Maksajalle', 'other': 'Muulle'})]
    assert drawn['organisation'] == [('select', ['Jyväskylän kaupunki', 'Laukaan kunta'])]  # the saved one kept
    assert [calls[0][0] for calls in drawn.values()].count('text_input') == 9


def test_the_iban_hint_names_the_bank_and_tidies_on_leaving() -> None:
    iban = FIELD_TYPES['iban']
    assert iban.tidy_on_blur and iban.input_text('FI4822223333444455') == 'FI48 2222 3333 4444 55'
    assert iban.hint('FI4822223333444455') == 'FI48 2222 3333 4444 55 · Nordea Bank Finland Plc · BIC NDEAFIHH'
    assert iban.hint('FI11') is None


# --- the example type: a Finnish business ID (Y-tunnus) -------------------------------------------------------

@pytest.mark.parametrize(('typed', 'stored'), [('2617416-4', '2617416-4'), ('26174164', '2617416-4'),
                                               (' 0208201-1 ', '0208201-1'), ('0112038-9', '0112038-9')])
def test_business_ids_are_stored_with_the_hyphen(typed: str, stored: str) -> None:
    assert check_field(CASES['business_id'].definition, typed, CONTEXT).value == stored


@pytest.mark.parametrize(('typed', 'message'), [
    ('2617416-5', 'Y-tunnuksen tarkistusnumero ei täsmää. Tarkista Y-tunnus.'),
    ('0208201-2', 'Y-tunnuksen tarkistusnumero ei täsmää. Tarkista Y-tunnus.'),
    ('261741-4', 'Anna Y-tunnus muodossa 1234567-8.'),
    ('ABCDEFG-H', 'Anna Y-tunnus muodossa 1234567-8.'),
])
def test_wrong_business_ids_are_refused(typed: str, message: str) -> None:
    assert check_field(CASES['business_id'].definition, typed, CONTEXT).error == message


def test_business_id_messages_are_translated() -> None:
    with using_language('sv'):
        assert 'FO-num' in (check_field(CASES['business_id'].definition, '2617416-5', CONTEXT).error or '')
    with using_language('en'):
        assert 'business ID' in (check_field(CASES['business_id'].definition, '1', CONTEXT).error or '')
