"""Answers as people read them: the preview, the request views, the PDF receipt and its email all show them the same
way, each field by its type's `display` (services.fields) and labelled in the form version it was filled in."""
from __future__ import annotations

from dataclasses import dataclass

from .fields import EMPTY, field_type, form_text
from .forms import FieldDefinition, FormDefinition

__all__ = ['EMPTY', 'AnswerRow', 'StepAnswers', 'answer_label', 'answer_sections', 'answer_value', 'display_value']


def display_value(field: FieldDefinition, value: object) -> str:
    """One answer for reading: IBAN in groups of four with the bank, amounts in euros, choices by their label."""
    return field_type(field).display(field, value)


def answer_value(field: FieldDefinition, answers: dict, attachment_names: dict[str, list[str]]) -> str:
    """A field's answer for reading; a field of files reads as the names of the files attached under it."""
    if field_type(field).files:
        return display_value(field, attachment_names.get(field.name, []))
    return display_value(field, answers.get(field.name))


def answer_label(field: FieldDefinition) -> str:
    """How the answer is named when read back, in the current language."""
    return form_text(field.answer_label or field.label)


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
    return [StepAnswers(form_text(step.title),
                        [AnswerRow(answer_label(field), answer_value(field, answers, attachment_names))
                         for field in form.visible_fields(index, answers)])
            for index, step in enumerate(form.steps)]
