"""Files attached under the field. Each file is checked as it arrives (services.attachments.check_upload); the
answer is not kept in the answers: the form checks how many there are, and people read their names."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import EMPTY, Checked, Context, FieldType, WidgetKit

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


class AttachmentsType(FieldType):
    name = 'attachments'
    wide = True
    files = True

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.upload(field)

    def input_text(self, value: object) -> str | None:
        return None

    def is_empty(self, raw: object) -> bool:
        return not raw  # no files (a count of 0, an empty list of names)

    def empty_value(self) -> object:
        return []

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return Checked(raw)

    def display(self, field: FieldDefinition, value: object) -> str:
        """`value` is the list of the files' names."""
        names = [str(name) for name in value] if isinstance(value, list | tuple) else []
        return ', '.join(names) or EMPTY

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'array', 'items': {'type': 'string'},
                'description': 'not in the answers: the files are listed under attachments with this field_name'}


TYPE = AttachmentsType()
