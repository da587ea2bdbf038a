"""A telephone number, Finnish (0501234567) or international, stored as E.164 and read grouped."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import phonenumbers

from locales import t

from .base import Checked, Context, FieldType, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_phone(raw: str) -> Checked:
    """A Finnish (0501234567) or international (+46 70 123 4567) number, stored as E.164."""
    value = raw.strip()
    try:
        number = phonenumbers.parse(value, 'FI')
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return fail(t('Anna puhelinnumero muodossa 0501234567 tai +358501234567.'))
    return Checked(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(e164: str) -> str:
    """'+358501234567' → '+358 50 1234567' for reading."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


class PhoneType(FieldType):
    name = 'phone'
    input_props = {'type': 'tel', 'autocomplete': 'tel'}

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_phone(str(raw))

    def format(self, field: FieldDefinition, value: object) -> str:
        text = str(value)
        return format_phone(text) if text.startswith('+') else text

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': r'^\+[1-9]\d{6,14}$', 'description': 'E.164'}


TYPE = PhoneType()
