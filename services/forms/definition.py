"""The shape of a form declared as data: steps of fields, each with its type, required mark and condition.

One wizard component renders any `FormDefinition`; adding a service means adding a definition, not page code.
What a field's type does (widget, checks, display) is in `services.fields`. Labels are Finnish texts that go through
the translation layer when shown (`services.fields.form_text`; a published version carries its own translations).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from models import ServiceAudience


@dataclass(frozen=True)
class Condition:
    """Show (and require) a field only when another field has one of the given values."""

    field: str
    values: tuple[object, ...]

    def holds(self, answers: dict) -> bool:
        return answers.get(self.field) in self.values


@dataclass(frozen=True)
class FieldDefinition:
    name: str
    label: str
    type: str = 'text'  # a name in services.fields.FIELD_TYPE_MODULES
    required: bool = False
    help: str = ''
    options: tuple[tuple[str, str], ...] = ()  # (value, Finnish label) for a choice
    condition: Condition | None = None
    max_length: int = 200
    prefill: str | None = None  # a key of the signed-in user's details: given_name, surname, email, phone, ...
    wide: bool = False  # takes the whole row
    future_allowed: bool = False  # for a date: most dates asked are of past events
    required_message: str = ''  # when '<label> on pakollinen tieto.' would not say what is missing (N_-marked)
    # How the answer is named when read back (preview, confirmation, PDF receipt) where the label on the form screen
    # is an instruction ("Valitse", "Organisaatiohaku") rather than a name for the answer.
    answer_label: str = ''


@dataclass(frozen=True)
class StepDefinition:
    key: str
    title: str
    fields: tuple[FieldDefinition, ...]
    intro: str = ''


@dataclass(frozen=True)
class FormDefinition:
    code: str
    title: str
    description: str
    audience: ServiceAudience
    steps: tuple[StepDefinition, ...]
    instructions: tuple[str, ...] = ()
    position: int = 0
    field_map: dict[str, FieldDefinition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, 'field_map', {f.name: f for step in self.steps for f in step.fields})

    def visible_fields(self, step_index: int, answers: dict) -> list[FieldDefinition]:
        return [f for f in self.steps[step_index].fields if f.condition is None or f.condition.holds(answers)]
