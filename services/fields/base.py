"""What every field type provides, and the small pieces the types share.

A field type (`FieldType`) is one kind of answer — text, IBAN, date … — with everything the portal does with it:
the widget it is drawn with (through `WidgetKit`, so no UI library is imported here), how a typed value is tidied
for the draft (`normalise`), how it is checked and brought to its stored form (`validate`), how it is read back in
the preview, request views, PDF receipt and email (`display`), and its JSON schema for the integration API
(`schema`). Each type lives in its own module of `services.fields` and is registered there by name.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from locales import pick, t

if TYPE_CHECKING:
    from services.forms.definition import FieldDefinition

EMPTY = '–'  # an answer not given, as people read it
_SPACES = re.compile(r'[\s\u00a0\u202f]+')


@dataclass(frozen=True)
class Checked:
    """The result of checking one answer: the value to store and no error, or no value and the message to show."""

    value: object | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def fail(message: str) -> Checked:
    return Checked(None, message)


def compact(text: str) -> str:
    """Without spaces of any kind (also no-break spaces from copy-paste) or hyphens."""
    return _SPACES.sub('', text).replace('-', '')


def without_spaces(text: str) -> str:
    return _SPACES.sub('', text)


@dataclass(frozen=True)
class Context:
    """What some validators need beyond the typed text."""

    organisation_names: tuple[str, ...] = ()
    today: date | None = None


class WidgetKit(Protocol):
    """The building blocks a form's UI offers a field type (components/form_wizard.py implements them).

    A type says which block it is drawn with and how; the UI does the drawing, labels, help texts, error messages
    and saving the same way for every type.
    """

    organisation_names: tuple[str, ...]

    def text_input(self, field: FieldDefinition, value: object, *, props: Mapping[str, str] = ...,
                   date_picker: bool = False, hint: bool = False) -> None:
        """A one-line input; `date_picker` adds a calendar button, `hint` a line under it for `FieldType.hint`."""

    def textarea(self, field: FieldDefinition, value: object) -> None: ...

    def radio(self, field: FieldDefinition, value: object, options: Mapping[str, str]) -> None:
        """Radio buttons in a fieldset; `options` maps stored values to the texts shown."""

    def checkbox(self, field: FieldDefinition, value: object) -> None: ...

    def select(self, field: FieldDefinition, value: object, options: Sequence[str]) -> None:
        """Search as you type over `options`."""

    def upload(self, field: FieldDefinition) -> None:
        """Files added to the draft one by one (checked by services.attachments as they arrive)."""


class FieldType:
    """The behaviour of one kind of field; subclass it in a module of `services.fields` and set `TYPE`.

    The defaults suit a one-line text answer: override what differs.
    """

    name: ClassVar[str]
    wide: ClassVar[bool] = False  # takes the whole row of the form's grid
    files: ClassVar[bool] = False  # its answer is the files attached under it, not a value in the answers
    tidy_on_blur: ClassVar[bool] = False  # show the stored form in the input as soon as a valid value is left
    default_help: ClassVar[str] = ''  # help text (N_-marked) when the field gives none
    input_props: ClassVar[Mapping[str, str]] = {}  # e.g. {'type': 'tel', 'autocomplete': 'tel'}

    # --- drawing ---------------------------------------------------------------------------------------------

    def build_widget(self, kit: WidgetKit, field: FieldDefinition, value: object) -> None:
        kit.text_input(field, value, props=self.input_props)

    def input_text(self, value: object) -> str | None:
        """What the input shows for a checked value; None leaves the widget as it is (a choice, a checkbox)."""
        return '' if value is None else str(value)

    def hint(self, raw: str) -> str | None:
        """A line shown under the input when it is left (e.g. the IBAN's bank); None for none."""
        return None

    # --- values ----------------------------------------------------------------------------------------------

    def is_empty(self, raw: object) -> bool:
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def empty_value(self) -> object:
        """What an optional field left empty is stored as."""
        return ''

    def normalise(self, raw: object, field: FieldDefinition) -> object:
        """The value kept in a draft as typed (valid or not yet), JSON-friendly and of bounded length."""
        return '' if raw is None else str(raw)[:max(field.max_length * 2, 50)]

    def validate(self, raw: object, field: FieldDefinition, context: Context) -> Checked:
        """A non-empty answer checked: its stored form, or the message to show by the field."""
        raise NotImplementedError

    def display(self, field: FieldDefinition, value: object) -> str:
        """The answer for reading (preview, request views, receipt, email); empty answers read '–'."""
        if self.is_empty(value):
            return EMPTY
        return self.format(field, value)

    def format(self, field: FieldDefinition, value: object) -> str:
        return str(value)

    def schema(self, field: FieldDefinition) -> dict[str, Any]:
        """The JSON schema of the stored answer, for the integration API."""
        return {'type': 'string', 'maxLength': field.max_length}


class VersionText(str):
    """A text of a published form version: its Finnish wording (the str itself) with the translations it was
    published with, so an old request reads as it was filled in even after the catalogue has moved on."""

    translations: Mapping[str, str]

    def __new__(cls, translations: Mapping[str, str]) -> VersionText:
        text = super().__new__(cls, translations.get('fi', ''))
        text.translations = dict(translations)
        return text


def form_text(text: str) -> str:
    """A form's text (label, title, option …) in the current language: a published version's own translation, or
    the catalogue's for a definition in the code."""
    if isinstance(text, VersionText):
        return pick(dict(text.translations))
    return t(text)
