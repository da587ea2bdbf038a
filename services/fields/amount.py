"""A sum of euros in Finnish format ('27,00', '1 234,5', '27 €'): above zero, at most two decimals."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from locales import t
from services.formatting import format_amount

from .base import Checked, Context, FieldType, fail, without_spaces

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition

MAX_AMOUNT = Decimal('100000000')  # a refund above this is a typo, not a refund
_AMOUNT = re.compile(r'^(\d+)(?:[,.](\d{1,2}))?$')


def check_amount(raw: str) -> Checked:
    """Euros in Finnish format ('27,00', '1 234,5', '27 €'): above zero, at most two decimals; stored as '27,00'."""
    value = without_spaces(raw.replace('€', '')).removeprefix('+')
    if value.startswith('-'):
        return fail(t('Summan tulee olla suurempi kuin nolla.'))
    match = _AMOUNT.match(value)
    if not match:
        if re.match(r'^\d+[,.]\d{3,}$', value):
            return fail(t('Anna summa enintään kahdella desimaalilla, esimerkiksi 27,00.'))
        return fail(t('Anna summa euroina, esimerkiksi 27,00.'))
    try:
        amount = Decimal(f'{match.group(1)}.{match.group(2) or "0"}')
    except InvalidOperation:
        return fail(t('Anna summa euroina, esimerkiksi 27,00.'))
    if amount <= 0:
        return fail(t('Summan tulee olla suurempi kuin nolla.'))
    if amount >= MAX_AMOUNT:
        return fail(t('Summa on liian suuri.'))
    return Checked(format_amount_input(amount))


def format_amount_input(amount: Decimal) -> str:
    """Decimal('1234.5') → '1234,50': what the field shows and the answers keep."""
    return f'{amount.quantize(Decimal("0.01"))}'.replace('.', ',')


def parse_amount(value: str) -> Decimal:
    """A stored amount ('27,00') as a Decimal."""
    return Decimal(value.replace(',', '.'))


class AmountType(FieldType):
    name = 'amount'
    input_props = {'inputmode': 'decimal', 'suffix': '€'}

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_amount(str(raw))

    def format(self, field: FieldDefinition, value: object) -> str:
        checked = check_amount(str(value))
        return format_amount(parse_amount(str(checked.value))) if checked.ok else str(value)

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': r'^[0-9]+,[0-9]{2}$', 'description': 'euros, e.g. "27,00"'}


TYPE = AmountType()
