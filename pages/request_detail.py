"""/oma-asiointi/<number>: one of the citizen's own requests — its state, the message thread with the centre (where
the citizen replies, with attachments), the answers as sent, and the history of stages. A draft shows its saved
answers with the ways on: resume it in the form, or delete it.

A number that does not exist and someone else's number give the same "not found" page.
"""
from __future__ import annotations

from nicegui import run, ui

from auth import session
from components.answers_view import answers_view, attachment_links
from components.error_summary import ErrorSummary
from components.frame import frame
from components.heading import heading_label
from components.live_updates import follow
from components.notices import notify_success
from components.request_tabs import confirm_draft_deletion
from components.withdrawal import withdraw_button
from config import get_settings
from locales import N_, nt, t
from models import MessageKind, RequestStatus, User
from services import live
from services.attachments import AttachmentRefused, check_upload
from services.formatting import format_datetime
from services.messages import (
    REPLY_MAX_LENGTH,
    ReplyRefused,
    ThreadMessage,
    list_thread,
    mark_centre_messages_read,
    may_reply,
    post_reply,
)
from services.requests import RequestDetail, RequestNotFound, get_request_detail

STATUS_LABELS = {RequestStatus.DRAFT: N_('Luonnos'), RequestStatus.SENT: N_('Lähetetty'),
                 RequestStatus.DONE: N_('Valmis')}
KIND_LABELS = {MessageKind.MESSAGE: N_('Viesti'), MessageKind.QUESTION: N_('Kysymys'),
               MessageKind.INFO_REQUEST: N_('Täydennyspyyntö'), MessageKind.RESOLUTION: N_('Ratkaisu'),
               MessageKind.REPLY: N_('Vastauksesi')}


def edit_href(number: int) -> str:
    """The forms engineer's page where a draft is resumed."""
    return f'/palvelupyynto/{number}/muokkaa'


def _heading(text: str, level: int, classes: str = 'text-xl font-bold') -> ui.label:
    return heading_label(text, level, classes)


def _not_found() -> None:
    with frame('oma-asiointi', title=t('Palvelupyyntöä ei löytynyt')):
        _heading(t('Palvelupyyntöä ei löytynyt'), 1, 'text-3xl font-bold').mark('not-found')
        ui.label(t('Tarkista osoite. Näet täällä vain omat palvelupyyntösi.'))
        ui.link(t('Takaisin omiin tapahtumiin'), '/oma-asiointi')


def _summary(detail: RequestDetail) -> None:
    rows = [(N_('Tila'), t(STATUS_LABELS[detail.status])), (N_('Luontiaika'), format_datetime(detail.created_at))]
    if detail.status != RequestStatus.DRAFT:
        rows += [(N_('Käsittelyvaihe'), t(detail.stage)), (N_('Lähetetty'), format_datetime(detail.sent_at)),
                 (N_('Muokattu viimeksi'), format_datetime(detail.modified_at))]
    if detail.resolved_at:
        rows.append((N_('Ratkaistu'), format_datetime(detail.resolved_at)))
    with ui.element('dl').classes('grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1'):
        for label, value in rows:
            with ui.element('dt').classes('font-bold'):
                ui.label(t(label))
            with ui.element('dd'):
                ui.label(value).mark(f'summary-{label}')


def _message(message: ThreadMessage) -> None:
    brand = get_settings().brand_name.capitalize()
    colours = 'bg-blue-50 border-l-4 border-[#00466e]' if message.from_centre else 'bg-gray-100 sm:ml-8'
    with ui.element('li').classes(f'list-none p-3 rounded {colours}').mark('thread-message'):
        with ui.row().classes('items-center gap-x-3 gap-y-0 flex-wrap'):
            ui.label(t(KIND_LABELS[message.kind])).classes('font-bold')
            ui.label(brand if message.from_centre else t('Sinä')).classes('text-sm')
            ui.label(format_datetime(message.created_at)).classes('text-sm text-gray-700')
            if message.unread:
                ui.badge(t('Uusi'), color='red-9').classes('text-sm')
        ui.label(message.body).classes('whitespace-pre-line break-words mt-1')
        if message.attachments:
            attachment_links(message.attachments)


_UPLOAD_HEADER = r'''
<label class="reply-add-files relative-position row items-center no-wrap q-px-md q-py-sm rounded-borders
              cursor-pointer" v-if="props.canAddFiles">
  <q-icon name="attach_file" class="q-mr-sm" aria-hidden="true" /><span>LABEL</span>
  <q-uploader-add-trigger />
</label>
'''
_UPLOAD_STYLE = '''
<style>
  .reply-upload.q-uploader { width: auto; max-width: 100%; box-shadow: none; background: transparent; }
  .reply-upload .q-uploader__header { background: transparent; color: inherit; }
  .reply-upload .q-uploader__list { display: none; }
  .reply-add-files { border: 2px solid var(--brand); color: var(--brand); font-weight: 600; }
  .reply-add-files:focus-within { outline: 3px solid #ffbf47; outline-offset: 2px; }
</style>
'''


class ReplyForm:
    """The citizen's reply: a text and files, checked on upload for quick feedback and again by the service."""

    def __init__(self, user: User, number: int, on_sent) -> None:
        self.user = user
        self.number = number
        self.on_sent = on_sent
        self.files: list[tuple[str, bytes]] = []
        _heading(t('Vastaa'), 3, 'text-lg font-bold mt-4')
        self.summary = ErrorSummary()
        self.body = ui.textarea(t('Viesti'), validation={
            t('Kirjoita viesti.'): lambda value: bool((value or '').strip()),
            nt('Viesti saa olla enintään {count} merkki.',
               'Viesti saa olla enintään {count} merkkiä.', REPLY_MAX_LENGTH):
                lambda value: len(value or '') <= REPLY_MAX_LENGTH,
        }).props('outlined counter autogrow').classes('w-full').mark('reply-body')
        self.body.props['maxlength'] = REPLY_MAX_LENGTH
        self.body.without_auto_validation()
        ui.label(t('Liitteet')).classes('font-bold mt-2')
        ui.label(t('Sallitut tiedostotyypit: {types}. Enintään {size} Mt tiedostoa kohden.',
                   types=', '.join(get_settings().attachment_types), size=get_settings().attachment_max_file_mb)) \
            .classes('text-sm text-gray-700')
        accept = ','.join(f'.{kind}' for kind in get_settings().attachment_types)
        self.upload = ui.upload(on_upload=self._on_upload, multiple=True, auto_upload=True,
                                max_file_size=get_settings().attachment_max_file_mb * 1024 * 1024,
                                on_rejected=lambda: self._show_file_error(t(
                                    'Tiedosto on liian suuri. Suurin sallittu koko on {size} Mt.',
                                    size=get_settings().attachment_max_file_mb))) \
            .props('flat').classes('reply-upload').mark('reply-upload')
        self.upload.props['accept'] = accept
        # Quasar's own header puts the file input inside a button without a name (axe: nested-interactive, label).
        # A <label> around the hidden input names it and makes the whole area the click target instead.
        self.upload.add_slot('header', _UPLOAD_HEADER.replace('LABEL', t('Lisää liitteitä')))
        self.upload.add_slot('list', '<span></span>')
        self.file_error = ui.label('').classes('text-red-900 font-bold').props('role=alert')
        self.file_error.set_visibility(False)
        self.file_list = ui.refreshable(self._render_files)  # per form: redraws only this form's list
        with ui.column().classes('gap-1'):
            self.file_list()
        ui.button(t('Lähetä vastaus'), on_click=self.send).props('no-caps color=primary').classes('mt-2') \
            .mark('send-reply')

    async def _on_upload(self, event) -> None:
        data = await event.file.read()
        try:
            # Up to 10 MB checked by content: in a worker thread, not on the event loop.
            checked = await run.io_bound(check_upload, event.file.name, data,
                                         already_attached_bytes=sum(len(d) for _, d in self.files),
                                         already_attached_count=len(self.files))
            assert checked is not None  # None only while the app stops
        except AttachmentRefused as refused:
            self._show_file_error(str(refused))
        else:
            self.files.append((checked.filename, checked.data))
            self._show_file_error('')
        self.upload.reset()
        await self.file_list.refresh()

    def _show_file_error(self, message: str) -> None:
        self.file_error.set_text(message)
        self.file_error.set_visibility(bool(message))

    def _render_files(self) -> None:
        for index, (name, _data) in enumerate(self.files):
            with ui.row().classes('items-center gap-2').mark('pending-file'):
                ui.label(name)
                ui.button(t('Poista'), on_click=lambda i=index: self._remove(i)) \
                    .props('flat dense no-caps color=red-10').props['aria-label'] = t('Poista liite {name}',
                                                                                      name=name)

    def _remove(self, index: int) -> None:
        del self.files[index]
        self.file_list.refresh()

    def send(self) -> None:
        if not self.body.validate():
            self.summary.show([(self.body, self.body.error or t('Kirjoita viesti.'))])
            return
        try:
            post_reply(self.user, self.number, self.body.value or '', self.files)
        except ReplyRefused as refused:
            field = self.body if refused.field == 'body' else self.upload
            self.summary.show([(field, str(refused))])
            return
        except RequestNotFound:
            ui.navigate.reload()
            return
        self.summary.clear()
        notify_success(t('Vastauksesi lähetettiin.'))
        self.on_sent()


def request_detail_page(number: str) -> None:
    user = session.current_user()
    assert user is not None  # the access middleware lets only signed-in users here
    if not number.isdigit() or len(number) > 18:
        _not_found()
        return
    try:
        detail = get_request_detail(user, int(number))
        # Read before marking, so this view can still show which messages are new.
        has_thread = detail.status != RequestStatus.DRAFT or detail.reopened
        thread = list_thread(user, detail.number) if has_thread else []
        mark_centre_messages_read(user, detail.number)
    except RequestNotFound:
        _not_found()
        return
    form = detail.form  # the version it was filled in with
    with frame('oma-asiointi', title=detail.title):
        ui.link(t('Takaisin omiin tapahtumiin'), '/oma-asiointi').classes('mb-2')
        _heading(detail.title, 1, 'text-2xl sm:text-3xl font-bold break-words').mark('request-heading')
        summary = ui.refreshable(_summary)  # made per page: redraws only this page's summary
        with ui.column().classes('gap-0'):
            summary(detail)
        live_status = ui.label('').classes('font-bold mt-2').props('role=status').mark('live-status')
        if detail.completion_requested:
            ui.label(t('Palvelupyyntöön on pyydetty täydennystä: katso viestit.')) \
                .classes('bg-orange-50 border-l-4 border-orange-700 p-3 w-full')
        if detail.status == RequestStatus.DRAFT:
            _draft_actions(detail)
        if detail.resolution:
            with ui.card().classes('w-full mt-4'):
                _heading(t('Ratkaisu'), 2)
                ui.label(detail.resolution).classes('whitespace-pre-line')
        refresh_thread = _thread_section(user, detail, thread) if has_thread else None

        async def changed(event: live.LiveEvent) -> None:
            """The centre wrote or changed this request: show it without a reload (the reply being typed stays)."""
            if event.data.get('request') != detail.number:
                return
            try:
                fresh, fresh_thread = await run.io_bound(_read_for_update, user, detail.number)
            except RequestNotFound:
                return
            if fresh.status != detail.status or fresh.completion_requested != detail.completion_requested:
                ui.navigate.reload()  # what may be done with it changed (resolved, returned): draw it anew
                return
            await summary.refresh(fresh)
            if refresh_thread is not None:
                refresh_thread(fresh_thread)
            if any(message.unread for message in fresh_thread):
                live_status.set_text(t('Uusi viesti palvelukeskukselta.'))

        follow([live.user_topic(user.id)], changed)
        with ui.card().classes('w-full mt-4'):
            _heading(t('Tallennetut tiedot') if detail.status == RequestStatus.DRAFT else t('Lähetetyt tiedot'), 2)
            if form is None:
                ui.label(t('Lomakkeen kuvausta ei löytynyt.'))
            else:
                answers_view(form, detail.answers, detail.attachments, heading_level=3)
        if detail.stages:
            with ui.card().classes('w-full mt-4'):
                _heading(t('Käsittelyhistoria'), 2)
                with ui.element('ol').classes('list-none p-0 m-0'):
                    for stage in detail.stages:
                        with ui.element('li').classes('flex gap-4 flex-wrap').mark('stage-row'):
                            ui.label(format_datetime(stage.changed_at)).classes('tabular-nums')
                            ui.label(t(stage.stage)).classes('font-bold')


def _read_for_update(user: User, number: int) -> tuple[RequestDetail, list[ThreadMessage]]:
    detail = get_request_detail(user, number)
    thread = list_thread(user, number)
    mark_centre_messages_read(user, number)  # shown on the open page: read
    return detail, thread


def _draft_actions(detail: RequestDetail) -> None:
    if not detail.reopened:
        ui.label(t('Tämä palvelupyyntö on luonnos, eikä sitä ole vielä lähetetty.')).classes('mt-2')
    with ui.row().classes('gap-2 mt-2'):
        ui.button(t('Täydennä palvelupyyntöä') if detail.reopened else t('Jatka täyttämistä'),
                  on_click=lambda: ui.navigate.to(edit_href(detail.number))) \
            .props('no-caps color=primary').mark('resume-draft')
        if detail.reopened:
            withdraw_button(detail.number)  # sent once: the centre's record too, so withdrawn rather than deleted
            return
        ui.button(t('Poista luonnos'),
                  on_click=lambda: confirm_draft_deletion(detail.number, detail.title,
                                                          lambda: ui.navigate.to('/oma-asiointi'))) \
            .props('no-caps outline color=red-10').mark('delete-draft')


def _thread_section(user: User, detail: RequestDetail, thread: list[ThreadMessage]):
    """The messages and the reply form; returns the function that redraws the messages."""
    with ui.card().classes('w-full mt-4'):
        _heading(t('Viestit'), 2)

        @ui.refreshable
        def messages(current: list[ThreadMessage]) -> None:
            if not current:
                ui.label(t('Ei viestejä.'))
            with ui.element('ol').classes('flex flex-col gap-2 p-0 m-0 w-full').mark('thread'):
                for message in current:
                    _message(message)

        messages(thread)
        if may_reply(detail.status):
            ui.add_head_html(_UPLOAD_STYLE)

            @ui.refreshable
            def reply_form() -> None:
                ReplyForm(user, detail.number, sent)

            def sent() -> None:
                """A fresh, empty form under the thread that now has the reply."""
                messages.refresh(list_thread(user, detail.number))
                reply_form.refresh()

            with ui.column().classes('w-full'):
                reply_form()
        return messages.refresh


def register() -> None:
    ui.page('/oma-asiointi/{number}')(request_detail_page)
