"""A read-only view of a request's answers, driven by its form definition: one heading per step, each visible
field's translated label and its value as the person sees it (`services.answers.display_value`, the same as the
form's preview and receipt), and the attachments under the field they were given in, each a download link.

Used by the request detail in Oma asiointi; usable by any page that shows answers (a preview, a handler's view).
"""
from __future__ import annotations

from collections.abc import Sequence

from nicegui import ui

from components.heading import heading_label
from locales import t
from services.answers import EMPTY, answer_label, display_value
from services.fields import field_type, form_text
from services.formatting import format_file_size
from services.forms import FormDefinition
from services.requests import AttachmentInfo


def attachment_href(attachment_id: int) -> str:
    return f'/liitteet/{attachment_id}'


def attachment_links(attachments: Sequence[AttachmentInfo]) -> None:
    """A list of download links ('tiliote.pdf (12 kt)')."""
    with ui.element('ul').classes('list-none p-0 m-0'):
        for attachment in attachments:
            with ui.element('li'):
                ui.link(attachment.filename, attachment_href(attachment.id)).props('download') \
                    .mark('attachment-link')
                ui.label(f' ({format_file_size(attachment.size)})').classes('inline text-sm text-gray-700')


def answers_view(form: FormDefinition, answers: dict, attachments: Sequence[AttachmentInfo] = (), *,
                 heading_level: int = 2) -> None:
    """Draw the answers step by step. Fields hidden by their condition are left out, as they were in the form.

    `form` is the version the request was filled in (`services.forms.versions`), so its labels are the ones the
    person saw.
    """
    shown_attachment_ids: set[int] = set()
    for step in form.steps:
        heading_label(form_text(step.title), heading_level, 'text-lg font-bold mt-2')
        with ui.element('dl').classes('answers grid grid-cols-1 sm:grid-cols-[minmax(10rem,16rem)_1fr] '
                                      'gap-x-6 gap-y-1 sm:gap-y-2 w-full'):
            for field in step.fields:
                if field.condition is not None and not field.condition.holds(answers):
                    continue
                with ui.element('dt').classes('font-bold'):
                    ui.label(answer_label(field))
                with ui.element('dd').classes('mb-2 sm:mb-0 break-words min-w-0'):
                    if field_type(field).files:
                        own = [a for a in attachments if a.field_name == field.name]
                        shown_attachment_ids |= {a.id for a in own}
                        if own:
                            attachment_links(own)
                        else:
                            ui.label(EMPTY)
                    else:
                        ui.label(display_value(field, answers.get(field.name))) \
                            .classes('whitespace-pre-line')
    others = [a for a in attachments if a.id not in shown_attachment_ids]
    if others:
        heading_label(t('Muut liitteet'), heading_level, 'text-lg font-bold mt-2')
        attachment_links(others)
