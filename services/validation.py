"""Checking a form's answer: the required rule for every field, then its type's own validator.

Each field type (`services.fields`) gives a `Checked`: `value` is the normalised form to store (E.164 phone, compact
IBAN, '27,00' amount, 'd.M.yyyy' date) and `error` None, or `value` None and `error` the message to show by the
field. The checkers other parts of the portal use on their own (own details, feedback, registration) are named
here too.
"""
from __future__ import annotations

from locales import t

from .fields import Checked, Context, field_type, form_text
from .fields.email import check_email
from .fields.phone import check_phone, format_phone
from .fields.text import check_text
from .forms.definition import FieldDefinition

__all__ = ['Checked', 'Context', 'check_email', 'check_field', 'check_phone', 'check_text', 'format_phone',
           'is_empty', 'required_message']


def is_empty(field: FieldDefinition, raw: object) -> bool:
    return field_type(field).is_empty(raw)


def required_message(label: str) -> str:
    """'Etunimi on pakollinen tieto.' — the field named, in the current language (label already translated)."""
    return t('{label} on pakollinen tieto.', label=label)


def check_field(field: FieldDefinition, raw: object, context: Context) -> Checked:
    """One answer: required and empty → the required message; empty and optional → its type's empty value; else
    its type's validator."""
    kind = field_type(field)
    if kind.is_empty(raw):
        if field.required:
            return Checked(None, form_text(field.required_message) if field.required_message
                           else required_message(form_text(field.label)))
        return Checked(kind.empty_value())
    return kind.validate(raw, field, context)
