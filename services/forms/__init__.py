"""The form catalogue: every service's form, declared as data."""
from .definition import Condition, FieldDefinition, FormDefinition, StepDefinition
from .refund import REFUND_FORM
from .tax_card import TAX_CARD_FORM

FORMS: dict[str, FormDefinition] = {form.code: form for form in (REFUND_FORM, TAX_CARD_FORM)}


def get_form(code: str) -> FormDefinition | None:
    return FORMS.get(code)


__all__ = ['FORMS', 'REFUND_FORM', 'TAX_CARD_FORM', 'Condition', 'FieldDefinition', 'FormDefinition',
           'StepDefinition', 'get_form']
