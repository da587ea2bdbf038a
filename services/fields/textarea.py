"""Several lines of free text (Lisätietoja), drawn under its own heading across the whole row."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Checked, Context, FieldType, WidgetKit
from .text import check_text

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


class TextareaType(FieldType):
    name = 'textarea'
    wide = True

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.textarea(field, value)

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_text(str(raw), max_length=field.max_length, multiline=True)


TYPE = TextareaType()
