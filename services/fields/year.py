"""A year (a tax year): four digits from 2000 to next year."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from locales import t

from .base import Checked, Context, FieldType, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_year(raw: str, *, today: date | None = None) -> Checked:
    """A tax year: four digits, from 2000 to next year."""
    value = raw.strip()
    this_year = (today or date.today()).year
    if not (value.isdigit() and len(value) == 4 and 2000 <= int(value) <= this_year + 1):
        return fail(t('Anna vuosi neljällä numerolla väliltä 2000–{last}.', last=this_year + 1))
    return Checked(value)


class YearType(FieldType):
    name = 'year'
    input_props = {'inputmode': 'numeric'}

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_year(str(raw), today=context.today)

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': '^[0-9]{4}$'}


TYPE = YearType()
