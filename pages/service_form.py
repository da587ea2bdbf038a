"""A service's form: a new one at /palvelut/<code>, a draft at /palvelupyynto/<number>/muokkaa, then the
confirmation at /palvelupyynto/<number>/lahetetty and the PDF receipt at /palvelupyynto/<number>/kuittaus.pdf.

Whose draft it is, is checked in `services.workflow` against the signed-in user: someone else's number shows the
same "not found" as a number that does not exist.
"""
from __future__ import annotations

from fastapi import Response
from fastapi.responses import HTMLResponse
from nicegui import app, run, ui

from auth import session
from components.form_wizard import FormWizard, wizard_for_draft
from components.frame import frame
from config import get_settings
from locales import t, using_language
from models import User, saved_id
from services import workflow
from services.answers import answer_sections
from services.catalogue import offered_forms
from services.formatting import format_datetime
from services.receipt import NoRegisteredEmail, build_receipt, email_receipt, receipt_file_name
from services.workflow import RequestNotAvailable, SentRequest


def _not_found(message: str) -> None:
    ui.label(t('Sivua ei löytynyt')).classes('text-3xl font-bold').props('role=heading aria-level=1')
    ui.label(message)
    ui.link(t('Palvelut'), '/palvelut')
    ui.link(t('Oma asiointi'), '/oma-asiointi')


def new_form_page(code: str) -> None:
    user = session.current_user()
    assert user is not None
    profile = session.current_profile()
    form = next((form for form in offered_forms(profile.kind) if form.code == code), None)
    with frame('palvelut', title=t(form.title) if form else t('Sivua ei löytynyt')):
        if form is None:
            _not_found(t('Palvelua ei löytynyt tai se ei ole tarjolla valitsemallesi asiointiprofiilille.'))
            return
        target = profile.organisation.name if profile.organisation else None
        FormWizard(form, saved_id(user), answers=workflow.prefill_answers(form, user, target), step=0, number=None,
                   attachments={}, organisation_id=profile.organisation.id if profile.organisation else None,
                   representing_organisation_id=profile.organisation.id if profile.kind == 'organisation' and
                   profile.organisation else None,
                   organisation_names=workflow.organisation_names())


def _number(text: str) -> int:
    # Taken as text so that a malformed number gets the same "not found" as any other.
    if not text.isdigit() or len(text) > 18:
        raise RequestNotAvailable(text)
    return int(text)


def draft_page(number: str) -> None:
    user = session.current_user()
    assert user is not None
    try:
        draft = workflow.open_draft(saved_id(user), _number(number))
    except RequestNotAvailable:
        draft = None
    with frame('oma-asiointi', title=t(draft.form.title) if draft else t('Sivua ei löytynyt')):
        if draft is None:
            _not_found(t('Luonnosta ei löytynyt. Se on voitu jo lähettää tai poistaa.'))
            return
        wizard_for_draft(draft, saved_id(user), workflow.organisation_names())


def confirmation_page(number: str) -> None:
    user = session.current_user()
    assert user is not None
    try:
        sent = workflow.sent_request(saved_id(user), _number(number))
    except RequestNotAvailable:
        sent = None
    with frame('oma-asiointi', title=t('Palvelupyyntö lähetetty')):
        if sent is None:
            _not_found(t('Palvelupyyntöä ei löytynyt.'))
            return
        with ui.card().classes('w-full bg-green-50 border-l-8 border-green-800 p-6').props('role=status'):
            ui.label(t('Palvelupyyntö lähetetty')).classes('text-3xl font-bold') \
                .props('role=heading aria-level=1')
            ui.label(t('Palvelupyynnön numero')).classes('text-lg mt-2')
            ui.label(str(sent.number)).classes('text-4xl font-extrabold').mark('request-number')
            ui.label(f'{sent.number} : {t(sent.form.title)}').classes('font-medium')
            ui.label(t('Lähetetty {time}', time=format_datetime(sent.sent_at)))
        ui.label(t('Mitä seuraavaksi tapahtuu')).classes('text-2xl font-bold mt-6') \
            .props('role=heading aria-level=2')
        with ui.element('ul').classes('list-disc pl-6'):
            steps = [t('Palvelupyyntösi on nyt käsittelyvaiheessa {stage}.', stage=t(sent.stage))]
            if sent.email:
                steps.append(t('Lähetimme vahvistuksen osoitteeseen {email}.', email=sent.email))
            steps += [t('Käsittelijä ottaa palvelupyynnön käsiteltäväksi. Jos tietoja tarvitaan lisää, saat viestin '
                        'ja sähköposti-ilmoituksen.'),
                      t('Voit seurata palvelupyynnön tilannetta Oma asiointi -osion Lähetetyt-välilehdeltä.')]
            for text in steps:
                with ui.element('li'):
                    ui.label(text)
        with ui.row().classes('gap-4 mt-6 flex-wrap'):
            if get_settings().kiosk_mode:
                _kiosk_receipt(sent, user)
            else:
                ui.link(t('Lataa kuittaus (PDF)'), f'/palvelupyynto/{sent.number}/kuittaus.pdf') \
                    .props('download').classes('font-bold').mark('receipt-link')
            ui.link(t('Siirry Oma asiointiin'), '/oma-asiointi').mark('to-my-transactions')
            ui.link(t('Palvelut'), '/palvelut')


_PRINT_STYLE = '''
<style>
  @media screen { .receipt-print { display: none; } }
  @media print {
    body * { visibility: hidden; }
    .receipt-print, .receipt-print * { visibility: visible; }
    .receipt-print { position: absolute; left: 0; top: 0; width: 100%; color: #000; }
  }
</style>
'''


def _kiosk_receipt(sent: SentRequest, user: User) -> None:
    """On a shared kiosk a downloaded PDF would stay in the browser's downloads for the next person: print the
    receipt, or send it to the email address in one's own details, instead."""
    ui.add_head_html(_PRINT_STYLE)
    ui.button(t('Tulosta kuittaus'), icon='print').props('no-caps').mark('receipt-print') \
        .on('click', js_handler='() => window.print()')

    async def send_to_email() -> None:
        if session.current_user() is None:
            return
        try:
            address = await run.io_bound(email_receipt, saved_id(user), sent.number)
        except (NoRegisteredEmail, RequestNotAvailable):
            result.set_text(t('Kuittausta ei voitu lähettää. Tarkista sähköpostiosoitteesi Omat tiedot -sivulla.'))
            return
        if address is None:  # run.io_bound gives None when the app is shutting down
            return
        result.set_text(t('Kuittaus lähetetty osoitteeseen {email}.', email=address))

    if user.email:
        ui.button(t('Lähetä kuittaus sähköpostiini ({email})', email=user.email), icon='mail',
                  on_click=send_to_email).props('outline no-caps').mark('receipt-email')
    result = ui.label().props('role=status').classes('font-medium self-center').mark('receipt-email-result')
    # What the printer gets: the same lines as the PDF receipt (hidden on the screen).
    with ui.element('div').classes('receipt-print'):
        ui.label(t('Kuittaus palvelupyynnöstä {number}', number=sent.number)).classes('text-2xl font-bold')
        ui.label(f'{sent.number} : {t(sent.form.title)}').classes('font-bold')
        ui.label(t('Lähetetty: {time}', time=format_datetime(sent.sent_at)))
        ui.label(t('Käsittelyvaihe: {stage}', stage=t(sent.stage)))
        for section in answer_sections(sent.form, sent.answers, sent.attachment_names):
            ui.label(section.title).classes('text-lg font-bold mt-3')
            with ui.element('dl').classes('grid grid-cols-[14rem_1fr] gap-x-4'):
                for row in section.rows:
                    with ui.element('dt').classes('font-bold'):
                        ui.label(row.label)
                    with ui.element('dd').classes('whitespace-pre-line m-0'):
                        ui.label(row.value)


def receipt_pdf(number: str) -> Response:
    user = session.current_user()
    missing = HTMLResponse(f'<!doctype html><html lang="fi"><p>{t("Palvelupyyntöä ei löytynyt.")}</p></html>',
                           status_code=404)
    if user is None:
        return missing
    try:
        sent = workflow.sent_request(saved_id(user), _number(number))
    except RequestNotAvailable:
        return missing
    with using_language(user.language):  # the page's language (KIELI is kept on the user)
        pdf = build_receipt(sent)
        file_name = receipt_file_name(sent.number)
    return Response(pdf, media_type='application/pdf', headers={
        'Content-Disposition': f'attachment; filename="{file_name}"',
        'Cache-Control': 'private, no-store',
    })


def register() -> None:
    ui.page('/palvelut/{code}')(new_form_page)
    ui.page('/palvelupyynto/{number}/muokkaa')(draft_page)
    ui.page('/palvelupyynto/{number}/lahetetty')(confirmation_page)
    app.get('/palvelupyynto/{number}/kuittaus.pdf')(receipt_pdf)
