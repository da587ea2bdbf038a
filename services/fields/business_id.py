"""A Finnish business ID (Y-tunnus, '2617416-4'): seven digits, a hyphen and a check digit (python-stdnum).

The example of adding a field type: this module and its name in `FIELD_TYPE_MODULES` are all it takes; a form then
declares `FieldDefinition('business_id', N_('Y-tunnus'), 'business_id')`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fi import ytunnus

from locales import t

from .base import Checked, Context, FieldType, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition


class BusinessIdType(FieldType):
    name = 'business_id'
    input_props = {'autocomplete': 'off'}

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        try:
            return Checked(ytunnus.format(ytunnus.validate(str(raw))))  # '26174164' → '2617416-4'
        except InvalidChecksum:
            return fail(t('Y-tunnuksen tarkistusnumero ei täsmää. Tarkista Y-tunnus.'))
        except ValidationError:
            return fail(t('Anna Y-tunnus muodossa 1234567-8.'))

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'pattern': '^[0-9]{7}-[0-9]$', 'description': 'Finnish business ID (Y-tunnus)'}


TYPE = BusinessIdType()
