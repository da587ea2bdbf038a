"""A line of text (a name, a customer number): control characters removed, within the field's length."""
from __future__ import annotations

from typing import TYPE_CHECKING

from locales import nt
from services.text_hygiene import clean_line, clean_text

from .base import Checked, Context, FieldType, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_text(raw: str, *, max_length: int = 200, multiline: bool = False) -> Checked:
    """Text without control characters (services/text_hygiene.py); one line unless `multiline`."""
    value = (clean_text(raw) if multiline else clean_line(raw)).strip()
    if len(value) > max_length:
        return fail(nt('Teksti on liian pitkä: enintään {count} merkki.',
                       'Teksti on liian pitkä: enintään {count} merkkiä.', max_length))
    return Checked(value)


class TextType(FieldType):
    name = 'text'

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_text(str(raw), max_length=field.max_length)


TYPE = TextType()
