"""A yes/no question as one checkbox (Asioi toisen puolesta): never empty, stored as true or false."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from locales import t

from .base import Checked, Context, FieldType, WidgetKit

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


class CheckboxType(FieldType):
    name = 'checkbox'
    wide = True

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.checkbox(field, value)

    def input_text(self, value: object) -> str | None:
        return None

    def is_empty(self, raw: object) -> bool:
        return False  # unticked is an answer too

    def normalise(self, raw: object, field: FieldDefinition) -> object:
        return bool(raw)

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return Checked(bool(raw))

    def display(self, field: FieldDefinition, value: object) -> str:
        return t('Kyllä') if value else t('Ei')

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'boolean'}


TYPE = CheckboxType()
