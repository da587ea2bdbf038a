"""One request for a handler (/kasittely/pyynto/<number>), laid out for a working day: at 1280 px the answers,
the sender and the history on the left, the conversation and the writing box beside them on the right. The actions:
assign, change stage, write to the citizen (message, question, request for more information), add an internal note,
resolve (after a confirmation).

After an action focus returns to the writing box and the result is read out from a live region, with a way on to
the next request of the queue view the handler came from. Keyboard shortcuts (listed under "Pikanäppäimet"):
Ctrl+Enter sends from the writing box, Alt+Shift+N / Alt+Shift+P go to the next / previous request,
Alt+Shift+O takes the request, Alt+Shift+H opens the list.

Each action sends the version the page was drawn from; if another handler changed the request meanwhile, the page
says so and keeps what was typed. A citizen's answer appears without a reload (services.live); another handler's
change is announced with a button to show it, so nothing moves under the handler's hands.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from fastapi import Response
from fastapi.responses import PlainTextResponse
from nicegui import app, run, ui
from nicegui.events import GenericEventArguments

from auth import session
from components.answers_view import answers_view, attachment_links
from components.choice_controls import shows_at_once
from components.error_summary import ErrorSummary
from components.frame import frame
from components.live_updates import follow
from components.queue_view import neighbour, saved_view
from components.workbench import facts, heading, staff_user, still_allowed
from locales import N_, current_language, t, using_language
from models import MessageKind, RequestStatus, User
from services import audit, handling, live
from services.formatting import format_datetime
from services.forms import get_form
from services.stages import STAGES

_R = TypeVar('_R')
_V = TypeVar('_V')

# What the handler may write, with the button text for each.
WRITE_KINDS = {
    'message': (N_('Viesti asiakkaalle'), N_('Lähetä viesti')),
    'question': (N_('Kysymys asiakkaalle'), N_('Lähetä kysymys')),
    'info_request': (N_('Pyydä lisätietoja (palautetaan asiakkaalle täydennettäväksi)'), N_('Pyydä lisätietoja')),
    'note': (N_('Sisäinen muistiinpano (ei näy asiakkaalle)'), N_('Tallenna muistiinpano')),
    'resolve': (N_('Ratkaisu (palvelupyyntö siirtyy valmiisiin)'), N_('Ratkaise palvelupyyntö')),
}
# Alt+Shift+<key> (event.code): single-letter shortcuts would break WCAG 2.1.4 for speech-input users.
SHORTCUTS = {'KeyN': 'next', 'KeyP': 'previous', 'KeyO': 'assign_me', 'KeyH': 'help'}
SHORTCUT_HELP = (
    ('Ctrl+Enter', N_('Lähetä kirjoitettu teksti (kirjoituskentässä)')),
    ('Alt+Shift+N', N_('Seuraava palvelupyyntö jonossa')),
    ('Alt+Shift+P', N_('Edellinen palvelupyyntö jonossa')),
    ('Alt+Shift+O', N_('Ota palvelupyyntö itselleni')),
    ('Alt+Shift+H', N_('Näytä pikanäppäimet')),
)
_SHORTCUT_SCRIPT = """
<script>
document.addEventListener('keydown', (event) => {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
  const action = SHORTCUTS[event.code];
  if (!action) return;
  event.preventDefault();
  emitEvent('handler_shortcut', action);
});
</script>
"""
CITIZEN_EVENTS = {'reply', 'sent', 'withdrawn'}
MESSAGE_STYLES = {
    MessageKind.NOTE: 'bg-amber-50 border-l-8 border-amber-700',
    MessageKind.REPLY: 'bg-white border-l-8 border-green-800',
    MessageKind.RESOLUTION: 'bg-blue-50 border-l-8 border-blue-900',
}


@dataclass(frozen=True)
class Notice:
    """What the live region says after an action or a citizen's update."""

    text: str
    marker: str
    classes: str = 'bg-green-50 border-l-8 border-green-800 p-3 grow'
    offer_next: bool = False


@dataclass(frozen=True)
class Alert:
    """An error, a refused out-of-date change, or another handler's change, above the request."""

    kind: Literal['error', 'conflict', 'changed']
    message: str = ''


class RequestView:
    """The page's state (the request as last read, the alert, the notice, what is being typed) and its parts, each a
    refreshable drawn from that state. Actions run the service off the event loop, then await the redraw, so focus
    and announcements follow a page that is already drawn."""

    def __init__(self, user: User, number: int) -> None:
        self.user = user
        self.number = number
        self.version = 0
        self.view = saved_view()  # the queue view the handler came from, for next / previous
        self.draft_text = ''  # kept across redraws, so a conflict or an error loses nothing typed
        self.draft_kind = 'message'
        self.composer_for: bool | None = None  # is_open of the request the writing box was drawn for
        self.assigned_handler_id: int | None = None
        self.form_steps: dict[int, str] = {}
        self.detail: handling.RequestDetail | None = None
        self.missing = ''  # why there is no request to show
        self.events: list[audit.AuditRow] = []
        self.handlers: dict[int, str] = {}
        self.alert: Alert | None = None
        self.notice: Notice | None = None
        self.text: ui.textarea | None = None
        # Per instance: class-level refreshable methods would keep every open request page as a target.
        self.alert_view = ui.refreshable(self._render_alert)
        self.notice_view = ui.refreshable(self._render_notice)
        self.top_view = ui.refreshable(self._render_top)
        self.left_view = ui.refreshable(self._render_left)
        self.conversation_view = ui.refreshable(self._render_conversation)
        self.composer_view = ui.refreshable(self._render_composer)
        self.side_view = ui.refreshable(self._render_side)
        with ui.row().classes('w-full items-center gap-3 flex-wrap'):
            ui.link(t('← Jonoon'), '/kasittely')
            ui.element('div').classes('grow')
            self.previous_button = ui.button(t('Edellinen'), icon='chevron_left',
                                             on_click=lambda: self._go_neighbour(forward=False)) \
                .props('flat no-caps').mark('previous-request')
            self.next_button = ui.button(t('Seuraava'), icon='chevron_right',
                                         on_click=lambda: self._go_neighbour(forward=True)) \
                .props('flat no-caps').mark('next-request')
            for button, keys in ((self.previous_button, 'Alt+Shift+P'), (self.next_button, 'Alt+Shift+N')):
                button.props['aria-keyshortcuts'] = keys
            help_button = ui.button(t('Pikanäppäimet'), icon='keyboard', on_click=self._show_help) \
                .props('flat no-caps').mark('shortcut-help')
            help_button.props['aria-haspopup'] = 'dialog'
            help_button.props['aria-keyshortcuts'] = 'Alt+Shift+H'
        with ui.column().classes('w-full'):
            self.alert_view()
        # One live region for every result, present from the start so that screen readers announce its changes.
        with ui.element('div').classes('w-full').props('role=status aria-live=polite').mark('action-status'), \
                ui.row().classes('w-full items-center gap-3 flex-wrap'):
            self.notice_view()
        self._load(record_view=True)  # the first read, while the page is built
        with ui.column().classes('w-full gap-2'):
            self.top_view()
        with ui.element('div').classes('grid grid-cols-1 lg:grid-cols-2 gap-4 w-full items-start'):
            with ui.column().classes('gap-4 min-w-0'):
                self.left_view()
            with ui.column().classes('gap-4 min-w-0'):
                with ui.column().classes('w-full gap-4'):
                    self.conversation_view()
                with ui.column().classes('w-full gap-4'):
                    self.composer_view()
                with ui.column().classes('w-full gap-4'):
                    self.side_view()
        self._build_help()
        ui.add_body_html(_SHORTCUT_SCRIPT.replace('SHORTCUTS', json.dumps(SHORTCUTS)))
        ui.on('handler_shortcut', self._shortcut)
        follow([live.request_topic(number)], self._changed_elsewhere)

    # ------------------------------------------------------------------------------------------ state
    def _load(self, *, record_view: bool = False, mark_read: bool = True) -> None:
        """Read the request, its audit log and the staff into the state (the database work of a redraw)."""
        try:
            detail = handling.open_request(self.user, self.number, record_view=record_view, mark_read=mark_read)
        except handling.RequestNotFound as error:
            self.detail, self.missing = None, str(error)
            return
        self.detail, self.missing = detail, ''
        self.version = detail.version
        self.assigned_handler_id = detail.assigned_handler_id
        self.events = audit.events_for_request(self.user, self.number)
        self.handlers = handling.staff_members(self.user)

    async def _off_loop(self, function: Callable[[], _R]) -> _R | None:
        """Database work in a worker thread, in the page's language (error messages are made there)."""
        lang = current_language()

        def call() -> _R:
            with using_language(lang):
                return function()

        return await run.io_bound(call)

    async def _reload(self, *, record_view: bool = False, mark_read: bool = True) -> None:
        await self._off_loop(lambda: self._load(record_view=record_view, mark_read=mark_read))
        await self._redraw()

    async def _redraw(self) -> None:
        """Redraw the request's parts from the state; the writing box only when the request opened or closed, so
        typing is never interrupted by a redraw."""
        views = [self.top_view, self.left_view, self.conversation_view, self.side_view]
        if self.composer_for != (self.detail.is_open if self.detail else None):
            views.append(self.composer_view)
        for view in views:
            await view.refresh()

    async def _show_alert(self, alert: Alert | None) -> None:
        self.alert = alert
        await self.alert_view.refresh()

    async def _show_notice(self, notice: Notice | None) -> None:
        self.notice = notice
        await self.notice_view.refresh()

    # ------------------------------------------------------------------------------------------ drawing
    def _render_alert(self) -> None:
        alert = self.alert
        if alert is None:
            return
        if alert.kind == 'error':
            ui.label(alert.message).classes('bg-red-50 border-l-8 border-red-800 p-3 w-full text-red-900') \
                .props('role=alert')
        elif alert.kind == 'conflict':
            with ui.card().classes('w-full bg-red-50 border-l-8 border-red-800').props('role=alert') \
                    .mark('conflict'):
                heading(t('Palvelupyyntöä on muutettu'), 2, classes='text-red-900')
                ui.label(alert.message).classes('text-red-900')
                ui.button(t('Näytä uusin tilanne'), on_click=self._reload_after_conflict).props('no-caps') \
                    .mark('conflict-reload')
        else:
            with ui.card().classes('w-full bg-amber-50 border-l-8 border-amber-700') \
                    .props('role=alert').mark('changed-elsewhere'):
                ui.label(t('Toinen käsittelijä muutti juuri tätä palvelupyyntöä.')).classes('font-bold')
                ui.button(t('Näytä uusin tilanne'), on_click=self._reload_after_conflict).props('no-caps')

    def _render_notice(self) -> None:
        notice = self.notice
        if notice is None:
            return
        ui.label(notice.text).classes(notice.classes).mark(notice.marker)
        if notice.offer_next:
            ui.button(t('Seuraava palvelupyyntö'), icon='arrow_forward',
                      on_click=lambda: self._go_neighbour(forward=True)) \
                .props('no-caps outline').mark('go-next')

    def _render_top(self) -> None:
        if self.detail is None:
            heading(t('Palvelupyyntöä ei löydy'))
            ui.label(self.missing)
            ui.link(t('Palaa jonoon'), '/kasittely')
            return
        form = get_form(self.detail.service_code)
        self.form_steps = {index: t(step.title) for index, step in enumerate(form.steps)} if form else {}
        self._summary(self.detail)

    def _render_left(self) -> None:
        if self.detail is not None:
            self._answers(self.detail)
            self._sender(self.detail)
            self._history(self.detail)

    def _render_conversation(self) -> None:
        if self.detail is not None:
            self._messages(self.detail)

    def _render_composer(self) -> None:
        self.composer_for = self.detail.is_open if self.detail else None
        if self.detail is None:
            self.text = None
            return
        self._composer(self.detail)

    def _render_side(self) -> None:
        if self.detail is not None:
            self._actions(self.detail)

    def _summary(self, detail: handling.RequestDetail) -> None:
        heading(detail.title)
        status = t(handling.STATUS_LABELS[detail.status])
        if detail.completion_requested:
            status = t('Täydennettävänä asiakkaalla')
        with ui.row().classes('gap-x-6 gap-y-1 flex-wrap text-base').mark('request-status'):
            ui.label(t('Tila: {status}', status=status)).classes('font-bold')
            ui.label(t('Käsittelyvaihe: {stage}', stage=t(detail.stage)))
            ui.label(t('Käsittelijä: {name}', name=detail.assigned_handler or t('ei käsittelijää')))
            ui.label(t('Lähetetty: {time}', time=format_datetime(detail.sent_at)))
        if detail.citizen_replied_before_opening:
            ui.label(t('Asiakas on vastannut tai täydentänyt palvelupyyntöä – uusi vastaus on merkitty luetuksi.')) \
                .classes('bg-green-50 border-l-8 border-green-800 p-3 w-full').props('role=status')
        if detail.resolution:
            with ui.card().classes('w-full bg-blue-50'):
                heading(t('Ratkaisu'), 2)
                ui.label(detail.resolution).classes('whitespace-pre-line')
                ui.label(t('Ratkaistu {time}', time=format_datetime(detail.resolved_at))).classes('text-sm')

    def _sender(self, detail: handling.RequestDetail) -> None:
        with ui.card().classes('w-full').mark('sender'):
            heading(t('Lähettäjä'), 2)
            facts([
                (t('Nimi'), detail.sender.name),
                (t('Henkilötunnus'), detail.sender.identity_masked),
                (t('Sähköposti'), detail.sender.email),
                (t('Puhelinnumero'), detail.sender.phone),
                (t('Käyttäjätunnus'), detail.sender.username),
                (t('Kohdeorganisaatio'), detail.organisation),
                (t('Asioi organisaation puolesta'), detail.representing_organisation),
                (t('Asioi toisen puolesta'), detail.on_behalf_of),
            ])

    def _answers(self, detail: handling.RequestDetail) -> None:
        with ui.card().classes('w-full').mark('answers'):
            heading(t('Lomakkeen tiedot'), 2)
            form = detail.form  # the version it was filled in with
            form_attachments = [a for a in detail.attachments if a.message_id is None]
            if form is None:
                facts((key, str(value)) for key, value in detail.answers.items())
                attachment_links(form_attachments)
            else:
                answers_view(form, detail.answers, form_attachments, heading_level=3)

    def _messages(self, detail: handling.RequestDetail) -> None:
        by_message: dict[int, list] = {}
        for attachment in detail.attachments:
            if attachment.message_id is not None:
                by_message.setdefault(attachment.message_id, []).append(attachment)
        with ui.card().classes('w-full').mark('messages'):
            heading(t('Viestit'), 2)
            if not detail.messages:
                ui.label(t('Ei viestejä.'))
            with ui.element('ol').classes('list-none p-0 m-0 w-full flex flex-col gap-3'):
                for message in detail.messages:
                    style = MESSAGE_STYLES.get(message.kind, 'bg-gray-50 border-l-8 border-gray-500')
                    with ui.element('li').classes(f'p-3 w-full {style}').mark(f'message-{message.kind.value}'):
                        ui.label(f'{message.kind_label} · {message.author} · {format_datetime(message.created_at)}') \
                            .classes('text-sm font-bold')
                        ui.label(message.body).classes('whitespace-pre-line')
                        if by_message.get(message.id):
                            attachment_links(by_message[message.id])

    def _history(self, detail: handling.RequestDetail) -> None:
        with ui.card().classes('w-full').mark('history'):
            heading(t('Käsittelyvaiheet'), 2)
            with ui.element('ol').classes('list-decimal pl-6 m-0'):
                for change in detail.stage_history:
                    with ui.element('li'):
                        who = f' ({change.changed_by})' if change.changed_by else ''
                        ui.label(f'{format_datetime(change.changed_at)} {t(change.stage)}{who}')
            heading(t('Tapahtumaloki'), 2, classes='mt-4')
            events = self.events
            log_table = ui.table(columns=[
                {'name': 'at', 'label': t('Aika'), 'field': 'at', 'align': 'left'},
                {'name': 'actor', 'label': t('Tekijä'), 'field': 'actor', 'align': 'left'},
                {'name': 'event', 'label': t('Tapahtuma'), 'field': 'event', 'align': 'left'},
                {'name': 'details', 'label': t('Tiedot'), 'field': 'details', 'align': 'left'},
            ], rows=[{'id': index, 'at': format_datetime(e.at), 'actor': e.actor or '–', 'event': e.label,
                      'details': e.details_text} for index, e in enumerate(events)], row_key='id') \
                .props('flat bordered dense wrap-cells hide-pagination :rows-per-page-options="[0]"') \
                .classes('w-full').mark('audit-log')
            log_table.props['no-data-label'] = t('Ei tapahtumia.')
            ui.link(t('Lataa tapahtumaloki (CSV)'), f'/kasittely/pyynto/{self.number}/loki.csv') \
                .props('download').mark('audit-csv')

    def _actions(self, detail: handling.RequestDetail) -> None:
        handlers = self.handlers
        with ui.card().classes('w-full gap-2').mark('assign'):
            heading(t('Käsittelijä'), 2)
            if detail.status == RequestStatus.DONE:
                ui.label(detail.assigned_handler or t('ei käsittelijää'))
            else:
                if detail.assigned_handler_id != self.user.id:
                    take = ui.button(t('Ota itselleni'), on_click=self._assign_to_me).props('no-caps') \
                        .mark('assign-me')
                    take.props['aria-keyshortcuts'] = 'Alt+Shift+O'
                chooser = ui.select({**handlers}, label=t('Siirrä käsittelijälle'),
                                    value=detail.assigned_handler_id) \
                    .props('outlined dense').classes('w-full').mark('assign-select')
                ui.button(t('Siirrä'), on_click=lambda: self._run(handling.assign, chooser.value,
                                                                  done=t('Käsittelijä vaihdettu.'))) \
                    .props('outline no-caps').mark('assign-other')
        if detail.is_open:
            with ui.card().classes('w-full gap-2').mark('stage'):
                heading(t('Käsittelyvaihe'), 2)
                stage = ui.select({s: t(s) for s in STAGES}, label=t('Uusi käsittelyvaihe'), value=detail.stage) \
                    .props('outlined dense').classes('w-full').mark('stage-select')
                ui.button(t('Vaihda vaihe'), on_click=lambda: self._run(handling.change_stage, stage.value,
                                                                        done=t('Käsittelyvaihe vaihdettu.'))) \
                    .props('outline no-caps').mark('stage-change')

    def _composer(self, detail: handling.RequestDetail) -> None:
        kinds = WRITE_KINDS if detail.is_open else {'note': WRITE_KINDS['note']}
        if self.draft_kind not in kinds:
            self.draft_kind = 'note'
        with ui.card().classes('w-full gap-2').mark('composer'):
            heading(t('Kirjoita'), 2)
            self.summary = ErrorSummary()
            ui.label(t('Mitä kirjoitat?')).props('id=write-kind-label').classes('font-bold')
            kind = ui.radio({key: t(label) for key, (label, _) in kinds.items()}, value=self.draft_kind) \
                .props('aria-labelledby=write-kind-label').mark('write-kind')
            shows_at_once(kind)
            step = ui.select(self.form_steps, label=t('Täydennettävä kohta'), value=0) \
                .props('outlined dense').classes('w-full').mark('write-step')
            self.text = text = ui.textarea(t('Teksti'), value=self.draft_text) \
                .props('outlined autogrow counter').classes('w-full').mark('write-text')
            text.props['maxlength'] = handling.MAX_MESSAGE_LENGTH
            text.props['aria-keyshortcuts'] = 'Control+Enter'
            hint = ui.label().classes('text-sm text-gray-800')
            button = ui.button(on_click=lambda: self._write(kind.value, step.value)) \
                .props('no-caps').mark('write-submit')
            ui.label(t('Ctrl+Enter lähettää.')).classes('text-sm text-gray-800')
            text.on('keydown.ctrl.enter', lambda: self._write(kind.value, step.value))

            def follow_kind() -> None:
                self.draft_kind = kind.value
                button.set_text(t(kinds[kind.value][1]))
                step.set_visibility(kind.value == 'info_request' and len(self.form_steps) > 1)
                hint.set_text({
                    'message': t('Asiakas näkee viestin Oma asiointi -sivulla ja saa siitä sähköpostin.'),
                    'question': t('Asiakas näkee kysymyksen, saa siitä sähköpostin ja voi vastata siihen.'),
                    'info_request': t('Palvelupyyntö palautuu asiakkaalle luonnokseksi täydennettäväksi ja '
                                      'lähetettäväksi uudelleen. Asiakas saa sähköpostin.'),
                    'note': t('Muistiinpano näkyy vain palvelukeskuksen käsittelijöille.'),
                    'resolve': t('Palvelupyyntö siirtyy asiakkaan Valmiit-välilehdelle ja ratkaisu lähetetään '
                                 'asiakkaalle sähköpostilla.'),
                }[kind.value])

            kind.on_value_change(follow_kind)
            text.on_value_change(lambda e: setattr(self, 'draft_text', e.value or ''))
            follow_kind()

    def _build_help(self) -> None:
        with ui.dialog() as self.help_dialog, ui.card().mark('shortcut-dialog'):
            ui.label(t('Pikanäppäimet')).classes('text-lg font-bold') \
                .props('id=shortcut-help-heading role=heading aria-level=2')
            with ui.element('dl').classes('grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1'):
                for keys, text in SHORTCUT_HELP:
                    with ui.element('dt').classes('font-mono font-bold'):
                        ui.label(keys)
                    with ui.element('dd').classes('m-0'):
                        ui.label(t(text))
            ui.label(t('Seuraava ja edellinen kulkevat jonon siinä näkymässä (suodattimet ja järjestys), josta '
                       'tulit.')).classes('text-sm')
            ui.button(t('Sulje'), on_click=self.help_dialog.close).props('no-caps').classes('self-end')
        self.help_dialog.props['aria-labelledby'] = 'shortcut-help-heading'  # Quasar's role=dialog element

    def _show_help(self) -> None:
        self.help_dialog.open()

    # ------------------------------------------------------------------------------------------ actions
    async def _write(self, kind: str, step: int | None) -> None:
        if self.text is None:
            return
        body = self.text.value or ''
        if not body.strip():
            self.text.error = t('Kirjoita teksti ennen lähettämistä.')
            self.summary.show([(self.text, t('Kirjoita teksti ennen lähettämistä.'))])
            return
        self.text.error = None
        self.summary.clear()
        if kind == 'resolve':
            self._confirm_resolution(body)
            return
        actions: dict[str, tuple[Callable[[int, int, str], object], str]] = {
            'message': (lambda n, v, b: handling.send_message(self.user, n, v, b), t('Viesti lähetetty asiakkaalle.')),
            'question': (lambda n, v, b: handling.send_message(self.user, n, v, b, question=True),
                         t('Kysymys lähetetty asiakkaalle.')),
            'info_request': (lambda n, v, b: handling.ask_for_information(self.user, n, v, b, step=step or 0),
                             t('Palvelupyyntö palautettiin asiakkaalle täydennettäväksi.')),
            'note': (lambda n, v, b: handling.add_note(self.user, n, v, b), t('Muistiinpano tallennettu.')),
        }
        action, done = actions[kind]
        version = self.version
        await self._perform(lambda: action(self.number, version, body), done, offer_next=kind != 'note')

    def _confirm_resolution(self, body: str) -> None:
        async def resolve() -> None:
            dialog.close()
            version = self.version
            await self._perform(lambda: handling.resolve(self.user, self.number, version, body),
                                t('Palvelupyyntö ratkaistu.'), offer_next=True)

        unassigned = self.assigned_handler_id is None
        with ui.dialog() as dialog, ui.card().props('role=alertdialog aria-labelledby=resolve-heading') \
                .classes('max-w-xl').mark('resolve-dialog'):
            ui.label(t('Ratkaistaanko palvelupyyntö {number}?', number=self.number)).classes('text-lg font-bold') \
                .props('id=resolve-heading role=heading aria-level=2')
            ui.label(t('Ratkaisu lähetetään asiakkaalle, eikä palvelupyyntöä voi sen jälkeen enää käsitellä.'))
            if unassigned:
                ui.label(t('Palvelupyynnöllä ei ole käsittelijää: se merkitään sinulle.'))
            ui.label(body).classes('whitespace-pre-line bg-gray-50 p-2 w-full max-h-60 overflow-auto')
            with ui.row().classes('justify-end w-full'):
                ui.button(t('Peruuta'), on_click=dialog.close).props('outline no-caps')
                ui.button(t('Kyllä, ratkaise'), on_click=resolve).props('no-caps').mark('confirm-resolve')
        dialog.on('hide', lambda: self._focus_writing())
        dialog.open()

    async def _assign_to_me(self) -> None:
        await self._run(handling.assign, self.user.id, done=t('Otit palvelupyynnön itsellesi.'))

    async def _run(self, function: Callable[[User, int, int, _V], object], value: _V, *, done: str) -> None:
        version = self.version
        await self._perform(lambda: function(self.user, self.number, version, value), done)

    async def _perform(self, call: Callable[[], object], done: str, *, offer_next: bool = False) -> None:
        """Run the action, then redraw from the database and say what was done; on a refusal say why instead."""
        if not await self._attempt(call):
            return
        self.draft_text = ''
        if self.text is not None:
            self.text.value = ''
        await self._reload()
        await self._show_notice(Notice(done, 'action-done', offer_next=offer_next))
        self._focus_writing()

    async def _attempt(self, call: Callable[[], object]) -> bool:
        await self._show_alert(None)
        if not still_allowed(self.user):
            return False
        try:
            await self._off_loop(call)
        except handling.VersionConflict as error:
            await self._show_alert(Alert('conflict', str(error)))
            return False
        except handling.HandlingError as error:
            await self._show_alert(Alert('error', str(error)))
            return False
        return True

    def _focus_writing(self) -> None:
        if self.text is not None:
            self.text.run_method('focus')

    async def _go_neighbour(self, *, forward: bool) -> None:
        if not still_allowed(self.user):
            return
        number = await run.io_bound(neighbour, self.user, self.number, self.view, forward=forward)
        if number is None:
            await self._show_notice(Notice(t('Jonossa ei ole seuraavaa palvelupyyntöä.') if forward else
                                           t('Jonossa ei ole edellistä palvelupyyntöä.'), 'no-neighbour',
                                           classes='p-3'))
            return
        ui.navigate.to(f'/kasittely/pyynto/{number}')

    async def _shortcut(self, event: GenericEventArguments) -> None:
        action = event.args
        if action == 'help':
            self._show_help()
        elif action in ('next', 'previous'):
            await self._go_neighbour(forward=action == 'next')
        elif action == 'assign_me' and self.assigned_handler_id != self.user.id and self.composer_for:
            await self._assign_to_me()

    async def _changed_elsewhere(self, event: live.LiveEvent) -> None:
        """Someone else acted on this request. The citizen's answer is shown at once (the writing box stays as
        it is); another handler's change is announced with a button, so nothing moves under the handler's hands."""
        if event.data.get('actor') == self.user.id:
            return  # our own action, drawn already
        if event.kind not in CITIZEN_EVENTS:
            await self._show_alert(Alert('changed'))
            return
        await self._reload(mark_read=False)
        if self.detail is None:
            return
        await self._show_notice(Notice(
            t('Asiakas vastasi.') if event.kind == 'reply' else
            t('Asiakas lähetti täydennetyn palvelupyynnön.') if event.kind == 'sent' else
            t('Asiakas perui palvelupyynnön.'), 'citizen-update',
            classes='bg-green-50 border-l-8 border-green-800 p-3'))

    async def _reload_after_conflict(self) -> None:
        await self._show_alert(None)
        await self._reload()  # the typed text survives in self.draft_text and the writing box


def request_page(number: str) -> None:
    with frame('jono', title=t('Palvelupyyntö {number}', number=number)):
        user = staff_user()
        if user is None:
            return
        if not number.isdigit() or len(number) > 12:
            heading(t('Palvelupyyntöä ei löydy'))
            ui.link(t('Palaa jonoon'), '/kasittely')
            return
        RequestView(user, int(number))


def audit_csv(number: str) -> Response:
    user = session.current_user()
    if user is None or not user.is_staff:
        return PlainTextResponse('403', status_code=403)
    if not number.isdigit() or len(number) > 12:
        return PlainTextResponse('404', status_code=404)
    try:
        text = audit.export_csv(user, int(number))
    except LookupError:
        return PlainTextResponse('404', status_code=404)
    # A byte order mark tells spreadsheet programs the file is UTF-8 (ä, ö).
    return Response('\ufeff' + text, media_type='text/csv; charset=utf-8', headers={
        'Content-Disposition': f'attachment; filename="tapahtumaloki-{number}.csv"'})


def register() -> None:
    ui.page('/kasittely/pyynto/{number}')(request_page)
    app.add_api_route('/kasittely/pyynto/{number}/loki.csv', audit_csv, methods=['GET'])
