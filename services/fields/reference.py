"""A payment reference: a Finnish viitenumero (7-3-1 check digit) or an RF creditor reference (ISO 11649)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stdnum import iso11649

from locales import t

from .base import Checked, Context, FieldType, compact, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


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
        return fail(t('RF-viitteen tarkiste ei täsmää. Tarkista viitenumero.'))
    if not value.isdigit() or not 4 <= len(value) <= 20:
        return fail(t('Anna viitenumero numeroina (4–20 numeroa) tai RF-viitteenä.'))
    if finnish_reference_check_digit(value[:-1]) != int(value[-1]):
        return fail(t('Viitenumeron tarkiste ei täsmää. Tarkista viitenumero.'))
    return Checked(value)


def format_reference(value: str) -> str:
    """Finnish references in groups of five from the right ('123 45614'), RF references in groups of four."""
    if value.startswith('RF'):
        return iso11649.format(value)
    groups: list[str] = []
    while value:
        groups.insert(0, value[-5:])
        value = value[:-5]
    return ' '.join(groups)


class ReferenceType(FieldType):
    name = 'reference'
    # No numeric keyboard: 'RF' needs letters.

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_reference(str(raw))

    def format(self, field: FieldDefinition, value: object) -> str:
        text = str(value)
        return format_reference(text) if text.isdigit() or text.startswith('RF') else text

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': '^([0-9]{4,20}|RF[0-9]{2}[0-9A-Z]{1,21})$'}


TYPE = ReferenceType()
