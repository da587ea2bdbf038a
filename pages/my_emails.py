"""/omat-tiedot/sahkopostit: a citizen's own emails, readable in the portal while no SMTP server is configured
(demo and development installations); with SMTP they go to the person's address instead."""
from __future__ import annotations

from nicegui import ui

from auth import session
from components.email_view import email_bodies, email_facts
from components.frame import frame
from components.workbench import heading
from config import get_settings
from locales import t
from services.email import outbox
from services.formatting import format_datetime

PATH = '/omat-tiedot/sahkopostit'


def my_emails_page() -> None:
    user = session.current_user()
    assert user is not None  # the access middleware lets only signed-in users here
    with frame('omat-tiedot', title=t('Sähköpostini')):
        heading(t('Sähköpostini'))
        if get_settings().smtp_host:
            ui.label(t('Sähköpostit lähetetään sähköpostiosoitteeseesi.'))
            return
        ui.label(t('Tämä on kokeiluympäristö, josta sähköposteja ei lähetetä. Näet täällä viestit, jotka '
                   'sinulle olisi lähetetty.')).classes('mb-3')
        emails = outbox.list_mailbox(user)
        if not emails:
            ui.label(t('Ei sähköposteja.'))
            return
        for email in emails:
            with ui.expansion(f'{format_datetime(email.created_at)} – {email.subject}') \
                    .classes('w-full bg-white border mb-2').mark('my-email'):
                email_facts(email, staff=False)
                email_bodies(email, level=2)


def register() -> None:
    ui.page(PATH)(my_emails_page)
