"""One request for a handler (/kasittely/pyynto/<number>): the sender and on whose behalf, all answers and
attachments, messages (with internal notes marked), stage history and the audit log; and the actions: assign,
change stage, write to the citizen (message, question, request for more information), add an internal note, resolve.

Each action sends the version the page was drawn from; if another handler changed the request meanwhile, the page
says so and keeps what was typed.
"""
from __future__ import annotations

from fastapi import Response
from fastapi.responses import PlainTextResponse
from nicegui import app, ui

from auth import session
from components.answers_view import answers_view, attachment_links
from components.error_summary import ErrorSummary
from components.frame import frame
from components.workbench import announce, facts, heading, staff_user, still_allowed
from locales import N_, t
from models import MessageKind, RequestStatus, User
from services import audit, handling
from services.formatting import format_datetime
from services.forms import get_form
from services.stages import STAGES

# What the handler may write, with the button text for each.
WRITE_KINDS = {
    'message': (N_('Viesti asiakkaalle'), N_('Lähetä viesti')),
    'question': (N_('Kysymys asiakkaalle'), N_('Lähetä kysymys')),
    'info_request': (N_('Pyydä lisätietoja (palautetaan asiakkaalle täydennettäväksi)'), N_('Pyydä lisätietoja')),
    'note': (N_('Sisäinen muistiinpano (ei näy asiakkaalle)'), N_('Tallenna muistiinpano')),
    'resolve': (N_('Ratkaisu (palvelupyyntö siirtyy valmiisiin)'), N_('Ratkaise palvelupyyntö')),
}
MESSAGE_STYLES = {
    MessageKind.NOTE: 'bg-amber-50 border-l-8 border-amber-700',
    MessageKind.REPLY: 'bg-white border-l-8 border-green-800',
    MessageKind.RESOLUTION: 'bg-blue-50 border-l-8 border-blue-900',
}


class RequestView:
    def __init__(self, user: User, number: int) -> None:
        self.user = user
        self.number = number
        self.version = 0
        self.alert = ui.column().classes('w-full')
        self.body = ui.column().classes('w-full gap-4')
        self.draft_text = ''  # kept across redraws, so a conflict or an error loses nothing typed
        self.draft_kind = 'message'
        self.draw(record_view=True)

    # ------------------------------------------------------------------------------------------ drawing
    def draw(self, *, record_view: bool = False) -> None:
        self.body.clear()
        with self.body:
            try:
                detail = handling.open_request(self.user, self.number, record_view=record_view)
            except handling.RequestNotFound as error:
                heading(t('Palvelupyyntöä ei löydy'))
                ui.label(str(error))
                ui.link(t('Palaa jonoon'), '/kasittely')
                return
            self.version = detail.version
            self._summary(detail)
            with ui.element('div').classes('grid grid-cols-1 lg:grid-cols-[minmax(0,1fr)_24rem] gap-4 w-full'):
                with ui.column().classes('gap-4 min-w-0'):
                    self._sender(detail)
                    self._answers(detail)
                    self._messages(detail)
                    self._history(detail)
                with ui.column().classes('gap-4'):
                    self._actions(detail)

    def _summary(self, detail: handling.RequestDetail) -> None:
        ui.link(t('← Jonoon'), '/kasittely').classes('self-start')
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
            form = get_form(detail.service_code)
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
            events = audit.events_for_request(self.user, self.number)
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
        handlers = handling.staff_members(self.user)
        with ui.card().classes('w-full gap-2').mark('assign'):
            heading(t('Käsittelijä'), 2)
            if detail.status == RequestStatus.DONE:
                ui.label(detail.assigned_handler or t('ei käsittelijää'))
            else:
                if detail.assigned_handler_id != self.user.id:
                    taken = t('Otit palvelupyynnön itsellesi.')
                    ui.button(t('Ota itselleni'), on_click=lambda: self._run(handling.assign, self.user.id,
                                                                             done=taken)) \
                        .props('no-caps').mark('assign-me')
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
        self._composer(detail)

    def _composer(self, detail: handling.RequestDetail) -> None:
        kinds = WRITE_KINDS if detail.is_open else {'note': WRITE_KINDS['note']}
        if self.draft_kind not in kinds:
            self.draft_kind = 'note'
        with ui.card().classes('w-full gap-2').mark('composer'):
            heading(t('Kirjoita'), 2)
            summary = ErrorSummary()
            ui.label(t('Mitä kirjoitat?')).props('id=write-kind-label').classes('font-bold')
            kind = ui.radio({key: t(label) for key, (label, _) in kinds.items()}, value=self.draft_kind) \
                .props('aria-labelledby=write-kind-label').mark('write-kind')
            text = ui.textarea(t('Teksti'), value=self.draft_text) \
                .props('outlined autogrow counter').classes('w-full').mark('write-text')
            text.props['maxlength'] = handling.MAX_MESSAGE_LENGTH
            hint = ui.label().classes('text-sm text-gray-800')
            button = ui.button(on_click=lambda: self._write(kind.value, text, summary)) \
                .props('no-caps').mark('write-submit')

            def follow_kind() -> None:
                self.draft_kind = kind.value
                button.set_text(t(kinds[kind.value][1]))
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

    # ------------------------------------------------------------------------------------------ actions
    def _write(self, kind: str, text: ui.textarea, summary: ErrorSummary) -> None:
        body = text.value or ''
        if not body.strip():
            text.error = t('Kirjoita teksti ennen lähettämistä.')
            summary.show([(text, t('Kirjoita teksti ennen lähettämistä.'))])
            return
        actions = {
            'message': (lambda n, v, b: handling.send_message(self.user, n, v, b), t('Viesti lähetetty asiakkaalle.')),
            'question': (lambda n, v, b: handling.send_message(self.user, n, v, b, question=True),
                         t('Kysymys lähetetty asiakkaalle.')),
            'info_request': (lambda n, v, b: handling.ask_for_information(self.user, n, v, b),
                             t('Palvelupyyntö palautettiin asiakkaalle täydennettäväksi.')),
            'note': (lambda n, v, b: handling.add_note(self.user, n, v, b), t('Muistiinpano tallennettu.')),
            'resolve': (lambda n, v, b: handling.resolve(self.user, n, v, b), t('Palvelupyyntö ratkaistu.')),
        }
        action, done = actions[kind]
        if self._attempt(lambda: action(self.number, self.version, body), error_field=(text, summary)):
            self.draft_text = ''
            self._finish(done)

    def _run(self, function, value, *, done: str) -> None:
        if self._attempt(lambda: function(self.user, self.number, self.version, value)):
            self._finish(done)

    def _attempt(self, call, error_field: tuple[ui.textarea, ErrorSummary] | None = None) -> bool:
        self.alert.clear()
        if not still_allowed(self.user):
            return False
        try:
            call()
        except handling.VersionConflict as error:
            self._conflict(str(error))
            return False
        except handling.HandlingError as error:
            if error_field is not None:
                field, summary = error_field
                field.error = str(error)
                summary.show([(field, str(error))])
            else:
                with self.alert:
                    ui.label(str(error)).classes('bg-red-50 border-l-8 border-red-800 p-3 w-full text-red-900') \
                        .props('role=alert')
            return False
        return True

    def _conflict(self, message: str) -> None:
        with self.alert, ui.card().classes('w-full bg-red-50 border-l-8 border-red-800').props('role=alert') \
                .mark('conflict'):
            heading(t('Palvelupyyntöä on muutettu'), 2, classes='text-red-900')
            ui.label(message).classes('text-red-900')
            ui.button(t('Näytä uusin tilanne'), on_click=self._reload_after_conflict).props('no-caps') \
                .mark('conflict-reload')

    def _reload_after_conflict(self) -> None:
        self.alert.clear()
        self.draw()  # the typed text survives in self.draft_text

    def _finish(self, done: str) -> None:
        self.draw()
        announce(self.alert, done)


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
