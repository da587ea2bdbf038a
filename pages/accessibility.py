"""Saavutettavuusseloste (/saavutettavuusseloste, public): the accessibility statement in the page's language and
the accessibility feedback form, whose messages reach the handlers on /kasittely/palaute."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from babel.dates import format_date
from fastapi import Request
from nicegui import run, ui

from components.error_summary import ErrorSummary
from components.frame import frame
from components.heading import heading_label
from config import get_settings
from locales import current_language, t
from services import feedback
from services.accessibility_statement import (
    PREPARED,
    STATEMENT,
    SUPERVISOR,
    SUPERVISOR_EMAIL,
    SUPERVISOR_PHONE,
    SUPERVISOR_PHONE_E164,
    UPDATED,
)


def _statement_date(day: date, lang: str) -> str:
    return format_date(day, 'd MMMM y', locale='en_GB') if lang == 'en' else f'{day.day}.{day.month}.{day.year}'


def _heading(text: str, level: int, classes: str) -> None:
    heading_label(text, level, classes)


def _statement(lang: str) -> None:
    settings = get_settings()
    values = {'brand': settings.brand_name.capitalize(), 'url': settings.base_url,
              'prepared': _statement_date(PREPARED, lang), 'updated': _statement_date(UPDATED, lang)}
    for section in STATEMENT[lang]:
        with ui.element('section').classes('w-full flex flex-col gap-2 mt-4'):
            _heading(section.heading, 2, 'text-xl font-bold')
            for paragraph in section.paragraphs:
                ui.label(paragraph.format(**values)).classes('max-w-3xl')
            if section.items:
                with ui.element('ul').classes('list-disc pl-6 max-w-3xl flex flex-col gap-1'):
                    for item in section.items:
                        with ui.element('li'):
                            ui.label(item.format(**values))
    supervisor = SUPERVISOR[lang]
    with ui.element('section').classes('w-full flex flex-col gap-2 mt-4').mark('supervisor'):
        _heading(supervisor.heading, 2, 'text-xl font-bold')
        ui.label(supervisor.intro).classes('max-w-3xl')
        with ui.element('address').classes('not-italic flex flex-col gap-1'):
            ui.label(supervisor.name).classes('font-bold')
            ui.label(supervisor.unit)
            ui.link(supervisor.website_label, supervisor.website_url)
            with ui.row().classes('gap-1'):
                ui.label(f'{supervisor.email_label}:')
                ui.link(SUPERVISOR_EMAIL, f'mailto:{SUPERVISOR_EMAIL}')
            with ui.row().classes('gap-1'):
                ui.label(f'{supervisor.phone_label}:')
                ui.link(SUPERVISOR_PHONE, f'tel:{SUPERVISOR_PHONE_E164}')


def _page_concerned(request: Request, sivu: str | None) -> str:
    """Prefill "the page concerned" with where the visitor came from (the footer link is on every page)."""
    if sivu:
        return sivu[:feedback.PAGE_MAX_LENGTH]
    referer = request.headers.get('referer', '')
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc == request.url.netloc and parts.path not in ('', '/saavutettavuusseloste'):
        return parts.path
    return ''


def _feedback_form(page_concerned: str) -> None:
    """The form, and once it is sent the thanks in its place (the card is redrawn once, after a successful send:
    until then what was typed stays in the fields)."""
    sent = False

    @ui.refreshable
    def content() -> None:
        if sent:
            _thanks()
            return
        _heading(t('Palautelomake'), 2, 'text-xl font-bold')
        ui.label(t('Kerro, mikä ei toiminut tai mistä sisällöstä tarvitset saavutettavan version. Tähdellä (*) '
                   'merkitty kenttä on pakollinen.')).props('id=feedback-help')
        summary = ErrorSummary()
        body = ui.textarea(t('Palautteesi *')) \
            .props('outlined autogrow aria-required=true aria-describedby=feedback-help maxlength=4000 counter') \
            .classes('w-full').mark('feedback-body')
        page = ui.input(t('Sivu tai toiminto, jota palaute koskee'), value=page_concerned) \
            .props('outlined maxlength=300').classes('w-full').mark('feedback-page')
        ui.label(t('Esimerkiksi sivun osoite tai nimi, kuten Oma asiointi.')).classes('text-sm text-gray-700')
        email = ui.input(t('Sähköpostiosoite, jos haluat vastauksen')) \
            .props('outlined type=email autocomplete=email').classes('w-full').mark('feedback-email')
        ui.label(t('Käytämme osoitetta vain palautteeseen vastaamiseen.')).classes('text-sm text-gray-700')
        fields = {'body': body, 'page': page, 'email': email}

        async def send() -> None:
            nonlocal sent
            errors = feedback.validate_feedback(body.value or '', email.value or '', page.value or '')
            for name, field in fields.items():
                field.error = errors.get(name)
                field.props['aria-invalid'] = 'true' if name in errors else 'false'
                field.update()
            summary.show([(field, errors[name]) for name, field in fields.items() if name in errors])
            if errors:
                return  # what was typed stays in the fields
            await run.io_bound(feedback.submit_feedback, body.value or '', email.value or '', page.value or '',
                               current_language())
            sent = True
            await content.refresh()
            # Focus follows the answer (the button that had it is gone), once the new content is in the page.
            ui.run_javascript("setTimeout(() => document.getElementById('feedback-thanks')?.focus(), 50)")

        ui.button(t('Lähetä palaute'), on_click=send).props('no-caps color=primary').classes('self-start') \
            .mark('feedback-send')

    with ui.card().classes('w-full max-w-3xl p-6 gap-3 mt-6').props('id=palaute').mark('feedback-card'):
        content()


def _thanks() -> None:
    _heading(t('Kiitos palautteestasi'), 2, 'text-xl font-bold')
    with ui.column().props('id=feedback-thanks role=status tabindex=-1').classes('gap-2').mark('feedback-thanks'):
        ui.label(t('Palautteesi on välitetty palvelukeskuksen käsittelijöille.'))
        ui.label(t('Jos annoit sähköpostiosoitteesi, vastaamme 14 päivän kuluessa.'))
    ui.button(t('Anna uusi palaute'), on_click=lambda: ui.navigate.reload()).props('no-caps outline')


def accessibility_page(request: Request, sivu: str | None = None) -> None:
    with frame(title=t('Saavutettavuusseloste')):
        lang = current_language()
        _heading(t('Saavutettavuusseloste'), 1, 'text-3xl font-bold')
        _statement(lang)
        _feedback_form(_page_concerned(request, sivu))


def register() -> None:
    ui.page('/saavutettavuusseloste')(accessibility_page)
