"""SÄHKÖPOSTIT (/kasittely/sahkopostit): the outbox for the centre's staff — pending, being sent, sent and failed
emails, each readable, with a retry button. Without an SMTP server this is also the development mailbox."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.email_view import STATUS_LABELS, email_bodies, email_facts, status_badge
from components.frame import frame
from components.workbench import Announcement, heading, staff_user
from config import get_settings
from locales import pt, t
from models import EmailStatus, OutboxEmail, User, saved_id
from services.email import outbox
from services.formatting import format_datetime

PATH = '/kasittely/sahkopostit'


def can_retry(email: OutboxEmail) -> bool:
    """Failed, or waiting after a failed try: a fresh pending email needs no button."""
    return email.status == EmailStatus.FAILED or (email.status == EmailStatus.PENDING and email.attempts > 0)


def delivery_notice() -> None:
    settings = get_settings()
    with ui.card().classes('w-full my-3 bg-blue-50').props('flat bordered'):
        if settings.smtp_host:
            ui.label(t('Sähköpostit lähetetään SMTP-palvelimen {host} kautta. Jos palvelin ei vastaa, lähetystä '
                       'yritetään uudelleen yhä harvemmin; pysyvästi hylätty viesti merkitään epäonnistuneeksi.',
                       host=settings.smtp_host))
        else:
            ui.label(t('Sähköpostin lähetys ei ole käytössä, koska SMTP-palvelinta ei ole määritetty. Sähköpostit '
                       'jäävät odottamaan, ja voit lukea ne tästä kehityspostilaatikosta.')).mark('dev-mailbox')


def retry(user: User, email_id: int, notice: Announcement, after: Callable[[], object]) -> None:
    if outbox.retry_now(user, email_id):
        notice.show(t('Sähköposti {id} lähetetään uudelleen.', id=email_id))
    else:
        notice.show(t('Sähköpostia {id} ei voi enää lähettää uudelleen.', id=email_id))
    after()


def _status_links(user: User, current: EmailStatus | None) -> None:
    counts = outbox.count_by_status(user)
    # Translators: a filter showing emails of every delivery status ("all emails"), not the queue's "all requests".
    choices = [(None, pt('sähköpostit', 'Kaikki'), counts.total)] + [
        (status, t(STATUS_LABELS[status]), counts.by_status[status]) for status in EmailStatus]
    with ui.element('nav') as navigation, ui.row().classes('gap-2 flex-wrap my-2'):
        navigation.props['aria-label'] = t('Suodata tilan mukaan')
        for status, label, count in choices:
            link = ui.link(f'{label} ({count})', PATH + (f'?tila={status.value}' if status else '')) \
                .classes('px-3 py-1 border rounded no-underline').mark('status-filter')
            if status == current:
                link.props('aria-current=page').classes('bg-[#00466e] text-white')


def _cell(tag: str = 'td'):
    return ui.element(tag).classes('p-2 align-top text-left border-b')


def _row(email: OutboxEmail, on_retry: Callable[[int], None]) -> None:
    with ui.element('tr').mark(f'outbox-row-{email.id}'):
        with _cell():
            ui.label(format_datetime(email.created_at))
        with _cell().classes('break-all'):
            ui.label(email.recipient)
        with _cell():
            ui.link(email.subject, f'{PATH}/{email.id}')
        with _cell():
            status_badge(email.status)
        with _cell():
            ui.label(str(email.attempts))
        with _cell():
            when = {EmailStatus.SENT: email.sent_at, EmailStatus.PENDING: email.next_attempt_at}.get(email.status)
            ui.label(format_datetime(when))
        with _cell().classes('max-w-[18rem] break-words'):
            ui.label(email.last_error or '')
        with _cell():
            if can_retry(email):
                ui.button(t('Yritä uudelleen'), on_click=lambda: on_retry(saved_id(email))) \
                    .props('outline no-caps').mark(f'retry-{email.id}') \
                    .props['aria-label'] = t('Yritä uudelleen: {subject}', subject=email.subject)


def _outbox_table(user: User, status: EmailStatus | None) -> None:
    notice = Announcement()

    @ui.refreshable
    def table() -> None:  # the counts are inside so that a retry updates them too
        _status_links(user, status)
        emails = outbox.list_outbox(user, status)
        if not emails:
            ui.label(t('Ei sähköposteja.')).classes('my-4')
            return
        with ui.element('div').classes('w-full overflow-x-auto'), \
                ui.element('table').classes('w-full bg-white border-collapse').mark('outbox-table'):
            with ui.element('caption').classes('sr-only'):
                ui.label(t('Sähköpostit, uusin ensin'))
            with ui.element('thead'), ui.element('tr'):
                for label in (t('Luotu'), t('Vastaanottaja'), t('Aihe'), t('Tila'), t('Yrityksiä'),
                              t('Seuraava yritys / lähetetty'), t('Virhe'), t('Toiminnot')):
                    with _cell('th').props('scope=col'):
                        ui.label(label)
            with ui.element('tbody'):
                for email in emails:
                    _row(email, lambda email_id: retry(user, email_id, notice, table.refresh))

    table()


def outbox_page(tila: str = '') -> None:
    with frame('sahkopostit', title=t('Sähköpostit')):
        user = staff_user()
        if user is None:
            return
        heading(t('Sähköpostit'))
        delivery_notice()
        status = EmailStatus(tila) if tila in {status.value for status in EmailStatus} else None
        _outbox_table(user, status)


def outbox_email_page(email_id: int) -> None:
    with frame('sahkopostit', title=t('Sähköposti')):
        user = staff_user()
        if user is None:
            return
        ui.link(t('Takaisin sähköposteihin'), PATH)
        email = outbox.get_email(user, email_id)
        if email is None:
            heading(t('Sähköpostia ei löytynyt'))
            return
        heading(email.subject, classes='break-words')
        notice = Announcement()

        @ui.refreshable
        def state() -> None:
            current = outbox.get_email(user, email_id)
            if current is None:  # deleted while the page was open (retention removes a request's emails)
                heading(t('Sähköpostia ei löytynyt'), 2)
                return
            with ui.row().classes('items-center gap-3 my-2'):
                status_badge(current.status)
                if can_retry(current):
                    ui.button(t('Yritä uudelleen'), on_click=lambda: retry(user, email_id, notice, state.refresh)) \
                        .props('no-caps').mark('retry')
            email_facts(current, staff=True)

        state()
        email_bodies(email)


def register() -> None:
    ui.page(PATH)(outbox_page)
    ui.page(PATH + '/{email_id}')(outbox_email_page)
