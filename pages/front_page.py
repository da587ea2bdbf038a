"""PÄÄSIVU: the portal's heading, services, a summary of Oma asiointi, and news (Ajankohtaista)."""
from nicegui import ui

from auth import session
from components.frame import frame
from components.request_tabs import request_tabs
from config import get_settings
from locales import pick, t
from services.catalogue import offered_forms
from services.content import latest_news
from services.formatting import format_date


def portal_heading() -> str:
    """'Monetra Keski-Suomen asiakaspalveluportaali': the region's heading, kept in data, or the brand's."""
    region = session.current_profile().region
    title = pick(region.portal_title) if region else ''
    return title or t('{brand} asiakaspalveluportaali', brand=get_settings().brand_name.capitalize())


def front_page() -> None:
    user = session.current_user()
    assert user is not None  # the access middleware lets only signed-in users here
    profile = session.current_profile()
    with frame('paasivu', title=t('Pääsivu')):
        ui.label(portal_heading()).classes('text-3xl font-bold').props('role=heading aria-level=1')
        ui.label(t('Pääsivulta löydät sähköisen asioinnin kautta käytettävät palvelut. Oma asiointi -kansioista '
                   'löydät käsiteltäväksi lähettämäsi sekä valmiit asiat.')).classes('mb-4')
        with ui.element('div').classes('grid grid-cols-1 lg:grid-cols-3 gap-4 w-full'):
            with ui.column().classes('lg:col-span-2 gap-4'):
                with ui.card().classes('w-full'):
                    ui.label(t('Palvelut')).classes('text-xl font-bold').props('role=heading aria-level=2')
                    with ui.element('ul').classes('list-none p-0 m-0'):
                        for form in offered_forms(profile.kind):
                            with ui.element('li').classes('py-1'):
                                ui.link(t(form.title), f'/palvelut/{form.code}').classes('text-lg')
                with ui.card().classes('w-full'):
                    ui.label(t('Oma asiointi')).classes('text-xl font-bold').props('role=heading aria-level=2')
                    ui.label(t('Tästä löydät omat tapahtumasi. Luonnokset-välilehdellä näet luonnos-tilassa olevat '
                               'palvelupyynnöt, joita et ole vielä lähettänyt. Lähetetyt-välilehden tapahtumat ovat '
                               'jo lähetettyjä palvelupyyntöjä, ja Valmiit-välilehdeltä näet ratkaistut '
                               'palvelupyynnöt.'))
                    request_tabs(user.id, per_page=5, searchable=False, paged=False, summary=True)
                    ui.link(t('Näytä kaikki palvelupyynnöt'), '/oma-asiointi')
            with ui.card().classes('w-full'):
                ui.label(t('Ajankohtaista')).classes('text-xl font-bold').props('role=heading aria-level=2')
                for item in latest_news(profile.region.id if profile.region else None):
                    with ui.element('article').classes('py-2 border-b last:border-b-0'):
                        ui.label(pick(item.title)).classes('font-bold').props('role=heading aria-level=3')
                        ui.label(format_date(item.published_at)).classes('text-sm text-gray-700')
                        ui.label(pick(item.body))


def register() -> None:
    ui.page('/paasivu')(front_page)
