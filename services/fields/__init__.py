"""Field types, one module each, registered by name in `FIELD_TYPE_MODULES`.

A form field names its type (`FieldDefinition(..., type='iban')`); everything done with its answer — the widget,
tidying, checking, reading back, the API schema — is in the type's module (`base.FieldType`). Adding a type is one
module with a `TYPE` and one line below.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .base import EMPTY, Checked, Context, FieldType, VersionText, WidgetKit, compact, form_text

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition

# The name of each type is its module's name here.
FIELD_TYPE_MODULES: tuple[str, ...] = (
    'text',
    'textarea',
    'email',
    'phone',
    'iban',
    'reference',
    'amount',
    'date',
    'year',
    'choice',
    'checkbox',
    'organisation',
    'attachments',
    'business_id',
)

FIELD_TYPES: dict[str, FieldType] = {name: import_module(f'{__name__}.{name}').TYPE for name in FIELD_TYPE_MODULES}


def field_type(field: FieldDefinition) -> FieldType:
    """The type of a form field (a KeyError names a type that is not registered)."""
    return FIELD_TYPES[field.type]


__all__ = ['EMPTY', 'FIELD_TYPES', 'FIELD_TYPE_MODULES', 'Checked', 'Context', 'FieldType', 'VersionText',
           'WidgetKit', 'compact', 'field_type', 'form_text']
