"""A customer organisation picked by searching as you type; stored by its Finnish name, read in the reader's
language."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from locales import t
from services.organisations import organisation_display_name

from .base import Checked, Context, FieldType, WidgetKit, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_organisation(raw: str, known_names: Iterable[str]) -> Checked:
    """An organisation picked from the list: its exact name (case-insensitive match is accepted and corrected)."""
    value = raw.strip()
    by_folded = {name.casefold(): name for name in known_names}
    if value.casefold() not in by_folded:
        return fail(t('Valitse organisaatio hakulistasta.'))
    return Checked(by_folded[value.casefold()])


class OrganisationType(FieldType):
    name = 'organisation'

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        names = list(kit.organisation_names)
        if value and value not in names:
            names.append(str(value))  # keep what was saved even if the organisation left the list
        kit.select(field, value, names)

    def input_text(self, value: object) -> str | None:
        return None

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_organisation(str(raw), context.organisation_names)

    def format(self, field: FieldDefinition, value: object) -> str:
        return organisation_display_name(str(value))


TYPE = OrganisationType()
