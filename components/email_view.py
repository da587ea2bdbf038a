"""One email from the outbox as its recipient gets it: the facts, the text version and the HTML version.

Used by the staff outbox view and by a citizen's development mailbox. The HTML body is shown in a sandboxed frame
(no scripts, no same-origin access), so even a mistake in a template could not act on the portal page.
"""
from __future__ import annotations

from nicegui import ui

from components.workbench import facts, heading
from locales import LANGUAGE_NAMES, N_, t
from models import EmailStatus, OutboxEmail
from services.formatting import format_datetime

STATUS_LABELS = {EmailStatus.PENDING: N_('Odottaa'), EmailStatus.SENDING: N_('Lähetetään'),
                 EmailStatus.SENT: N_('Lähetetty'), EmailStatus.FAILED: N_('Epäonnistui')}
STATUS_COLOURS = {EmailStatus.PENDING: 'blue-grey-8', EmailStatus.SENDING: 'blue-9', EmailStatus.SENT: 'green-9',
                  EmailStatus.FAILED: 'red-9'}


def status_badge(status: EmailStatus) -> None:
    ui.badge(t(STATUS_LABELS[status]), color=STATUS_COLOURS[status]).classes('text-sm')


def email_facts(email: OutboxEmail, *, staff: bool) -> None:
    rows = [(t('Vastaanottaja'), email.recipient), (t('Aihe'), email.subject),
            (t('Kieli'), LANGUAGE_NAMES.get(email.language, email.language)),
            (t('Luotu'), format_datetime(email.created_at)), (t('Lähetetty'), format_datetime(email.sent_at))]
    if staff:
        rows += [(t('Tila'), t(STATUS_LABELS[email.status])), (t('Yrityksiä'), str(email.attempts)),
                 (t('Seuraava yritys'), format_datetime(email.next_attempt_at)
                  if email.status == EmailStatus.PENDING else ''),
                 (t('Virhe'), email.last_error or '')]
    facts(rows)


def email_bodies(email: OutboxEmail, *, level: int = 2) -> None:
    heading(t('Tekstiversio'), level, classes='mt-4')
    ui.label(email.body_text).classes('whitespace-pre-wrap break-words bg-white border p-4 w-full') \
        .mark('email-text')
    heading(t('HTML-versio'), level, classes='mt-4')
    frame = ui.element('iframe').classes('w-full bg-white border').style('height: 36rem').mark('email-html')
    frame.props['sandbox'] = ''
    frame.props['srcdoc'] = email.body_html
    frame.props['title'] = t('Sähköpostin HTML-versio: {subject}', subject=email.subject)
