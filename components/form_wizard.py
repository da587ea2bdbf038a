"""One wizard for every service form: a stepper over the definition's steps, then a preview (Esikatselu) and Lähetä.

The definition (`services.forms`) says which fields there are; this component only draws them, reads them back and
shows the messages `services.workflow` gives. Answers are saved on every step change, on "Tallenna luonnos ja
keskeytä", every few seconds after a change and when the connection drops, so nothing typed is lost.
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from nicegui import app, background_tasks, run, ui
from nicegui.events import UploadEventArguments

from auth.session import NOTICE_KEY
from components.choice_controls import shows_at_once
from config import get_settings
from locales import t
from models import Attachment
from services import workflow
from services.answers import display_value
from services.attachments import AttachmentRefused
from services.fields import field_type, form_text
from services.formatting import format_file_size
from services.forms import FieldDefinition, FormDefinition
from services.validation import check_field
from services.workflow import EditableRequest, RequestIncomplete, RequestNotAvailable

from .error_summary import ErrorSummary
from .withdrawal import withdraw_button

AUTOSAVE_DELAY_SECONDS = 1.0  # a pause in typing this long saves the draft
PREVIEW = 'preview'


@dataclass
class FocusTarget:
    """What the error summary links to: the field's element, focused by moving to its first focusable part.

    Inputs could be focused by their Quasar `focus` method, but radios, checkboxes and uploaders have none; focusing
    the first focusable element inside the field's root works for all of them.
    """

    html_id: str

    def run_method(self, _name: str) -> None:
        ui.run_javascript(
            f'const root = document.getElementById({json.dumps(self.html_id)});'
            'const target = root && (root.matches("input,textarea") ? root : root.querySelector('
            '"input:not([type=hidden]):not([tabindex=\'-1\']),textarea,[tabindex=\'0\'],button"));'
            'if (target) { target.focus(); target.scrollIntoView({block: "center"}); }')


# Quasar's own header has an unlabelled file input nested in a button (two axe violations) and shows
# "0.0B / 0.00%". A native, labelled file input that hands its files to the uploader is keyboard-usable as it is.
_UPLOAD_HEADER = '''
<div class="flex flex-wrap items-center gap-3 p-3">
  <label for="INPUT_ID" class="font-medium">ADD_LABEL</label>
  <input id="INPUT_ID" type="file" multiple accept="ACCEPT" class="max-w-full"
         @change="event => { props.addFiles(event.target.files); event.target.value = '' }" />
  <q-spinner v-if="props.isUploading" size="1.5em" />
</div>
'''


def _label(field: FieldDefinition) -> str:
    return f'{form_text(field.label)} *' if field.required else form_text(field.label)


class FormWizard:
    """Draws `form` with `answers` at `step` (len(steps) = the preview) for the signed-in user `user_id`.

    `number` is None for a new form: the draft is created at the first save.
    """

    def __init__(self, form: FormDefinition, user_id: int, *, answers: dict, step: int, number: int | None,
                 attachments: dict[str, list[Attachment]], completion_requested: bool = False,
                 organisation_id: int | None = None, representing_organisation_id: int | None = None,
                 organisation_names: tuple[str, ...] = (), completion_note: str = '') -> None:
        self.form = form
        self.user_id = user_id
        self.number = number
        self.answers = dict(answers)
        self.attachments = attachments
        self.organisation_id = organisation_id
        self.representing_organisation_id = representing_organisation_id
        self.organisation_names = organisation_names
        self.widgets: dict[str, ui.element] = {}
        self.cells: dict[str, ui.element] = {}
        self.error_labels: dict[str, ui.label] = {}
        self.hint_labels: dict[str, ui.label] = {}  # e.g. an IBAN's bank
        self.attachment_lists: dict[str, ui.column] = {}
        self.attachment_status: dict[str, ui.label] = {}
        self.dirty = False
        self.sending = False
        self.completion_requested = completion_requested
        self.client = ui.context.client
        self.changed_at = 0.0
        self.pending_save: asyncio.Task | None = None
        self.saved: tuple[dict, int] | None = None  # what was last saved, so an unchanged form is not saved again
        self.errors_shown_for: int | None = None  # the step whose errors the summary lists
        self.shown_errors: dict[str, str] = {}

        ui.label(form_text(form.title)).classes('text-3xl font-bold').props('role=heading aria-level=1')
        if completion_requested:
            self._draw_completion_request(completion_note)
        if form.instructions:
            with ui.element('ul').classes('list-disc pl-6 my-2'):
                for line in form.instructions:
                    with ui.element('li').classes('my-1'):
                        ui.label(form_text(line))
        # Quasar's page-wide ajax bar appears with uploads as an unnamed progressbar; the uploader's own spinner
        # and the status line below the list say the same in an accessible way.
        ui.add_css('.q-loading-bar { display: none !important; }')
        # The files are listed above the picker with links; Quasar's own queue list would only repeat them.
        ui.add_css('.portal-upload .q-uploader__list { display: none; }')
        # On a phone the three steps fit on one line with Quasar's wide tab padding narrowed.
        ui.add_css('@media (max-width: 599px) { .form-stepper .q-stepper__header { flex-wrap: nowrap; } '
                   '.form-stepper .q-stepper__tab { padding: 12px 4px; min-width: 0; } '
                   '.form-stepper .q-stepper__title { font-size: .8rem; text-align: center; } '
                   '.form-stepper .q-stepper__step-inner { padding: 0 16px 24px; } }')
        self.summary = ErrorSummary()
        # grey-8 keeps the titles of the steps not yet reached readable (Quasar's default grey fails contrast).
        self.stepper = ui.stepper(value=self._step_name(step)) \
            .props('flat alternative-labels inactive-color=grey-8') \
            .classes('w-full form-stepper').mark('form-stepper')
        # Only the step shown is drawn now; the others when they are first shown (`_ensure_step`): most visits
        # never see every step, and each field is several elements.
        self.step_elements: dict[int, ui.step] = {}
        with self.stepper:
            for index, step_definition in enumerate(form.steps):
                with ui.step(self._step_name(index), title=form_text(step_definition.title)) as step_element:
                    step_element.props['prefix'] = index + 1
                self.step_elements[index] = step_element
            with ui.step(PREVIEW, title=t('Esikatselu')) as preview_step:
                preview_step.props['prefix'] = len(form.steps) + 1
                self.preview = ui.column().classes('w-full gap-4')
                self._draw_navigation(len(form.steps))
        self._ensure_step(step)
        if step >= len(form.steps):
            self._draw_preview()
        # Saved a second after the last change, when a field is left and when the connection drops; no timer runs
        # while nothing changes.
        self.client.on_disconnect(self._autosave)

    # --- drawing -----------------------------------------------------------------------------------------------

    def _draw_completion_request(self, note: str) -> None:
        """A request returned by the centre: what the handler asked, above the form, and a way to withdraw it."""
        with ui.card().classes('w-full bg-orange-50 border-l-8 border-orange-700 gap-2').props('role=status') \
                .mark('completion-request'):
            ui.label(t('Käsittelijä on pyytänyt täydentämään palvelupyyntöä. Korjaa tai täydennä tiedot ja '
                       'lähetä palvelupyyntö uudelleen.'))
            if note:
                ui.label(t('Käsittelijän viesti:')).classes('font-bold')
                ui.label(note).classes('whitespace-pre-line').mark('completion-note')
            assert self.number is not None
            withdraw_button(self.number).classes('self-start')

    def _step_name(self, index: int) -> str:
        # One past the last step is the preview (a draft saved there is stored with that index).
        return PREVIEW if index >= len(self.form.steps) else f'step-{index}'

    def _current_index(self) -> int:
        value = self.stepper.value
        return len(self.form.steps) if value == PREVIEW else int(str(value).removeprefix('step-'))

    def _ensure_step(self, index: int) -> None:
        """Draw step `index` if it has not been drawn yet (the preview is always there)."""
        if index >= len(self.form.steps) or self.step_elements[index].default_slot.children:
            return
        with self.step_elements[index]:
            self._draw_step(index)
        self._update_conditions()

    def _draw_step(self, index: int) -> None:
        step_definition = self.form.steps[index]
        ui.label(form_text(step_definition.title)).classes('text-2xl font-bold mb-2') \
            .props('role=heading aria-level=2')
        if step_definition.intro:
            ui.label(form_text(step_definition.intro)).classes('mb-2')
        with ui.element('div').classes('grid grid-cols-1 md:grid-cols-2 gap-x-6 gap-y-3 w-full'):
            for field in step_definition.fields:
                kind = field_type(field)
                cell = ui.column().classes('w-full gap-1' + (' md:col-span-2' if field.wide or kind.wide else ''))
                self.cells[field.name] = cell
                with cell:
                    kind.build_widget(self, field, self.answers.get(field.name))
        self._draw_navigation(index)

    # --- the building blocks field types draw with (services.fields.WidgetKit) ----------------------------------

    def text_input(self, field: FieldDefinition, value: object, *, props: Mapping[str, str] = MappingProxyType({}),
                   date_picker: bool = False, hint: bool = False) -> None:
        widget = ui.input(_label(field), value=str(value) if value else '', on_change=self._changed) \
            .props('outlined').classes('w-full').mark(f'field-{field.name}')
        widget.props['maxlength'] = field.max_length
        self._help(field, widget)
        widget.props.update(props)
        autocomplete = {'first_name': 'given-name', 'last_name': 'family-name'}.get(field.name)
        if autocomplete:
            widget.props['autocomplete'] = autocomplete
        widget.on('blur', lambda _e, f=field, w=widget: self._blurred(f, w))
        if date_picker:
            with widget.add_slot('append'):
                with ui.button(icon='event').props('flat round dense') as picker_button:
                    picker_button.props['aria-label'] = t('Valitse päivämäärä')
                    with ui.menu() as menu:
                        ui.date(mask='D.M.YYYY', on_change=lambda _e, m=menu: m.close()).bind_value(widget)
        if hint:
            with ui.row().classes('items-center gap-2 min-h-[1.5rem]'):
                self.hint_labels[field.name] = ui.label('').classes('text-green-900 font-medium') \
                    .props('aria-live=polite').mark(f'bank-{field.name}')
            self._show_hint(field, str(widget.value or ''))
        self._finish_widget(field, widget)

    def textarea(self, field: FieldDefinition, value: object) -> None:
        # As in the seed: a heading, the help text, then the box.
        ui.label(_label(field)).classes('text-lg font-bold').props('role=heading aria-level=3')
        help_label = self._help(field, None)
        widget = ui.textarea(value=str(value) if value else '', on_change=self._changed).on('blur', self._left_field) \
            .props('outlined autogrow').classes('w-full').mark(f'field-{field.name}')
        widget.props['aria-label'] = _label(field)
        widget.props['maxlength'] = field.max_length
        if help_label is not None:
            widget.props['aria-describedby'] = help_label.html_id
        self._finish_widget(field, widget)

    def radio(self, field: FieldDefinition, value: object, options: Mapping[str, str]) -> None:
        # A fieldset and legend name the group of radios for screen readers.
        with ui.element('fieldset').classes('w-full border-0 p-0 m-0') as fieldset:
            with ui.element('legend').classes('font-bold'):
                ui.label(_label(field))
            radio = ui.radio(dict(options), value=value or None,
                             on_change=lambda e, f=field: self._changed(e, f)).mark(f'field-{field.name}')
            shows_at_once(radio)
        self.widgets[field.name] = radio
        self._error_label(field, fieldset)

    def checkbox(self, field: FieldDefinition, value: object) -> None:
        widget = ui.checkbox(_label(field), value=bool(value), on_change=lambda e, f=field: self._changed(e, f)) \
            .mark(f'field-{field.name}')
        shows_at_once(widget)
        self.widgets[field.name] = widget
        self._error_label(field, widget)

    def select(self, field: FieldDefinition, value: object, options: Sequence[str]) -> None:
        widget = ui.select(list(options), label=_label(field), value=value or None, with_input=True, clearable=True,
                           on_change=lambda e, f=field: self._changed(e, f)) \
            .props('outlined input-debounce=0 behavior=menu').classes('w-full').mark(f'field-{field.name}')
        self._help(field, widget)
        widget.on('blur', self._left_field)
        self._finish_widget(field, widget)

    def _finish_widget(self, field: FieldDefinition, widget: ui.element) -> None:
        if field.required:
            widget.props['aria-required'] = 'true'
        # Messages take the room they need (a fixed one-line area overlaps the next field on a phone).
        widget.props['hide-bottom-space'] = True
        self.widgets[field.name] = widget

    @staticmethod
    def _help(field: FieldDefinition, widget: ui.element | None) -> ui.label | None:
        """The field's help text under it, tied to the input for screen readers (Quasar's hint is not)."""
        text = form_text(field.help or field_type(field).default_help)
        if not text:
            return None
        label = ui.label(text).classes('text-sm text-gray-800 px-1')
        if widget is not None:
            widget.props['aria-describedby'] = label.html_id
        return label

    async def _blurred(self, field: FieldDefinition, widget: ui.input) -> None:
        """Check a typed field when the user leaves it, so a mistake shows at once by the field.

        An empty field is not nagged about until Jatka (the user may be just tabbing through); a type that tidies
        on leaving (the IBAN, grouped by four) shows its stored form, and its hint (the bank) appears. While the
        error summary is up, the whole step is checked again instead, so that the field and the summary say the same.
        """
        raw = str(widget.value or '')
        if self.errors_shown_for == self._current_index():
            self._recheck_shown_errors()
            self._show_hint(field, raw)
        else:
            self._check_left_field(field, widget, raw)
        await self._autosave()

    def _check_left_field(self, field: FieldDefinition, widget: ui.input, raw: str) -> None:
        kind = field_type(field)
        if not raw.strip():
            self._show_hint(field, '')
            if not field.required:
                widget.error = None
            return
        checked = check_field(field, raw, workflow.Context(organisation_names=self.organisation_names))
        widget.error = checked.error
        if checked.ok and kind.tidy_on_blur:
            widget.value = kind.input_text(checked.value)
        self._show_hint(field, raw)

    def _show_hint(self, field: FieldDefinition, raw: str) -> None:
        label = self.hint_labels.get(field.name)
        if label is not None:
            label.set_text(field_type(field).hint(raw) or '')

    def _error_label(self, field: FieldDefinition, widget: ui.element) -> None:
        label = ui.label('').classes('text-red-800 font-medium').props('role=alert').mark(f'error-{field.name}')
        label.set_visibility(False)
        self.error_labels[field.name] = label
        self.cells.setdefault(field.name, widget)

    def upload(self, field: FieldDefinition) -> None:
        settings = get_settings()
        ui.label(_label(field)).classes('text-lg font-bold').props('role=heading aria-level=3')
        ui.label(t('Sallitut tiedostotyypit: {types}. Yksi tiedosto enintään {file} Mt, kaikki yhteensä enintään '
                   '{total} Mt.', types=', '.join(settings.attachment_types), file=settings.attachment_max_file_mb,
                   total=settings.attachment_max_request_mb)).classes('text-sm text-gray-800')
        self.attachment_lists[field.name] = ui.column().classes('w-full gap-1')
        # Said aloud by screen readers when a file is added or removed (a toast would vanish and lacks contrast).
        self.attachment_status[field.name] = ui.label('').classes('text-green-900 font-medium') \
            .props('role=status').mark(f'attachment-status-{field.name}')
        self._refresh_attachments(field.name)
        upload = ui.upload(multiple=True, auto_upload=True, max_file_size=settings.attachment_max_file_mb * 1024 * 1024,
                           label=_label(field),
                           on_upload=lambda e, f=field: self._uploaded(f, e),
                           on_rejected=lambda _e, f=field: self._show_field_error(
                               f.name, t('Tiedosto on liian suuri. Suurin sallittu koko on {size} Mt.',
                                         size=settings.attachment_max_file_mb))) \
            .props('flat bordered color=grey-2 text-color=black') \
            .classes('w-full max-w-xl portal-upload').mark(f'field-{field.name}')
        accept = ','.join('.' + kind for kind in settings.attachment_types)
        upload.add_slot('header', _UPLOAD_HEADER.replace('INPUT_ID', f'upload-{field.name}')
                        .replace('ADD_LABEL', html.escape(t('Lisää liitetiedosto'))).replace('ACCEPT', accept))
        self.widgets[field.name] = upload
        self._error_label(field, upload)

    def _refresh_attachments(self, field_name: str) -> None:
        container = self.attachment_lists[field_name]
        container.clear()
        files = self.attachments.get(field_name, [])
        with container:
            if not files:
                ui.label(t('Ei liitettyjä tiedostoja.')).classes('text-gray-800')
            with ui.element('ul').classes('list-none p-0 m-0 w-full'):
                for attachment in files:
                    with ui.element('li').classes('flex items-center gap-3 py-1'):
                        ui.icon('attach_file').props('aria-hidden=true')
                        ui.link(attachment.filename, f'/liitteet/{attachment.id}', new_tab=True) \
                            .mark(f'attachment-{attachment.filename}')
                        ui.label(f'({format_file_size(attachment.size)})').classes('text-sm text-gray-800')
                        remove = ui.button(t('Poista'), on_click=lambda _e, a=attachment, n=field_name:
                                           self._remove_attachment(n, a)).props('flat dense no-caps color=negative')
                        remove.props['aria-label'] = t('Poista liite {name}', name=attachment.filename)

    async def _uploaded(self, field: FieldDefinition, event: UploadEventArguments) -> None:
        data = await event.file.read()
        number = self._ensure_draft()
        try:
            # Up to 10 MB checked and written: in a worker thread, not on the event loop.
            stored = await run.io_bound(workflow.add_attachment, self.user_id, number, field.name, event.file.name,
                                        data)
            assert stored is not None  # None only while the app stops
        except AttachmentRefused as refused:
            self._show_field_error(field.name, str(refused))
        else:
            self.attachments.setdefault(field.name, []).append(stored)
            self._show_field_error(field.name, None)
            self._refresh_attachments(field.name)
            self.attachment_status[field.name].set_text(t('Liite {name} lisätty.', name=stored.filename))
        event.sender.run_method('reset')

    def _remove_attachment(self, field_name: str, attachment: Attachment) -> None:
        if self.number is None or attachment.id is None:
            return
        workflow.remove_attachment(self.user_id, self.number, attachment.id)
        self.attachments[field_name] = [a for a in self.attachments.get(field_name, []) if a.id != attachment.id]
        self._refresh_attachments(field_name)
        self.attachment_status[field_name].set_text(t('Liite {name} poistettu.', name=attachment.filename))

    def _draw_navigation(self, index: int) -> None:
        last = index == len(self.form.steps)
        with ui.row().classes('w-full gap-3 mt-6 flex-wrap items-center'):
            ui.button(t('Tallenna luonnos ja keskeytä'), on_click=self._save_and_exit) \
                .props('outline no-caps').mark('save-draft')
            ui.element('div').classes('grow')
            if index > 0:
                ui.button(t('Edellinen'), on_click=self._previous).props('outline no-caps').mark('previous')
            if last:
                self.send_button = ui.button(t('Lähetä'), on_click=self._send).props('no-caps').mark('send')
            else:
                ui.button(t('Jatka'), on_click=self._next).props('no-caps').mark('next')

    # --- reading and checking -----------------------------------------------------------------------------------

    def _read_widgets(self) -> dict:
        answers = {}
        for name, widget in self.widgets.items():
            definition = self.form.field_map[name]
            if field_type(definition).files:
                continue
            answers[name] = field_type(definition).normalise(getattr(widget, 'value', None), definition)
        self.answers |= answers
        return self.answers

    def _changed(self, _event: object = None, field: FieldDefinition | None = None) -> None:
        """Any change: conditions follow at once, the draft is saved after a pause, and a choice (radio, checkbox,
        organisation) is checked at once, so its error goes as soon as something is chosen."""
        self.dirty = True
        self._update_conditions()
        self.changed_at = time.monotonic()
        if self.pending_save is None:
            self.pending_save = background_tasks.create(self._save_after_pause(), name='draft autosave')
        if field is not None:
            if self.errors_shown_for == self._current_index():
                self._recheck_shown_errors()
            elif field.name in self.error_labels or getattr(self.widgets.get(field.name), 'error', None):
                checked = check_field(field, self._read_widgets().get(field.name, ''),
                                      workflow.Context(organisation_names=self.organisation_names))
                self._show_field_error(field.name, checked.error)

    def _recheck_shown_errors(self) -> None:
        """Check the step again and show the result by the fields and in the summary alike (focus stays put)."""
        index = self._current_index()
        if index >= len(self.form.steps):
            return
        result = workflow.validate_step(self.form, index, self._read_widgets(), attachment_counts=self._counts(),
                                        context=workflow.Context(organisation_names=self.organisation_names))
        if result.errors != self.shown_errors:  # e.g. a blur that arrives just after Jatka changes nothing
            self._show_errors(index, result.errors, focus=False)

    async def _save_after_pause(self) -> None:
        try:
            while True:
                pause = self.changed_at + AUTOSAVE_DELAY_SECONDS - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
                    continue
                await self._autosave()
                if not self.dirty:
                    return
        finally:
            self.pending_save = None

    async def _left_field(self) -> None:
        await self._autosave()

    def _update_conditions(self) -> None:
        answers = self._read_widgets()
        for name, definition in self.form.field_map.items():
            if definition.condition is not None and name in self.cells:
                self.cells[name].set_visibility(definition.condition.holds(answers))

    def _counts(self) -> dict[str, int]:
        return {name: len(files) for name, files in self.attachments.items()}

    def _show_field_error(self, name: str, message: str | None) -> None:
        widget = self.widgets.get(name)
        if name in self.error_labels:
            label = self.error_labels[name]
            label.set_text(message or '')
            label.set_visibility(message is not None)
        elif widget is not None and hasattr(widget, 'error'):
            widget.error = message

    def _show_errors(self, index: int, errors: dict[str, str], *, focus: bool = True) -> None:
        for definition in self.form.steps[index].fields:
            self._show_field_error(definition.name, errors.get(definition.name))
        problems = []
        for name, message in errors.items():
            label = form_text(self.form.field_map[name].label)
            text = message if message.startswith(label) else f'{label}: {message}'
            problems.append((FocusTarget(self.cells[name].html_id), text))
        self.errors_shown_for = index if errors else None
        self.shown_errors = dict(errors)
        self.summary.show(problems, focus=focus)  # type: ignore[arg-type]

    def _check_step(self, index: int) -> bool:
        result = workflow.validate_step(self.form, index, self._read_widgets(), attachment_counts=self._counts(),
                                        context=workflow.Context(organisation_names=self.organisation_names))
        self._show_errors(index, result.errors)
        if result.ok:
            # Show the tidy form of what was typed (E.164 phone, IBAN in groups) without losing anything.
            for name, value in result.answers.items():
                definition = self.form.field_map[name]
                text = field_type(definition).input_text(value)
                if text is not None:
                    self.widgets[name].value = text  # type: ignore[attr-defined]
            self._read_widgets()
        return result.ok

    # --- saving and moving --------------------------------------------------------------------------------------

    def _ensure_draft(self) -> int:
        if self.number is None:
            self.number = workflow.create_draft(
                self.user_id, self.form.code, self._read_widgets(), step=self._current_index(),
                organisation_id=self.organisation_id, representing_organisation_id=self.representing_organisation_id)
            # From now on this page edits that draft: a reload opens it instead of a new form.
            self.client.run_javascript(f'history.replaceState(null, "", "/palvelupyynto/{self.number}/muokkaa")')
        return self.number

    def _save(self, step: int) -> None:
        if self.number is None:
            self._ensure_draft()
        assert self.number is not None
        answers = dict(self._read_widgets())
        workflow.save_progress(self.user_id, self.number, answers, step)
        self.saved = (answers, step)
        self.dirty = False

    async def _autosave(self) -> None:
        if not self.dirty or self.sending:
            return
        self.dirty = False
        answers, step = dict(self._read_widgets()), self._current_index()
        if self.saved == (answers, step):
            return  # changed and changed back: nothing to write
        try:
            # Once per form (the draft's number after that), and a step change must not create a second one meanwhile.
            number = self._ensure_draft()
            await run.io_bound(workflow.save_progress, self.user_id, number, answers, step)
            self.saved = (answers, step)
        except RequestNotAvailable:
            pass  # sent in another tab: nothing to save here any more

    def _go(self, index: int) -> None:
        self._ensure_step(index)
        if self.errors_shown_for != index:
            self.summary.clear()
            self.errors_shown_for, self.shown_errors = None, {}
        self.stepper.set_value(self._step_name(index))
        ui.run_javascript('window.scrollTo(0, 0)')

    def _next(self) -> None:
        index = self._current_index()
        if not self._check_step(index):
            return
        self._save(index + 1)
        if index + 1 >= len(self.form.steps):
            self._draw_preview()
        self._go(index + 1)

    def _previous(self) -> None:
        index = self._current_index()
        self.summary.clear()
        self._save(index - 1)
        self._go(index - 1)

    def _edit_step(self, index: int) -> None:
        self._save(index)
        self._go(index)

    def _save_and_exit(self) -> None:
        self._save(self._current_index())
        app.storage.user[NOTICE_KEY] = t('Luonnos {number} on tallennettu. Löydät sen Luonnokset-välilehdeltä.',
                                         number=self.number)
        ui.navigate.to('/oma-asiointi')

    async def _send(self) -> None:
        if self.sending:
            return
        self.sending = True
        self.send_button.disable()
        try:
            answers, step = dict(self._read_widgets()), len(self.form.steps)
            number = self._ensure_draft()  # there is one already: the preview is reached by a saved step change
            self.saved, self.dirty = (answers, step), False  # no autosave runs while sending
            # Saved and sent off the event loop: 50 people sending at once stalled every page for ~2 s
            # (bench/submissions).
            await run.io_bound(self._save_and_send, number, answers, step)
        except RequestIncomplete as refused:
            first = min(refused.steps)
            self._go(first)
            self._show_errors(first, refused.steps[first].errors)
            return
        finally:
            self.sending = False
            self.send_button.enable()
        ui.navigate.to(f'/palvelupyynto/{self.number}/lahetetty')

    def _save_and_send(self, number: int, answers: dict, step: int) -> None:
        # Already sent (a second click, another tab)? Then there is no draft to save, and send_request says so
        # without sending again.
        with contextlib.suppress(RequestNotAvailable):
            workflow.save_progress(self.user_id, number, answers, step)
        workflow.send_request(self.user_id, number)

    # --- preview -----------------------------------------------------------------------------------------------

    def _draw_preview(self) -> None:
        answers = self._read_widgets()
        self.preview.clear()
        with self.preview:
            ui.label(t('Esikatselu')).classes('text-2xl font-bold').props('role=heading aria-level=2')
            ui.label(t('Tarkista vastauksesi. Voit vielä muuttaa niitä ennen lähettämistä.'))
            for index, step_definition in enumerate(self.form.steps):
                with ui.card().classes('w-full').mark(f'preview-step-{index}'):
                    with ui.row().classes('w-full items-center'):
                        ui.label(form_text(step_definition.title)).classes('text-xl font-bold') \
                            .props('role=heading aria-level=3')
                        ui.element('div').classes('grow')
                        change = ui.button(t('Muuta'), on_click=lambda _e, i=index: self._edit_step(i)) \
                            .props('outline dense no-caps').mark(f'change-step-{index}')
                        change.props['aria-label'] = t('Muuta: {step}', step=form_text(step_definition.title))
                    with ui.element('dl').classes('grid grid-cols-1 md:grid-cols-[16rem_1fr] gap-x-4 gap-y-1 w-full'):
                        for definition in self.form.visible_fields(index, answers):
                            with ui.element('dt').classes('font-bold'):
                                ui.label(form_text(definition.label))
                            with ui.element('dd').classes('m-0 mb-2 whitespace-pre-wrap break-words'):
                                if field_type(definition).files:
                                    files = self.attachments.get(definition.name, [])
                                    if not files:
                                        ui.label('–')
                                    for attachment in files:
                                        ui.link(attachment.filename, f'/liitteet/{attachment.id}', new_tab=True)
                                else:
                                    ui.label(display_value(definition, answers.get(definition.name))) \
                                        .mark(f'preview-{definition.name}')


def wizard_for_draft(draft: EditableRequest, user_id: int, organisation_names: tuple[str, ...]) -> FormWizard:
    return FormWizard(draft.form, user_id, answers=draft.answers, step=draft.current_step, number=draft.number,
                      attachments=draft.attachments, completion_requested=draft.completion_requested,
                      organisation_names=organisation_names, completion_note=draft.completion_note)

