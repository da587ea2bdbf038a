"""OMAT TIEDOT: the signed-in person's login-related details — name, email and permission to email, phone, username,
the strong identity (masked), the right to act for organisations — and the change of password for password users.

Problems are shown by the field and in an error summary; what the person typed stays in the fields.
"""
from __future__ import annotations

from nicegui import app, run, ui

from auth import session
from components.choice_controls import shows_at_once
from components.error_summary import ErrorSummary
from components.frame import frame
from components.heading import heading_label
from components.my_data_section import my_data_section
from components.notices import notify_success
from locales import current_language, t, using_language
from models import User
from services.account import AccountDetails, change_password, load_account, update_account
from services.validation import format_phone


def _heading(text: str, level: int, classes: str = 'text-xl font-bold') -> None:
    heading_label(text, level, classes)


def _show_errors(summary: ErrorSummary, fields: dict[str, ui.input], errors: dict[str, str]) -> None:
    """Each message by its field and all of them, in the fields' order, in the summary."""
    for name, field in fields.items():
        field.error = errors.get(name)
        field.update()
    summary.show([(field, errors[name]) for name, field in fields.items() if name in errors])


def _details_form(user: User, account: AccountDetails) -> None:
    with ui.card().classes('w-full max-w-2xl'):
        summary = ErrorSummary()
        fields: dict[str, ui.input] = {}
        _heading(t('Henkilötiedot'), 2)
        with ui.element('dl').classes('grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1'):
            if account.name_from_identification:
                with ui.element('dt').classes('font-bold'):
                    ui.label(t('Nimi'))
                with ui.element('dd'):
                    ui.label(account.full_name).mark('full-name')
            with ui.element('dt').classes('font-bold'):
                ui.label(t('Henkilötunnus'))
            with ui.element('dd'):
                ui.label(account.identity_masked or t('Ei vahvaa tunnistautumista')).mark('identity')
        if account.name_from_identification:
            ui.label(t('Nimesi ja henkilötunnuksesi tulevat vahvasta tunnistautumisesta (Suomi.fi), joten et voi '
                       'muuttaa niitä täällä.')).classes('text-sm text-gray-700')
        else:
            with ui.row().classes('w-full gap-4 flex-wrap'):
                fields['given_name'] = ui.input(t('Etunimi'), value=account.given_name) \
                    .props('outlined autocomplete=given-name').classes('flex-1 min-w-[12rem]').mark('given-name')
                fields['surname'] = ui.input(t('Sukunimi'), value=account.surname) \
                    .props('outlined autocomplete=family-name').classes('flex-1 min-w-[12rem]').mark('surname')

        _heading(t('Yhteystiedot'), 2, 'text-xl font-bold mt-4')
        fields['email'] = ui.input(t('Sähköpostiosoite *'), value=account.email) \
            .props('outlined type=email autocomplete=email aria-required=true').classes('w-full').mark('email')
        ui.label(t('Tähän sähköpostiosoitteeseen lähetetään palvelupyyntöjen ratkaisuviesti sekä mahdolliset '
                   'lisäkysymykset.')).classes('text-sm text-gray-700')
        email_allowed = ui.checkbox(t('Minulle saa lähettää sähköpostia'), value=account.email_allowed) \
            .mark('email-allowed')
        shows_at_once(email_allowed)
        fields['phone'] = ui.input(t('Puhelinnumero'), value=format_phone(account.phone) if account.phone else '') \
            .props('outlined type=tel autocomplete=tel').classes('w-full').mark('phone')
        ui.label(t('Esimerkiksi 0501234567 tai ulkomainen numero muodossa +46701234567.')) \
            .classes('text-sm text-gray-700')

        _heading(t('Käyttäjätiedot'), 2, 'text-xl font-bold mt-4')
        fields['username'] = ui.input(t('Käyttäjätunnus'), value=account.username) \
            .props('outlined autocomplete=username').classes('w-full').mark('username')
        ui.label(t('Voit käyttää olemassa olevaa sähköpostiosoitettasi käyttäjätunnuksena. Mikäli sinulla ei ole '
                   'sähköpostiosoitetta, voit antaa käyttäjätunnukseksi haluamasi merkkijonon.')) \
            .classes('text-sm text-gray-700')

        def save() -> None:
            errors = update_account(
                user, given_name=fields['given_name'].value if 'given_name' in fields else '',
                surname=fields['surname'].value if 'surname' in fields else '',
                email=fields['email'].value or '', email_allowed=bool(email_allowed.value),
                phone=fields['phone'].value or '', username=fields['username'].value or '')
            _show_errors(summary, fields, errors)
            if not errors:
                saved = load_account(user)
                fields['phone'].value = format_phone(saved.phone) if saved.phone else ''
                fields['email'].value = saved.email
                notify_success(t('Tietosi tallennettiin.'))

        ui.button(t('Tallenna tiedot'), on_click=save).props('no-caps color=primary').classes('mt-2') \
            .mark('save-details')


def _password_form(user: User) -> None:
    with ui.card().classes('w-full max-w-2xl'):
        _heading(t('Vaihda salasana'), 2)
        summary = ErrorSummary()
        fields = {
            'current': ui.input(t('Nykyinen salasana'), password=True, password_toggle_button=True)
            .props('outlined autocomplete=current-password').classes('w-full').mark('current-password'),
            'new': ui.input(t('Uusi salasana'), password=True, password_toggle_button=True)
            .props('outlined autocomplete=new-password').classes('w-full').mark('new-password'),
            'confirm': ui.input(t('Vahvista uusi salasana'), password=True, password_toggle_button=True)
            .props('outlined autocomplete=new-password').classes('w-full').mark('confirm-password'),
        }
        ui.label(t('Salasanassa on oltava vähintään 12 merkkiä. Pitkä lause on hyvä salasana.')) \
            .classes('text-sm text-gray-700')

        async def submit() -> None:
            lang, this_session = current_language(), app.storage.user.get(session.SESSION_KEY)

            def change() -> dict[str, str]:  # argon2 twice: off the event loop
                with using_language(lang):
                    return change_password(user, current=fields['current'].value or '', new=fields['new'].value or '',
                                           confirm=fields['confirm'].value or '', keep_session=this_session)

            errors = await run.io_bound(change)
            if errors is None:  # run.io_bound gives None when the app is shutting down
                return
            _show_errors(summary, fields, errors)
            if not errors:
                for field in fields.values():
                    field.value = ''
                notify_success(t('Salasana vaihdettiin.'))

        ui.button(t('Vaihda salasana'), on_click=submit).props('no-caps color=primary').classes('mt-2') \
            .mark('change-password')


def _representations(account: AccountDetails) -> None:
    with ui.card().classes('w-full max-w-2xl'):
        _heading(t('Asiointioikeudet'), 2)
        if not account.representations:
            ui.label(t('Sinulla ei ole oikeutta asioida organisaatioiden puolesta.'))
            return
        ui.label(t('Voit asioida näiden organisaatioiden edustajana:'))
        with ui.element('ul').classes('list-disc pl-6'):
            for name in account.representations:
                with ui.element('li'):
                    ui.label(name).mark('representation')


def my_details_page() -> None:
    user = session.current_user()
    assert user is not None  # the access middleware lets only signed-in users here
    account = load_account(user)
    with frame('omat-tiedot', title=t('Omat tiedot')):
        _heading(t('Omat tiedot'), 1, 'text-3xl font-bold')
        ui.label(t('Täältä löydät kirjautumiseen liittyvät tietosi.')).classes('mb-2')
        with ui.column().classes('w-full gap-4'):
            _details_form(user, account)
            if account.has_password:
                _password_form(user)
            _representations(account)
            my_data_section(user)  # download my data, request account deletion (components/my_data_section.py)


def register() -> None:
    ui.page('/omat-tiedot')(my_details_page)
