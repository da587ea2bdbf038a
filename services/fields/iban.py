"""A bank account as an IBAN: checksum and, for Finnish accounts, the account's check digit; read grouped by four
with the bank's name and BIC from schwifty's bundled registry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits

from locales import t

from .base import Checked, Context, FieldType, WidgetKit, compact, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_iban(raw: str) -> Checked:
    """An IBAN with a right checksum and, for Finnish accounts, a right account check digit; stored compact."""
    value = compact(raw).upper()
    if not value:
        return fail(t('Anna tilinumero IBAN-muodossa, esimerkiksi FI12 3456 7890 1234 56.'))
    try:
        iban = IBAN(value, validate_bban=True)
    except InvalidChecksumDigits:
        return fail(t('Tilinumero ei ole oikein: sen tarkistenumerot eivät täsmää. Tarkista tilinumero.'))
    except ValueError:
        return fail(t('Anna tilinumero IBAN-muodossa, esimerkiksi FI12 3456 7890 1234 56.'))
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


class IbanType(FieldType):
    name = 'iban'
    tidy_on_blur = True  # grouped by four on leaving the field, not on every keystroke (that garbles fast typing)

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.text_input(field, value, props=self.input_props, hint=True)

    def input_text(self, value: object) -> str | None:
        details = iban_details(str(value or ''))
        return details.formatted if details else str(value or '')

    def hint(self, raw: str) -> str | None:
        details = iban_details(raw) if raw.strip() else None
        if details is None:
            return None
        return t('{formatted} · {bank} · BIC {bic}', formatted=details.formatted,
                 bank=details.bank_name or t('pankki ei tiedossa'), bic=details.bic or '–')

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_iban(str(raw))

    def format(self, field: FieldDefinition, value: object) -> str:
        details = iban_details(str(value))
        if details is None:
            return str(value)
        bank = ', '.join(part for part in (details.bank_name, details.bic) if part)
        return f'{details.formatted} ({bank})' if bank else details.formatted

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$', 'description': 'IBAN, compact'}


TYPE = IbanType()
