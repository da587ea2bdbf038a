"""A day as d.M.yyyy (27.1.2023 or 27.01.2023) with a calendar; by default not in the future."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from locales import N_, t

from .base import Checked, Context, FieldType, WidgetKit, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


def check_date(raw: str, *, future_allowed: bool = False, today: date | None = None) -> Checked:
    """A date as d.M.yyyy (27.1.2023 or 27.01.2023), by default not in the future; stored as '27.1.2023'."""
    value = raw.strip()
    try:
        parsed = datetime.strptime(value, '%d.%m.%Y').date()
    except ValueError:
        return fail(t('Anna päivämäärä muodossa p.k.vvvv, esimerkiksi 27.1.2023.'))
    if parsed.year < 1900:
        return fail(t('Anna päivämäärä muodossa p.k.vvvv, esimerkiksi 27.1.2023.'))
    if not future_allowed and parsed > (today or date.today()):
        return fail(t('Päivämäärä ei voi olla tulevaisuudessa.'))
    return Checked(f'{parsed.day}.{parsed.month}.{parsed.year}')


class DateType(FieldType):
    name = 'date'
    default_help = N_('muodossa p.k.vvvv, esim. 27.1.2023')
    # No numeric keyboard: a Finnish decimal pad has no dot.

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.text_input(field, value, props=self.input_props, date_picker=True)

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_date(str(raw), future_allowed=field.future_allowed, today=context.today)

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': r'^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}$', 'description': 'd.M.yyyy'}


TYPE = DateType()
