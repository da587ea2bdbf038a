"""One of the field's options, as radio buttons in a fieldset; stored by the option's value, read by its label."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from locales import t

from .base import Checked, Context, FieldType, WidgetKit, fail, form_text

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_choice(raw: object, options: Iterable[str]) -> Checked:
    if raw not in tuple(options):
        return fail(t('Valitse jokin vaihtoehdoista.'))
    return Checked(raw)


class ChoiceType(FieldType):
    name = 'choice'
    wide = True

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.radio(field, value, {option: form_text(text) for option, text in field.options})

    def input_text(self, value: object) -> str | None:
        return None

    def normalise(self, raw: object, field: FieldDefinition) -> object:
        return '' if raw is None else str(raw)[:200]

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_choice(raw, (value for value, _ in field.options))

    def format(self, field: FieldDefinition, value: object) -> str:
        return next((form_text(label) for option, label in field.options if option == value), str(value))

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'enum': [value for value, _ in field.options]}


TYPE = ChoiceType()
