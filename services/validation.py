"""Validators for form answers: pure functions that give a normalised value or a translated message.

Each `check_*` function takes what the user typed and returns a `Checked`: `value` is the normalised form to store
(E.164 phone, compact IBAN, '27,00' amount, 'd.M.yyyy' date) and `error` is None, or `value` is None and `error` is
the message to show by the field. `VALIDATORS` maps every `FieldKind` to its validator so one loop checks any form.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import phonenumbers
from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits
from stdnum import iso11649

from locales import nt, t

from .forms.definition import FieldDefinition, FieldKind
from .text_hygiene import clean_line, clean_text

MAX_AMOUNT = Decimal('100000000')  # a refund above this is a typo, not a refund
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_AMOUNT = re.compile(r'^(\d+)(?:[,.](\d{1,2}))?$')
_SPACES = re.compile(r'[\s\u00a0\u202f]+')


@dataclass(frozen=True)
class Checked:
    value: object | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _fail(message: str) -> Checked:
    return Checked(None, message)


def compact(text: str) -> str:
    """Without spaces of any kind (also no-break spaces from copy-paste) or hyphens."""
    return _SPACES.sub('', text).replace('-', '')


def check_text(raw: str, *, max_length: int = 200, multiline: bool = False) -> Checked:
    """Text without control characters (services/text_hygiene.py); one line unless `multiline`."""
    value = (clean_text(raw) if multiline else clean_line(raw)).strip()
    if len(value) > max_length:
        return _fail(nt('Teksti on liian pitkä: enintään {count} merkki.',
                        'Teksti on liian pitkä: enintään {count} merkkiä.', max_length))
    return Checked(value)


def check_email(raw: str) -> Checked:
    value = raw.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        return _fail(t('Anna sähköpostiosoite muodossa nimi@esimerkki.fi.'))
    local, domain = value.rsplit('@', 1)
    return Checked(f'{local}@{domain.lower()}')


def check_phone(raw: str) -> Checked:
    """A Finnish (0501234567) or international (+46 70 123 4567) number, stored as E.164."""
    value = raw.strip()
    try:
        number = phonenumbers.parse(value, 'FI')
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return _fail(t('Anna puhelinnumero muodossa 0501234567 tai +358501234567.'))
    return Checked(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(e164: str) -> str:
    """'+358501234567' → '+358 50 1234567' for reading."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def check_iban(raw: str) -> Checked:
    """An IBAN with a right checksum and, for Finnish accounts, a right account check digit; stored compact."""
    value = compact(raw).upper()
    if not value:
        return _fail(t('Anna tilinumero IBAN-muodossa, esimerkiksi FI12 3456 7890 1234 56.'))
    try:
        iban = IBAN(value, validate_bban=True)
    except InvalidChecksumDigits:
        return _fail(t('Tilinumero ei ole oikein: sen tarkistenumerot eivät täsmää. Tarkista tilinumero.'))
    except ValueError:
        return _fail(t('Anna tilinumero IBAN-muodossa, esimerkiksi FI12 3456 7890 1234 56.'))
    return Checked(iban.compact)


@dataclass(frozen=True)
class BankDetails:
    formatted: str  # 'FI48 2222 3333 4444 55'
    bank_name: str | None
    bic: str | None


def iban_details(value: str) -> BankDetails | None:
    """The IBAN grouped by four with the bank's name and BIC (from schwifty's bundled registry), if it is valid."""
    try:
        iban = IBAN(compact(value).upper(), validate_bban=True)
    except ValueError:
        return None
    bank = iban.bank
    name = bank.get('name') if isinstance(bank, dict) else getattr(bank, 'name', None)
    bic = str(iban.bic) if iban.bic else None
    return BankDetails(iban.formatted, _tidy_bank_name(name) if name else None, bic)


def _tidy_bank_name(name: str) -> str:
    """The registry spells names in capitals ('NORDEA BANK FINLAND PLC'); people read 'Nordea Bank Finland Plc'."""
    return ' '.join(word if len(word) <= 3 and word.isupper() and word not in ('PLC', 'OYJ', 'AB') else
                    word.capitalize() for word in name.split())


def finnish_reference_check_digit(base: str) -> int:
    """The 7-3-1 check digit of a Finnish reference number's base, weights counted from the right."""
    weights = (7, 3, 1)
    total = sum(int(digit) * weights[i % 3] for i, digit in enumerate(reversed(base)))
    return (10 - total % 10) % 10


def check_reference(raw: str) -> Checked:
    """A Finnish reference number (4–20 digits, 7-3-1 check digit) or an RF creditor reference (ISO 11649)."""
    value = compact(raw).upper()
    if value.startswith('RF'):
        if iso11649.is_valid(value):
            return Checked(iso11649.compact(value))
        return _fail(t('RF-viitteen tarkiste ei täsmää. Tarkista viitenumero.'))
    if not value.isdigit() or not 4 <= len(value) <= 20:
        return _fail(t('Anna viitenumero numeroina (4–20 numeroa) tai RF-viitteenä.'))
    if finnish_reference_check_digit(value[:-1]) != int(value[-1]):
        return _fail(t('Viitenumeron tarkiste ei täsmää. Tarkista viitenumero.'))
    return Checked(value)


def format_reference(value: str) -> str:
    """Finnish references in groups of five from the right ('123 45614'), RF references in groups of four."""
    if value.startswith('RF'):
        return iso11649.format(value)
    groups = []
    while value:
        groups.insert(0, value[-5:])
        value = value[:-5]
    return ' '.join(groups)


def check_amount(raw: str) -> Checked:
    """Euros in Finnish format ('27,00', '1 234,5', '27 €'): above zero, at most two decimals; stored as '27,00'."""
    value = _SPACES.sub('', raw.replace('€', '')).removeprefix('+')
    if value.startswith('-'):
        return _fail(t('Summan tulee olla suurempi kuin nolla.'))
    match = _AMOUNT.match(value)
    if not match:
        if re.match(r'^\d+[,.]\d{3,}$', value):
            return _fail(t('Anna summa enintään kahdella desimaalilla, esimerkiksi 27,00.'))
        return _fail(t('Anna summa euroina, esimerkiksi 27,00.'))
    try:
        amount = Decimal(f'{match.group(1)}.{match.group(2) or "0"}')
    except InvalidOperation:
        return _fail(t('Anna summa euroina, esimerkiksi 27,00.'))
    if amount <= 0:
        return _fail(t('Summan tulee olla suurempi kuin nolla.'))
    if amount >= MAX_AMOUNT:
        return _fail(t('Summa on liian suuri.'))
    return Checked(format_amount_input(amount))


def format_amount_input(amount: Decimal) -> str:
    """Decimal('1234.5') → '1234,50': what the field shows and the answers keep."""
    return f'{amount.quantize(Decimal("0.01"))}'.replace('.', ',')


def parse_amount(value: str) -> Decimal:
    """A stored amount ('27,00') as a Decimal."""
    return Decimal(value.replace(',', '.'))


def check_date(raw: str, *, future_allowed: bool = False, today: date | None = None) -> Checked:
    """A date as d.M.yyyy (27.1.2023 or 27.01.2023), by default not in the future; stored as '27.1.2023'."""
    value = raw.strip()
    try:
        parsed = datetime.strptime(value, '%d.%m.%Y').date()
    except ValueError:
        return _fail(t('Anna päivämäärä muodossa p.k.vvvv, esimerkiksi 27.1.2023.'))
    if parsed.year < 1900:
        return _fail(t('Anna päivämäärä muodossa p.k.vvvv, esimerkiksi 27.1.2023.'))
    if not future_allowed and parsed > (today or date.today()):
        return _fail(t('Päivämäärä ei voi olla tulevaisuudessa.'))
    return Checked(f'{parsed.day}.{parsed.month}.{parsed.year}')


def check_year(raw: str, *, today: date | None = None) -> Checked:
    """A tax year: four digits, from 2000 to next year."""
    value = raw.strip()
    this_year = (today or date.today()).year
    if not (value.isdigit() and len(value) == 4 and 2000 <= int(value) <= this_year + 1):
        return _fail(t('Anna vuosi neljällä numerolla väliltä 2000–{last}.', last=this_year + 1))
    return Checked(value)


def check_choice(raw: object, options: Iterable[str]) -> Checked:
    if raw not in tuple(options):
        return _fail(t('Valitse jokin vaihtoehdoista.'))
    return Checked(raw)


def check_checkbox(raw: object) -> Checked:
    return Checked(bool(raw))


def check_organisation(raw: str, known_names: Iterable[str]) -> Checked:
    """An organisation picked from the list: its exact name (case-insensitive match is accepted and corrected)."""
    value = raw.strip()
    by_folded = {name.casefold(): name for name in known_names}
    if value.casefold() not in by_folded:
        return _fail(t('Valitse organisaatio hakulistasta.'))
    return Checked(by_folded[value.casefold()])


@dataclass(frozen=True)
class Context:
    """What some validators need beyond the typed text."""

    organisation_names: tuple[str, ...] = ()
    today: date | None = None


Validator = Callable[[object, FieldDefinition, Context], Checked]

VALIDATORS: dict[FieldKind, Validator] = {
    FieldKind.TEXT: lambda raw, field, _: check_text(str(raw), max_length=field.max_length),
    FieldKind.TEXTAREA: lambda raw, field, _: check_text(str(raw), max_length=field.max_length, multiline=True),
    FieldKind.EMAIL: lambda raw, _field, _: check_email(str(raw)),
    FieldKind.PHONE: lambda raw, _field, _: check_phone(str(raw)),
    FieldKind.IBAN: lambda raw, _field, _: check_iban(str(raw)),
    FieldKind.REFERENCE: lambda raw, _field, _: check_reference(str(raw)),
    FieldKind.AMOUNT: lambda raw, _field, _: check_amount(str(raw)),
    FieldKind.DATE: lambda raw, field, ctx: check_date(str(raw), future_allowed=field.future_allowed,
                                                       today=ctx.today),
    FieldKind.YEAR: lambda raw, _field, ctx: check_year(str(raw), today=ctx.today),
    FieldKind.CHOICE: lambda raw, field, _: check_choice(raw, (value for value, _ in field.options)),
    FieldKind.CHECKBOX: lambda raw, _field, _: check_checkbox(raw),
    FieldKind.ORGANISATION: lambda raw, _field, ctx: check_organisation(str(raw), ctx.organisation_names),
    # Attachments are checked one by one as they arrive (services.attachments.check_upload); here only their count.
    FieldKind.ATTACHMENTS: lambda raw, _field, _: Checked(raw),
}


def is_empty(raw: object, kind: FieldKind) -> bool:
    if kind == FieldKind.CHECKBOX:
        return False
    if kind == FieldKind.ATTACHMENTS:
        return not raw
    return raw is None or (isinstance(raw, str) and not raw.strip())


def required_message(label: str) -> str:
    """'Etunimi on pakollinen tieto.' — the field named, in the current language (label already translated)."""
    return t('{label} on pakollinen tieto.', label=label)


def check_field(field: FieldDefinition, raw: object, context: Context) -> Checked:
    """One answer: required and empty → the required message; empty and optional → ''; else its kind's validator."""
    if is_empty(raw, field.kind):
        if field.required:
            return _fail(t(field.required_message) if field.required_message else required_message(t(field.label)))
        return Checked([] if field.kind == FieldKind.ATTACHMENTS else '')
    return VALIDATORS[field.kind](raw, field, context)
