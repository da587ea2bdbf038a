"""The local test IdP's pages under /test-idp/ (only in SIGN_IN_MODE=test-idp), modelled on Suomi.fi's test
identification: pick a test person or enter an identity code, then "Jatka palveluun" posts the signed and encrypted
answer to the portal."""
from __future__ import annotations

import math
import time
from html import escape
from typing import Literal

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from nicegui import run, ui

from auth.saml_sp import SERVICE_NAMES, pending_lifetime
from auth.test_idp import (
    TEST_PERSONS,
    AuthnRequestInfo,
    PostForm,
    TestIdentityProvider,
    TestIdpError,
    TestPerson,
    valid_test_identity_number,
)
from components.accessibility import add_keyboard_support
from components.error_summary import ErrorSummary
from components.language import apply_page_language
from config import get_settings
from locales import t
from services.identity import mask_identity_number

IDP_COLOUR = '#003479'  # Suomi.fi's dark blue; white text on it has a contrast of 12:1

_STYLE = f'''
<style>
  body {{ background: #f5f7fa; color: #1f2a36; }}
  .idp-header {{ background: {IDP_COLOUR}; color: #fff; }}
  .idp-main {{ max-width: 760px; width: 100%; margin: 0 auto; padding: 1.5rem 1rem 3rem; }}
  .idp-submit {{ background: {IDP_COLOUR}; color: #fff; border: 0; border-radius: 4px; padding: .75rem 1.5rem;
                 font-size: 1.05rem; font-weight: 600; cursor: pointer; }}
  .idp-submit:hover {{ background: #00245a; }}
</style>
'''


def _idp() -> TestIdentityProvider:
    return TestIdentityProvider.for_settings(get_settings())


def _layout(lang: str) -> ui.element:
    apply_page_language(lang)
    ui.colors(primary=IDP_COLOUR)
    ui.add_head_html(_STYLE)
    add_keyboard_support()
    ui.query('.nicegui-content').classes('p-0 gap-0')
    ui.page_title(t('Suomi.fi-tunnistus (testi)'))
    with ui.header(fixed=False, elevated=False).classes('idp-header w-full p-0 block'):
        with ui.row().classes('max-w-[760px] mx-auto px-4 py-3 items-baseline gap-4'):
            ui.label('Suomi.fi').classes('text-2xl font-extrabold')
            ui.label(t('Tunnistus – paikallinen testiympäristö'))
    return ui.element('div').classes('idp-main').props('id=main tabindex=-1')  # inside the page's <main>


def _post_form(form: PostForm, label: str, marker: str) -> None:
    """A real HTML form: the browser posts the answer itself (HTTP-POST binding), no script needed."""
    ui.html(f'<form method="post" action="{escape(form.action)}">'
            f'<input type="hidden" name="SAMLResponse" value="{escape(form.saml_response)}">'
            f'<input type="hidden" name="RelayState" value="{escape(form.relay_state)}">'
            f'<button type="submit" class="idp-submit" data-marker="{marker}">{escape(label)}</button></form>',
            sanitize=False)


async def sso_page(request: Request) -> None:
    try:
        authn = await run.io_bound(_idp().parse_authn_request, request.url.query)
    except TestIdpError as error:
        with _layout('fi'), ui.card().classes('w-full p-6 gap-3'):
            ui.label(t('Tunnistuspyyntö ei kelpaa')).classes('text-2xl font-bold').props('role=heading aria-level=1')
            ui.label(t('Palvelun lähettämää tunnistuspyyntöä ei voitu tarkistaa: {reason}', reason=str(error))) \
                .props('role=alert').mark('idp-error')
        return
    if authn is None:  # run.io_bound gives None when the app is shutting down
        return
    _Identification(authn)


class _Identification:
    """The identification's views, one at a time: choose a person (or type one in), identified (with the answer to
    post), cancelled, or — on a kiosk — expired. `view` is the state and `_render` draws it."""

    def __init__(self, authn: AuthnRequestInfo) -> None:
        self.authn = authn
        self.service = SERVICE_NAMES.get(authn.language, SERVICE_NAMES['fi'])
        self.view: Literal['choose', 'identified', 'cancelled', 'expired'] = 'choose'
        self.person: TestPerson | None = None
        self.form: PostForm | None = None
        self.draw = ui.refreshable(self._render)
        with _layout(authn.language):
            with ui.element('div').classes('w-full'):
                self._kiosk_countdown()
            with ui.column().classes('w-full gap-4'):
                self.draw()

    def _kiosk_countdown(self) -> None:
        """On a kiosk the portal refuses an answer after its idle limit (`auth.saml_sp.pending_lifetime`): count
        that time down here too, and take the "Jatka palveluun" step away when it has run out."""
        if not get_settings().kiosk_mode:
            return
        deadline = time.monotonic() + pending_lifetime().total_seconds()
        with ui.row().classes('w-full items-baseline gap-2'):
            ui.label(t('Tunnistautuminen vanhenee:'))
            left_label = ui.label().classes('font-bold').props('role=timer').mark('idp-countdown')

        def tick() -> None:
            left = max(0, math.ceil(deadline - time.monotonic()))
            left_label.set_text(f'{left // 60}:{left % 60:02d}')
            if left > 0:
                return
            timer.deactivate()
            self.view = 'expired'
            self.draw.refresh()

        timer = ui.timer(1.0, tick)
        tick()

    def _render(self) -> None:
        if self.view == 'expired':
            with ui.card().classes('w-full p-6 gap-3'):
                ui.label(t('Tunnistautuminen vanhentui')).classes('text-2xl font-bold') \
                    .props('role=heading aria-level=1').mark('idp-expired')
                ui.label(t('Aloita kirjautuminen palvelussa uudelleen.'))
        elif self.view == 'identified' and self.person is not None and self.form is not None:
            self._identified(self.person, self.form)
        elif self.view == 'cancelled' and self.form is not None:
            with ui.card().classes('w-full p-6 gap-3'):
                ui.label(t('Tunnistautuminen keskeytetty')).classes('text-2xl font-bold') \
                    .props('role=heading aria-level=1')
                _post_form(self.form, t('Palaa palveluun'), 'idp-return')
        else:
            self._choose()

    def _choose(self) -> None:
        with ui.card().classes('w-full p-6 gap-2'):
            ui.label(t('Tunnistaudu')).classes('text-2xl font-bold').props('role=heading aria-level=1')
            ui.label(t('Olet tunnistautumassa palveluun: {service}', service=self.service))
            with ui.row().classes('w-full bg-amber-100 border-l-8 border-amber-700 p-3').props('role=note'):
                ui.label(t('Tämä on testitunnistaja. Se hyväksyy kenen tahansa testihenkilön ilman tunnuksia. '
                           'Älä käytä oikeita henkilötietoja.'))
        with ui.card().classes('w-full p-6 gap-3'):
            ui.label(t('Valitse testihenkilö')).classes('text-xl font-bold').props('role=heading aria-level=2')
            with ui.element('ul').classes('list-none p-0 m-0 flex flex-col gap-2 w-full'):
                for person in TEST_PERSONS:
                    with ui.element('li'):
                        ui.button(f'{person.display_name} ({person.national_id})',
                                  on_click=lambda p=person: self.identify(p)) \
                            .props('no-caps outline align=left').classes('w-full') \
                            .mark(f'person-{person.national_id}')
        with ui.card().classes('w-full p-6 gap-3'):
            ui.label(t('Tai anna testihenkilön tiedot')).classes('text-xl font-bold') \
                .props('role=heading aria-level=2')
            summary = ErrorSummary()
            number = ui.input(t('Henkilötunnus')).props('outlined autocomplete=off').classes('w-full') \
                .mark('idp-identity-number')
            given = ui.input(t('Etunimet')).props('outlined autocomplete=off').classes('w-full') \
                .mark('idp-given-name')
            surname = ui.input(t('Sukunimi')).props('outlined autocomplete=off').classes('w-full') \
                .mark('idp-surname')

            async def identify_entered() -> None:
                problems: list[tuple[ui.element | None, str]] = []
                if not valid_test_identity_number(number.value or ''):
                    problems.append((number, t('Anna henkilötunnus muodossa 210281-9988.')))
                if not (given.value or '').strip():
                    problems.append((given, t('Anna etunimet.')))
                if not (surname.value or '').strip():
                    problems.append((surname, t('Anna sukunimi.')))
                messages = {id(field): message for field, message in problems}
                for field in (number, given, surname):
                    field.error = messages.get(id(field))
                    field.update()
                summary.show(problems)
                if not problems:
                    await self.identify(TestPerson(number.value.strip().upper(), given.value.strip(),
                                                   surname.value.strip()))

            ui.button(t('Tunnistaudu'), on_click=identify_entered).props('no-caps').mark('idp-identify')
        with ui.row().classes('w-full items-center gap-2'):
            ui.button(t('Keskeytä ja palaa palveluun'), on_click=self.cancel).props('flat no-caps') \
                .mark('idp-cancel')

    @staticmethod
    def _identified(person: TestPerson, form: PostForm) -> None:
        with ui.card().classes('w-full p-6 gap-3'):
            ui.label(t('Tunnistautuminen onnistui')).classes('text-2xl font-bold').props('role=heading aria-level=1')
            ui.label(t('Palveluun välitetään seuraavat tiedot:'))
            with ui.element('dl').classes('grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1'):
                for term, value, marker in ((t('Nimi'), person.display_name, 'idp-confirmed-name'),
                                            (t('Henkilötunnus'), mask_identity_number(person.national_id),
                                             'idp-confirmed-id')):
                    with ui.element('dt').classes('font-semibold'):
                        ui.label(term)
                    with ui.element('dd').classes('m-0'):
                        ui.label(value).mark(marker)
            _post_form(form, t('Jatka palveluun'), 'idp-continue')

    async def identify(self, person: TestPerson) -> None:
        self.form = await run.io_bound(_idp().issue_response, self.authn, person)
        self.person, self.view = person, 'identified'
        await self.draw.refresh()

    async def cancel(self) -> None:
        self.form = await run.io_bound(_idp().cancel_response, self.authn)
        self.view = 'cancelled'
        await self.draw.refresh()


def idp_metadata() -> Response:
    return Response(_idp().metadata_xml(), media_type='application/samlmetadata+xml')


def idp_single_logout(request: Request) -> Response:
    try:
        if 'SAMLResponse' in request.query_params:  # the service's answer to a logout this IdP started
            _idp().check_logout_answer(request.url.query)
            title = escape(t('Olet kirjautunut ulos'))
            text = escape(t('Uloskirjautuminen onnistui myös asiointipalvelusta.'))
            return HTMLResponse(f'<!doctype html><html lang="fi"><title>{title}</title>'
                                f'<main id="main"><h1>{title}</h1><p>{text}</p></main></html>')
        return RedirectResponse(_idp().answer_logout(request.url.query), status_code=303)
    except TestIdpError as error:
        title = escape(t('Uloskirjautuminen epäonnistui'))
        return HTMLResponse(f'<!doctype html><html lang="fi"><title>{title}</title>'
                            f'<main><h1>{title}</h1><p>{escape(str(error))}</p></main></html>', status_code=400)


def register() -> None:
    from nicegui import app

    if get_settings().sign_in_mode != 'test-idp':
        return  # never mounted where real identities are at stake
    app.add_api_route('/test-idp/metadata', idp_metadata, methods=['GET'])
    app.add_api_route('/test-idp/slo', idp_single_logout, methods=['GET'])
    ui.page('/test-idp/sso')(sso_page)
