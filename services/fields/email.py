"""An email address: a plain address check, the domain in lower case."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from locales import t

from .base import Checked, Context, FieldType, fail

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def check_email(raw: str) -> Checked:
    value = raw.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        return fail(t('Anna sähköpostiosoite muodossa nimi@esimerkki.fi.'))
    local, domain = value.rsplit('@', 1)
    return Checked(f'{local}@{domain.lower()}')


class EmailType(FieldType):
    name = 'email'
    input_props = {'type': 'email', 'autocomplete': 'email'}

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        return check_email(str(raw))

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        return {'type': 'string', 'format': 'email', 'maxLength': 254}


TYPE = EmailType()
