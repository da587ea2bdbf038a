"""Answers as people read them: the preview, the confirmation and the PDF receipt all show them the same way."""
from __future__ import annotations

from dataclasses import dataclass

from locales import t

from .formatting import format_amount
from .forms import FieldDefinition, FieldKind, FormDefinition
from .organisations import organisation_display_name
from .validation import check_amount, format_phone, format_reference, iban_details, parse_amount

EMPTY = '–'


def display_value(field: FieldDefinition, value: object) -> str:
    """One answer for reading: IBAN in groups of four with the bank, amounts in euros, choices by their label."""
    if field.kind == FieldKind.CHECKBOX:
        return t('Kyllä') if value else t('Ei')
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    text = str(value)
    if field.kind == FieldKind.ORGANISATION:  # recorded by its Finnish name, shown in the reader's language
        return organisation_display_name(text)
    if field.kind == FieldKind.CHOICE:
        return next((t(label) for option, label in field.options if option == value), text)
    if field.kind == FieldKind.IBAN:
        details = iban_details(text)
        if details is None:
            return text
        bank = ', '.join(part for part in (details.bank_name, details.bic) if part)
        return f'{details.formatted} ({bank})' if bank else details.formatted
    if field.kind == FieldKind.AMOUNT:
        checked = check_amount(text)
        return format_amount(parse_amount(str(checked.value))) if checked.ok else text
    if field.kind == FieldKind.PHONE and text.startswith('+'):
        return format_phone(text)
    if field.kind == FieldKind.REFERENCE and (text.isdigit() or text.startswith('RF')):
        return format_reference(text)
    return text


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str


@dataclass(frozen=True)
class StepAnswers:
    title: str
    rows: list[AnswerRow]


def answer_sections(form: FormDefinition, answers: dict, attachment_names: dict[str, list[str]]) -> list[StepAnswers]:
    """Every shown field of every step with its answer, in the current language."""
    sections = []
    for index, step in enumerate(form.steps):
        rows = []
        for field in form.visible_fields(index, answers):
            if field.kind == FieldKind.ATTACHMENTS:
                value = ', '.join(attachment_names.get(field.name, [])) or EMPTY
            else:
                value = display_value(field, answers.get(field.name))
            rows.append(AnswerRow(t(field.answer_label or field.label), value))
        sections.append(StepAnswers(t(step.title), rows))
    return sections
