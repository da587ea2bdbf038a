"""REKISTERÖIDY KÄYTTÄJÄKSI (/rekisteroidy): the form filled in once, on the first strong sign-in.

Only the email address is required; a username and password are optional and allow a password sign-in later.
Problems are shown by the field and in an error summary; what the person typed stays in the fields.
"""
from __future__ import annotations

from nicegui import run, ui

from auth import session
from auth.sign_in_flow import set_notice
from components.choice_controls import shows_at_once
from components.error_summary import ErrorSummary
from components.frame import frame
from components.heading import heading_label
from locales import nt, t
from models import saved_id
from services import registration as registration_service
from services.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from services.registration import AlreadyRegistered, RegistrationForm


def _heading(text: str, level: int, classes: str = 'text-xl font-bold mt-2') -> None:
    heading_label(text, level, classes)


def registration_page() -> None:
    user = session.current_user()
    assert user is not None  # the access middleware lets only signed-in users here
    if user.registered_at is not None:
        ui.navigate.to('/paasivu')
        return
    with frame(title=t('Rekisteröidy käyttäjäksi'), navigation=False):
        with ui.card().classes('w-full max-w-2xl p-6 gap-3'):
            _heading(t('REKISTERÖIDY KÄYTTÄJÄKSI'), 1, 'text-2xl font-bold')
            ui.label(t('Rekisteröitymislomake täytetään vain ensimmäisellä kirjautumiskerralla. Sähköpostiosoite on '
                       'pakollinen: siihen lähetetään palvelupyyntöjen ratkaisut ja mahdolliset lisäkysymykset. Muut '
                       'kohdat voit täyttää halutessasi.'))
            ui.label(t('Pakolliset kentät on merkitty tähdellä (*).')).classes('text-sm')
            summary = ErrorSummary()
            _heading(t('Henkilötiedot'), 2)
            with ui.column().classes('gap-0'):
                ui.label(t('Nimi')).classes('text-sm font-semibold')
                ui.label(user.full_name).mark('registration-name')
            _heading(t('Yhteystiedot'), 2)
            email = ui.input(t('Sähköpostiosoite *'), value=user.email or '') \
                .props('outlined type=email autocomplete=email aria-required=true').classes('w-full') \
                .mark('registration-email')
            # Consent is asked, not assumed: the box starts empty.
            email_allowed = ui.checkbox(t('Minulle saa lähettää sähköpostia'), value=False) \
                .mark('registration-email-allowed')
            shows_at_once(email_allowed)
            _heading(t('Käyttäjätiedot'), 2)
            ui.label(t('Voit käyttää olemassa olevaa sähköpostiosoitettasi käyttäjätunnuksena. Mikäli sinulla ei ole '
                       'sähköpostiosoitetta, voit antaa käyttäjätunnukseksi haluamasi merkkijonon.')) \
                .props('id=username-help')
            username = ui.input(t('Käyttäjätunnus')) \
                .props('outlined autocomplete=username aria-describedby=username-help').classes('w-full') \
                .mark('registration-username')
            ui.label(nt('Salasanassa on oltava vähintään {count} merkki. Pitkä salalause on hyvä salasana.',
                        'Salasanassa on oltava vähintään {count} merkkiä. Pitkä salalause on hyvä salasana.',
                       MIN_PASSWORD_LENGTH)) \
                .props('id=password-help').classes('text-sm')
            password = ui.input(t('Salasana'), password=True, password_toggle_button=True) \
                .props('outlined autocomplete=new-password aria-describedby=password-help').classes('w-full') \
                .mark('registration-password')
            confirm = ui.input(t('Vahvista salasana'), password=True, password_toggle_button=True) \
                .props('outlined autocomplete=new-password').classes('w-full').mark('registration-password-confirm')
            fields = {'email': email, 'username': username, 'password': password, 'password_confirm': confirm}
            submit_button = ui.button(t('Rekisteröidy käyttäjäksi'), on_click=lambda: submit()) \
                .props('no-caps size=lg').classes('self-start mt-2').mark('registration-submit')

    async def submit() -> None:
        form = RegistrationForm(email=email.value or '', email_allowed=bool(email_allowed.value),
                                username=username.value or '', password=password.value or '',
                                password_confirm=confirm.value or '')
        submit_button.disable()  # a double click must not register twice
        try:
            # argon2 hashing takes tens of milliseconds: off the event loop.
            errors = await run.io_bound(registration_service.register, saved_id(user), form)
        except AlreadyRegistered:
            ui.navigate.to('/paasivu')
            return
        finally:
            submit_button.enable()
        if errors is None:  # run.io_bound gives None when the app is shutting down
            return
        for name, field in fields.items():
            field.error = errors.get(name)
            field.update()
        summary.show([(field, errors[name]) for name, field in fields.items() if name in errors])
        if not errors:
            set_notice('registered')
            ui.navigate.to('/paasivu')


def register() -> None:
    ui.page('/rekisteroidy')(registration_page)
