"""Published versions of the forms, so that a request reads with the labels it was filled in with.

A form's definition lives in the code (`services.forms`); what the portal shows with an old request must not change
when that code does. At every start each form's definition is turned into JSON — every text in Finnish, Swedish and
English as the catalogues have them then — and stored as a new `FormVersion` when its hash differs from the latest
stored one. A new draft records the number of the current version (`ServiceRequest.form_version`), and reading a
request (`form_for_request`) gives the definition of its own version: the code's own when the content is the same,
else one rebuilt from the stored JSON whose texts carry their stored translations (`services.fields.VersionText`).
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from locales import LANGUAGES, t
from models import FormVersion, ServiceAudience
from models.db import session_scope

from ..fields import VersionText, field_type
from .definition import Condition, FieldDefinition, FormDefinition, StepDefinition

log = logging.getLogger(__name__)
# Versions never change once published: each is rebuilt once per process and database (tests use many).
_stored: dict[tuple[str, str, int], tuple[str, FormDefinition]] = {}  # (database, code, number) → (hash, form)


# --- definition ⇄ JSON ---------------------------------------------------------------------------------------

def _text(text: str) -> dict[str, str] | str:
    """A text of the definition in every language ('' stays ''): a stored version's own, or the catalogue's."""
    if not text:
        return ''
    if isinstance(text, VersionText):
        return dict(text.translations)
    return {lang: t(text, lang) for lang in LANGUAGES}


def _field_content(field: FieldDefinition) -> dict[str, Any]:
    return {
        'name': field.name, 'type': field.type, 'label': _text(field.label), 'required': field.required,
        'help': _text(field.help), 'options': [[value, _text(label)] for value, label in field.options],
        'condition': {'field': field.condition.field, 'values': list(field.condition.values)}
        if field.condition else None,
        'max_length': field.max_length, 'prefill': field.prefill, 'wide': field.wide,
        'future_allowed': field.future_allowed, 'required_message': _text(field.required_message),
        'answer_label': _text(field.answer_label),
    }


def definition_content(form: FormDefinition) -> dict[str, Any]:
    """The form as JSON-friendly data with its texts in fi/sv/en: what a `FormVersion` stores."""
    return {
        'code': form.code, 'title': _text(form.title), 'description': _text(form.description),
        'audience': str(form.audience), 'position': form.position,
        'instructions': [_text(line) for line in form.instructions],
        'steps': [{'key': step.key, 'title': _text(step.title), 'intro': _text(step.intro),
                   'fields': [_field_content(field) for field in step.fields]} for step in form.steps],
    }


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the content as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(content, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest()


def _version_text(value: Any) -> str:
    return VersionText(value) if isinstance(value, dict) and value else ''


def form_from_content(content: dict[str, Any]) -> FormDefinition:
    """A form definition rebuilt from a stored version; its texts read in the stored translations."""
    def field(data: dict[str, Any]) -> FieldDefinition:
        condition = data.get('condition')
        return FieldDefinition(
            name=data['name'], label=_version_text(data['label']), type=data['type'], required=data['required'],
            help=_version_text(data['help']),
            options=tuple((value, _version_text(label)) for value, label in data['options']),
            condition=Condition(condition['field'], tuple(condition['values'])) if condition else None,
            max_length=data['max_length'], prefill=data['prefill'], wide=data['wide'],
            future_allowed=data['future_allowed'], required_message=_version_text(data['required_message']),
            answer_label=_version_text(data['answer_label']))

    return FormDefinition(
        code=content['code'], title=_version_text(content['title']),
        description=_version_text(content['description']), audience=ServiceAudience(content['audience']),
        position=content['position'], instructions=tuple(_version_text(line) for line in content['instructions']),
        steps=tuple(StepDefinition(key=step['key'], title=_version_text(step['title']),
                                   intro=_version_text(step['intro']),
                                   fields=tuple(field(data) for data in step['fields']))
                    for step in content['steps']))


@cache
def _live(form: FormDefinition) -> tuple[dict[str, Any], str]:
    """A definition of the code's content and hash (once per process: the catalogues do not change while it runs)."""
    content = definition_content(form)
    return content, content_hash(content)


def _database(db: Session) -> str:
    return str(db.get_bind().engine.url)


# --- publishing ----------------------------------------------------------------------------------------------

def latest_version(db: Session, code: str) -> tuple[int, str] | None:
    """(number, hash) of the latest stored version (not its content: asked at every save of a draft)."""
    row = db.exec(select(FormVersion.version, FormVersion.content_hash).where(FormVersion.service_code == code)
                  .order_by(col(FormVersion.version).desc())).first()
    return (row[0], row[1]) if row is not None else None


def publish(db: Session, form: FormDefinition) -> int:
    """The number of the form's current version: the latest stored one if its content is the code's, else a new
    version stored now."""
    # Asked at every save of a draft: one indexed query. Not remembered in the process, which would miss versions
    # deleted or published by others (a demo reset, another instance).
    content, digest = _live(form)
    latest = latest_version(db, form.code)
    if latest is not None and latest[1] == digest:
        return latest[0]
    number = latest[0] + 1 if latest is not None else 1
    db.add(FormVersion(service_code=form.code, version=number, content=content, content_hash=digest))
    db.flush()
    log.info('Form %s published as version %d', form.code, number)
    return number


def publish_all() -> dict[str, int]:
    """At start: every form of the catalogue published if it changed; {code: current version}."""
    from . import FORMS

    with session_scope() as db:
        return {code: publish(db, form) for code, form in FORMS.items()}


# --- reading ---------------------------------------------------------------------------------------------------

def stored_version(db: Session, code: str, number: int) -> tuple[str, FormDefinition] | None:
    """(hash, definition) of a published version, or None."""
    key = (_database(db), code, number)
    if key not in _stored:
        row = db.exec(select(FormVersion).where(FormVersion.service_code == code,
                                                FormVersion.version == number)).first()
        if row is None:
            return None
        _stored[key] = (row.content_hash, form_from_content(row.content))
    return _stored[key]


def form_for_request(db: Session, code: str, version: int | None) -> FormDefinition | None:
    """The definition a request of `code` filled in with `version` reads with: the code's own while its content is
    that version's, else the stored version's. An unrecorded or unknown version reads with the code's."""
    from . import FORMS

    live = FORMS.get(code)
    found = stored_version(db, code, version) if version is not None else None
    if found is None:
        return live
    digest, stored = found
    if live is not None and _live(live)[1] == digest:
        return live
    return stored


def answers_schema(form: FormDefinition) -> dict[str, Any]:
    """The JSON schema of a request's answers under this definition (the integration API documents it)."""
    properties = {}
    for step in form.steps:
        for field in step.fields:
            kind = field_type(field)
            if kind.files:
                continue
            properties[field.name] = {**kind.schema(field), 'title': str(field.label)}
    required = [field.name for step in form.steps for field in step.fields
                if field.required and field.condition is None and not field_type(field).files]
    return {'type': 'object', 'properties': properties, 'required': required}


@dataclass(frozen=True)
class PublishedVersion:
    """A published version as the integration API gives it."""

    code: str
    version: int
    content_hash: str
    created_at: datetime
    content: dict[str, Any]
    answers_schema: dict[str, Any]


def published_version(code: str, number: int | None = None) -> PublishedVersion | None:
    """Version `number` of a service's form, or its current one (published now if the code changed since start);
    None for an unknown service or version."""
    from . import FORMS

    with session_scope() as db:
        if number is None:
            form = FORMS.get(code)
            if form is None:
                return None
            number = publish(db, form)
        row = db.exec(select(FormVersion).where(FormVersion.service_code == code,
                                                FormVersion.version == number)).first()
        if row is None:
            return None
        return PublishedVersion(code=code, version=row.version, content_hash=row.content_hash,
                                created_at=row.created_at, content=dict(row.content),
                                answers_schema=answers_schema(form_from_content(row.content)))
