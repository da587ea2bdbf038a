"""Each field type's validator with valid and invalid examples: the normalised value, or a message naming
the problem."""
from datetime import date

import pytest

from services.fields.amount import check_amount, parse_amount
from services.fields.choice import check_choice
from services.fields.date import check_date
from services.fields.email import check_email
from services.fields.iban import check_iban, iban_details
from services.fields.organisation import check_organisation
from services.fields.phone import check_phone, format_phone
from services.fields.reference import check_reference, finnish_reference_check_digit, format_reference
from services.fields.text import check_text
from services.fields.year import check_year
from services.forms import FieldDefinition
from services.validation import Context, check_field

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(('raw', 'stored'), [
    ('FI48 2222 3333 4444 55', 'FI4822223333444455'),
    ('fi4822223333444455', 'FI4822223333444455'),
    ('FI48-2222-3333-4444-55', 'FI4822223333444455'),
    ('FI21 1234 5600 0007 85', 'FI2112345600000785'),
    ('DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'),
])
def test_valid_ibans_are_stored_compact(raw: str, stored: str) -> None:
    assert check_iban(raw).value == stored


def test_the_seeds_iban_is_refused_for_its_check_digits() -> None:
    checked = check_iban('FI11 2222 3333 4444 55')
    assert not checked.ok and 'tarkistenumerot' in (checked.error or '')


@pytest.mark.parametrize('raw', ['', 'FI48', 'FI48 2222 3333 4444 5', 'XX12 3456', '1234567890',
                                 'FI48 2222 3333 4444 56'])
def test_malformed_ibans_are_refused(raw: str) -> None:
    assert not check_iban(raw).ok


def test_iban_details_give_grouping_bank_and_bic() -> None:
    details = iban_details('FI4822223333444455')
    assert details is not None
    assert details.formatted == 'FI48 2222 3333 4444 55'
    assert details.bic == 'NDEAFIHH'
    assert 'Nordea' in (details.bank_name or '')
    assert iban_details('FI1122223333444455') is None


@pytest.mark.parametrize(('raw', 'stored'), [('1232', '1232'), ('123 45614', '12345614'), ('13', None),
                                              ('RF18 5390 0754 7034', 'RF18539007547034'), ('rf18539007547034',
                                                                                             'RF18539007547034')])
def test_reference_numbers(raw: str, stored: str | None) -> None:
    checked = check_reference(raw)
    assert checked.value == stored
    assert checked.ok == (stored is not None)


@pytest.mark.parametrize('raw', ['1233', '12345615', 'RF19 5390 0754 7034', 'ABC123', '1' * 21])
def test_wrong_reference_numbers_are_refused(raw: str) -> None:
    assert not check_reference(raw).ok


def test_reference_check_digit_and_grouping() -> None:
    assert finnish_reference_check_digit('123') == 2
    assert finnish_reference_check_digit('1234561') == 4
    assert format_reference('12345614') == '123 45614'
    assert format_reference('RF18539007547034') == 'RF18 5390 0754 7034'


@pytest.mark.parametrize(('raw', 'stored'), [('27,00', '27,00'), ('27', '27,00'), ('27,5', '27,50'),
                                              ('1 234,56 €', '1234,56'), ('27.00', '27,00'), ('0,01', '0,01'),
                                              ('1\u00a0000', '1000,00')])
def test_amounts_in_finnish_format(raw: str, stored: str) -> None:
    checked = check_amount(raw)
    assert checked.value == stored
    assert parse_amount(checked.value) > 0


@pytest.mark.parametrize(('raw', 'phrase'), [('0', 'suurempi kuin nolla'), ('0,00', 'suurempi kuin nolla'),
                                              ('-5', 'suurempi kuin nolla'), ('27,001', 'kahdella desimaalilla'),
                                              ('1.234', 'kahdella desimaalilla'), ('abc', 'euroina'),
                                              ('27,0,0', 'euroina')])
def test_wrong_amounts_are_refused(raw: str, phrase: str) -> None:
    checked = check_amount(raw)
    assert not checked.ok and phrase in (checked.error or '')


def test_dates() -> None:
    assert check_date('27.1.2023', today=TODAY).value == '27.1.2023'
    assert check_date('27.01.2023', today=TODAY).value == '27.1.2023'
    assert check_date('30.11.2026', today=TODAY).ok
    assert 'tulevaisuudessa' in (check_date('1.12.2026', today=TODAY).error or '')
    assert check_date('1.12.2026', future_allowed=True, today=TODAY).value == '1.12.2026'
    for wrong in ('31.2.2023', '2023-01-27', '27/1/2023', '1.1.1850', ''):
        assert not check_date(wrong, today=TODAY).ok, wrong


def test_years() -> None:
    assert check_year('2022', today=TODAY).value == '2022'
    assert check_year('2027', today=TODAY).ok
    for wrong in ('2028', '1999', '22', 'abcd'):
        assert not check_year(wrong, today=TODAY).ok


def test_emails() -> None:
    assert check_email(' Onni.K@Example.FI ').value == 'Onni.K@example.fi'
    assert check_email('645516@generated.invalid').ok
    for wrong in ('onni', 'onni@', '@example.fi', 'onni@example', 'on ni@example.fi', 'a@b..fi'):
        assert not check_email(wrong).ok, wrong


def test_phone_numbers_are_stored_as_e164() -> None:
    assert check_phone('0501234567').value == '+358501234567'
    assert check_phone('050 123 4567').value == '+358501234567'
    assert check_phone('+358 50 123 4567').value == '+358501234567'
    assert check_phone('014 266 0000').value == '+358142660000'
    assert check_phone('+46 70 123 45 67').value == '+46701234567'
    for wrong in ('123', 'puhelin', '+358 1', '050123456789012'):
        assert not check_phone(wrong).ok, wrong
    assert format_phone('+358501234567') == '+358 50 1234567'


def test_text_length_and_choices_and_organisations() -> None:
    assert check_text('  Onni ', max_length=10).value == 'Onni'
    assert 'enintään 3' in (check_text('abcd', max_length=3).error or '')
    assert check_choice('payer', ['payer', 'other']).value == 'payer'
    assert not check_choice('someone', ['payer', 'other']).ok
    names = ('Jyväskylän kaupunki', 'Laukaan kunta')
    assert check_organisation('jyväskylän KAUPUNKI', names).value == 'Jyväskylän kaupunki'
    assert not check_organisation('Jyväskylä', names).ok


def test_required_fields_are_named_in_the_message() -> None:
    field = FieldDefinition('first_name', 'Etunimi', required=True)
    checked = check_field(field, '  ', Context())
    assert checked.error == 'Etunimi on pakollinen tieto.'
    optional = FieldDefinition('unit', 'Yksikkö')
    assert check_field(optional, '', Context()).value == ''
    choice = FieldDefinition('refund_target', 'Valitse', 'choice', required=True, options=(('a', 'A'),),
                             required_message='Valitse, kenen tilille palautus maksetaan.')
    assert check_field(choice, '', Context()).error == 'Valitse, kenen tilille palautus maksetaan.'
    attachments = FieldDefinition('tax_card', 'Verokortti (liite)', 'attachments', required=True)
    assert check_field(attachments, 0, Context()).error == 'Verokortti (liite) on pakollinen tieto.'
    assert check_field(attachments, 1, Context()).ok
