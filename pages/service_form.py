"""A service's form: a new one at /palvelut/<code>, a draft at /palvelupyynto/<number>/muokkaa, then the
confirmation at /palvelupyynto/<number>/lahetetty and the PDF receipt at /palvelupyynto/<number>/kuittaus.pdf.

Whose draft it is, is checked in `services.workflow` against the signed-in user: someone else's number shows the
same "not found" as a number that does not exist.
"""
from __future__ import annotations

from fastapi import Response
from fastapi.responses import HTMLResponse
from nicegui import app, ui

from auth import session
from components.form_wizard import FormWizard, wizard_for_draft
from components.frame import frame
from locales import t, using_language
from services import workflow
from services.catalogue import offered_forms
from services.formatting import format_datetime
from services.receipt import build_receipt
from services.workflow import RequestNotAvailable


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
        FormWizard(form, user.id, answers=workflow.prefill_answers(form, user, target), step=0, number=None,
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
        draft = workflow.open_draft(user.id, _number(number))
    except RequestNotAvailable:
        draft = None
    with frame('oma-asiointi', title=t(draft.form.title) if draft else t('Sivua ei löytynyt')):
        if draft is None:
            _not_found(t('Luonnosta ei löytynyt. Se on voitu jo lähettää tai poistaa.'))
            return
        wizard_for_draft(draft, user.id, workflow.organisation_names())


def confirmation_page(number: str) -> None:
    user = session.current_user()
    assert user is not None
    try:
        sent = workflow.sent_request(user.id, _number(number))
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
            ui.link(t('Lataa kuittaus (PDF)'), f'/palvelupyynto/{sent.number}/kuittaus.pdf') \
                .props('download').classes('font-bold').mark('receipt-link')
            ui.link(t('Siirry Oma asiointiin'), '/oma-asiointi').mark('to-my-transactions')
            ui.link(t('Palvelut'), '/palvelut')


def receipt_pdf(number: str) -> Response:
    user = session.current_user()
    missing = HTMLResponse(f'<!doctype html><html lang="fi"><p>{t("Palvelupyyntöä ei löytynyt.")}</p></html>',
                           status_code=404)
    if user is None:
        return missing
    try:
        sent = workflow.sent_request(user.id, _number(number))
    except RequestNotAvailable:
        return missing
    with using_language(user.language):
        pdf = build_receipt(sent)
    return Response(pdf, media_type='application/pdf', headers={
        'Content-Disposition': f'attachment; filename="kuittaus-{sent.number}.pdf"',
        'Cache-Control': 'private, no-store',
    })


def register() -> None:
    ui.page('/palvelut/{code}')(new_form_page)
    ui.page('/palvelupyynto/{number}/muokkaa')(draft_page)
    ui.page('/palvelupyynto/{number}/lahetetty')(confirmation_page)
    app.get('/palvelupyynto/{number}/kuittaus.pdf')(receipt_pdf)
