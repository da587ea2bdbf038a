"""Pieces shared by the handler workbench pages (/kasittely): the role check with a clear page for the wrong role,
headings, field errors from a service, and a key–value list."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, Protocol, TypeVar

from nicegui import ui
from nicegui.elements.mixins.value_element import ValueElement

from auth import session
from components.choice_controls import shows_at_once
from components.error_summary import ErrorSummary
from components.heading import heading_label
from locales import LANGUAGE_NAMES, LANGUAGES, t
from models import User, UserRole
from services.admin import AdminInvalid


def heading(text: str, level: int = 1, *, classes: str = '') -> ui.label:
    sizes = {1: 'text-3xl', 2: 'text-xl', 3: 'text-lg'}
    return heading_label(text, level, f'{sizes.get(level, "text-base")} font-bold {classes}')


def staff_user(*, admin: bool = False) -> User | None:
    """The signed-in staff member, or None after drawing a refusal (the middleware already keeps citizens out of
    /kasittely; admin pages need the admin role on top)."""
    user = session.current_user()
    if user is None or not user.is_staff or (admin and user.role != UserRole.ADMIN):
        heading(t('Ei käyttöoikeutta'))
        ui.label(t('Tämä sivu on vain pääkäyttäjille.') if admin else
                 t('Tämä sivu on vain palvelukeskuksen käsittelijöille.'))
        ui.link(t('Palaa jonoon'), '/kasittely')
        return None
    return user


def still_allowed(user: User, *, admin: bool = False) -> bool:
    """Before an action from a page drawn earlier: is this still the signed-in, active staff member? A session that
    ended or timed out, or an account closed meanwhile, is sent to sign in instead of acting."""
    current = session.current_user()
    if current is None or current.id != user.id or not current.is_staff or \
            (admin and current.role != UserRole.ADMIN):
        ui.navigate.to('/kasittely/kirjaudu')
        return False
    return True


def show_errors(summary: ErrorSummary, fields: Mapping[str, ui.element], errors: dict[str, str]) -> None:
    """Put each service error next to its field and list them all in the summary; clear the others."""
    for name, element in fields.items():
        if hasattr(element, 'error'):
            element.error = errors.get(name)
    summary.show([(fields.get(name), message) for name, message in errors.items()])


def clear_errors(summary: ErrorSummary, fields: Mapping[str, ui.element]) -> None:
    show_errors(summary, fields, {})


class Announcement:
    """A success message in the page (role=status, read out by screen readers) instead of a toast, which vanishes
    before it can be read and whose default colours fail the contrast check. The live region stays in the page and
    only its text changes (bound to `text`), which screen readers announce more reliably than a new element."""

    def __init__(self) -> None:
        self.text = ''
        with ui.element('div').classes('w-full') as region:
            region.props['role'] = 'status'
            ui.label().classes('bg-green-50 border-l-8 border-green-800 p-3 w-full').mark('action-done') \
                .bind_text_from(self, 'text').bind_visibility_from(self, 'text', backward=bool)

    def show(self, text: str) -> None:
        self.text = text


def facts(rows: Iterable[tuple[str, str]]) -> None:
    """A definition list of label–value pairs, with empty values left out."""
    with ui.element('dl').classes('grid grid-cols-1 sm:grid-cols-[minmax(9rem,14rem)_1fr] gap-x-4 gap-y-1 w-full'):
        for label, value in rows:
            if not value:
                continue
            with ui.element('dt').classes('font-bold'):
                ui.label(label)
            with ui.element('dd').classes('break-words min-w-0 m-0'):
                ui.label(value).classes('whitespace-pre-line')


class FieldSet:
    """Labelled inputs for an admin form, built from (name, label, kind, options) specs; reads and fills them as a
    dict and shows a service's per-field errors. Kinds: text, textarea, password, select, checkbox."""

    def __init__(self, specs: Iterable[tuple[str, str, str, dict | None]], *, mark: str) -> None:
        self.elements: dict[str, ValueElement[Any]] = {}
        for name, label, kind, options in specs:
            element: ValueElement[Any]
            if kind == 'select':
                element = ui.select(options or {}, label=label).props('outlined dense').classes('w-full')
            elif kind == 'checkbox':
                element = shows_at_once(ui.checkbox(label))
            elif kind == 'textarea':
                element = ui.textarea(label).props('outlined autogrow').classes('w-full')
            elif kind == 'password':
                element = ui.input(label, password=True, password_toggle_button=True) \
                    .props('outlined dense autocomplete=new-password').classes('w-full')
            else:
                element = ui.input(label).props('outlined dense').classes('w-full')
            self.elements[name] = element.mark(f'{mark}-{name}')

    def values(self) -> dict:
        return {name: element.value for name, element in self.elements.items()}

    def fill(self, values: dict) -> None:
        for name, element in self.elements.items():
            default = False if isinstance(element, ui.checkbox) else (None if isinstance(element, ui.select) else '')
            element.set_value(values.get(name, default))


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


RowT = TypeVar('RowT', bound=_Row)


class Editor(Generic[RowT]):
    """A form over a list: 'Muokkaa' on a row fills the form, 'Tallenna' saves through `save(id, values)`."""

    def __init__(self, user: User, *, new_title: str, edit_title: str, specs: list, mark: str, defaults: dict,
                 save: Callable[[int | None, dict], object], rows: Callable[[], list[RowT]],
                 describe: Callable[[RowT], tuple[str, list[tuple[str, str]]]],
                 values_of: Callable[[RowT], dict]) -> None:
        self.user = user
        self.new_title, self.edit_title, self.defaults = new_title, edit_title, defaults
        self.save_function, self.rows, self.describe, self.values_of = save, rows, describe, values_of
        self.editing: int | None = None
        with ui.column().classes('w-full max-w-4xl'):
            self.status = Announcement()
        with ui.card().classes('w-full max-w-4xl gap-3'):
            self.form_heading = heading(new_title, 2)
            self.summary = ErrorSummary()
            self.fields = FieldSet(specs, mark=mark)
            with ui.row():
                ui.button(t('Tallenna'), on_click=self.save).props('no-caps').mark(f'{mark}-save')
                ui.button(t('Tyhjennä lomake'), on_click=self.new).props('flat no-caps')
        self.mark = mark
        # Per instance: a class-level `ui.refreshable_method` would keep every editor of every page as a target.
        self.draw_list = ui.refreshable(self._list)
        with ui.column().classes('w-full gap-2 mt-4'):
            self.draw_list()
        self.new()

    def new(self) -> None:
        self.editing = None
        self.form_heading.set_text(self.new_title)
        self.fields.fill(self.defaults)
        clear_errors(self.summary, self.fields.elements)

    def edit(self, row: RowT) -> None:
        self.editing = row.id
        self.form_heading.set_text(self.edit_title)
        self.fields.fill(self.values_of(row))
        clear_errors(self.summary, self.fields.elements)
        next(iter(self.fields.elements.values())).run_method('focus')

    def save(self) -> None:
        if not still_allowed(self.user, admin=True):
            return
        try:
            self.save_function(self.editing, self.fields.values())
        except AdminInvalid as error:
            show_errors(self.summary, self.fields.elements, error.errors)
            return
        self.status.show(t('Tallennettu.'))
        self.new()
        self.draw_list.refresh()

    def _list(self) -> None:
        for row in self.rows():
            title, details = self.describe(row)
            with ui.card().classes('w-full max-w-4xl gap-1').mark(f'{self.mark}-item'):
                heading(title, 3)
                facts(details)
                ui.button(t('Muokkaa'), on_click=lambda r=row: self.edit(r)) \
                    .props('outline dense no-caps').classes('self-start').props['aria-label'] = \
                    f'{t("Muokkaa")}: {title}'


def per_language(prefix: str, label: str, kind: str = 'text') -> list[tuple[str, str, str, None]]:
    """One field per language for a text kept in data as {lang: text}."""
    return [(f'{prefix}_{lang}', t('{label} ({language})', label=label, language=LANGUAGE_NAMES[lang]), kind, None)
            for lang in LANGUAGES]
