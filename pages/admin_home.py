"""YLLÄPITO (/kasittely/yllapito): the admin's index of maintenance pages, and the whole audit log as CSV."""
from __future__ import annotations

from fastapi import Response
from fastapi.responses import PlainTextResponse
from nicegui import app, ui

from auth import session
from components.frame import frame
from components.workbench import heading, staff_user
from locales import N_, t
from models import UserRole
from services import audit

SECTIONS = (
    ('/kasittely/yllapito/ajankohtaista', N_('Ajankohtaista'),
     N_('Etusivun uutiset suomeksi, ruotsiksi ja englanniksi.')),
    ('/kasittely/yllapito/alueet', N_('Alueet ja yhteystiedot'),
     N_('Palvelualueet ja niiden yhteystiedot, jotka näkyvät Yhteystiedot-sivulla.')),
    ('/kasittely/yllapito/organisaatiot', N_('Asiakasorganisaatiot'),
     N_('Kunnat ja muut asiakasorganisaatiot, joita palvelupyynnöt koskevat.')),
    ('/kasittely/yllapito/asiointioikeudet', N_('Asiointioikeudet'),
     N_('Kuka saa asioida minkin asiakasorganisaation edustajana.')),
    ('/kasittely/yllapito/kasittelijat', N_('Käsittelijät'),
     N_('Palvelukeskuksen käsittelijöiden ja pääkäyttäjien tunnukset.')),
)


def admin_home_page() -> None:
    with frame('yllapito', title=t('Ylläpito')):
        if staff_user(admin=True) is None:
            return
        heading(t('Ylläpito'))
        with ui.element('ul').classes('list-none p-0 grid grid-cols-1 md:grid-cols-2 gap-4 w-full'):
            for path, title, description in SECTIONS:
                with ui.element('li'), ui.card().classes('w-full h-full gap-1'):
                    ui.link(t(title), path).classes('text-lg font-bold')
                    ui.label(t(description))
            with ui.element('li'), ui.card().classes('w-full h-full gap-1'):
                ui.link(t('Koko tapahtumaloki (CSV)'), '/kasittely/yllapito/loki.csv').props('download') \
                    .classes('text-lg font-bold').mark('full-log')
                ui.label(t('Kaikki kirjatut tapahtumat: tilan, vaiheen ja käsittelijän muutokset, viestit ja '
                           'henkilötietojen katselut.'))


def full_log_csv() -> Response:
    user = session.current_user()
    if user is None or user.role != UserRole.ADMIN:
        return PlainTextResponse('403', status_code=403)
    return Response('\ufeff' + audit.export_csv(user), media_type='text/csv; charset=utf-8',
                    headers={'Content-Disposition': 'attachment; filename="tapahtumaloki.csv"'})


def register() -> None:
    ui.page('/kasittely/yllapito')(admin_home_page)
    app.add_api_route('/kasittely/yllapito/loki.csv', full_log_csv, methods=['GET'])
