"""Ylläpito › Asiointioikeudet (/kasittely/yllapito/asiointioikeudet) and › Käsittelijät
(/kasittely/yllapito/kasittelijat): who may act for an organisation, and the centre's staff accounts."""
from __future__ import annotations

from nicegui import ui

from components.error_summary import ErrorSummary
from components.frame import frame
from components.workbench import (
    Announcement,
    FieldSet,
    clear_errors,
    facts,
    heading,
    show_errors,
    staff_user,
    still_allowed,
)
from locales import t
from models import User, UserRole, saved_id
from services import admin
from services.formatting import format_datetime


def representations_page() -> None:
    with frame('yllapito', title=t('Asiointioikeudet')):
        user = staff_user(admin=True)
        if user is None:
            return
        ui.link(t('← Ylläpito'), '/kasittely/yllapito')
        heading(t('Asiointioikeudet'))
        organisations = {o.id: o.name for o in admin.list_organisations(user) if o.active}
        with ui.column().classes('w-full max-w-4xl'):
            status = Announcement()
        with ui.card().classes('w-full max-w-4xl gap-3'):
            heading(t('Myönnä asiointioikeus'), 2)
            summary = ErrorSummary()
            fields = FieldSet([('person', t('Henkilön käyttäjätunnus tai sähköpostiosoite'), 'text', None),
                               ('organisation', t('Asiakasorganisaatio'), 'select', organisations)], mark='grant')
            ui.button(t('Myönnä'), on_click=lambda: grant()).props('no-caps').mark('grant-save')
        heading(t('Voimassa olevat asiointioikeudet'), 2, classes='mt-4')

        @ui.refreshable
        def draw() -> None:
            """The representations as the database has them now (redrawn after each grant or revoke)."""
            rows = admin.list_representations(user)
            if not rows:
                ui.label(t('Ei asiointioikeuksia.'))
            for row in rows:
                with ui.card().classes('w-full max-w-4xl gap-1').mark('representation'):
                    heading(f'{row.person} – {row.organisation}', 3)
                    facts([(t('Tunnus'), row.username), (t('Myöntäjä'), row.granted_by),
                           (t('Myönnetty'), format_datetime(row.granted_at))])
                    revoke_button = ui.button(t('Poista oikeus'), on_click=lambda r=row: revoke(r.id)) \
                        .props('outline dense no-caps color=negative').classes('self-start')
                    revoke_button.props['aria-label'] = t('Poista oikeus: {person}, {organisation}',
                                                             person=row.person, organisation=row.organisation)

        def grant() -> None:
            if not still_allowed(user, admin=True):
                return
            values = fields.values()
            try:
                admin.grant_representation(user, values['person'] or '', values['organisation'])
            except admin.AdminInvalid as error:
                show_errors(summary, fields.elements, error.errors)
                return
            clear_errors(summary, fields.elements)
            fields.fill({})
            status.show(t('Asiointioikeus myönnetty.'))
            draw.refresh()

        def revoke(representation_id: int) -> None:
            if not still_allowed(user, admin=True):
                return
            admin.revoke_representation(user, representation_id)
            status.show(t('Asiointioikeus poistettu.'))
            draw.refresh()

        with ui.column().classes('w-full gap-2'):
            draw()


def _draw_secret(account: admin.NewStaffAccount | None) -> None:
    """The TOTP secret is shown this once: as text to type and as the otpauth URI an authenticator app reads."""
    if account is None:
        return
    with ui.card().classes('w-full max-w-4xl bg-green-50 border-l-8 border-green-800 gap-2') \
            .props('role=status').mark('totp-secret'):
        heading(t('Tunnuksen {username} vahvistusavain', username=account.username), 2)
        ui.label(t('Anna avain käsittelijälle turvallista reittiä. Se näytetään vain nyt; sen jälkeen sen voi vain '
                   'vaihtaa uuteen.'))
        facts([(t('Avain (TOTP)'), account.totp_secret), (t('otpauth-osoite'), account.otpauth_uri)])


def staff_page() -> None:
    with frame('yllapito', title=t('Käsittelijät')):
        user = staff_user(admin=True)
        if user is None:
            return
        ui.link(t('← Ylläpito'), '/kasittely/yllapito')
        heading(t('Käsittelijät'))
        # Made per page: a module-level refreshable would redraw every admin's open page with this secret.
        secret = ui.refreshable(_draw_secret)
        with ui.column().classes('w-full'):
            secret(None)
        roles = {role.value: t(label) for role, label in admin.STAFF_ROLES.items()}
        with ui.card().classes('w-full max-w-4xl gap-3'):
            heading(t('Uusi käsittelijätunnus'), 2)
            summary = ErrorSummary()
            fields = FieldSet([('username', t('Käyttäjätunnus'), 'text', None),
                               ('given_name', t('Etunimi'), 'text', None), ('surname', t('Sukunimi'), 'text', None),
                               ('email', t('Sähköposti'), 'text', None), ('role', t('Rooli'), 'select', roles),
                               ('password', t('Alkusalasana'), 'password', None)], mark='staff')
            ui.button(t('Luo tunnus'), on_click=lambda: create()).props('no-caps').mark('staff-save')
        heading(t('Tunnukset'), 2, classes='mt-4')

        @ui.refreshable
        def draw() -> None:
            """The staff accounts as the database has them now (redrawn after each change)."""
            for person in admin.list_staff(user):
                with ui.card().classes('w-full max-w-4xl gap-1').mark('staff-account'):
                    heading(f'{person.full_name} ({person.username})', 3)
                    facts([(t('Rooli'), t(admin.STAFF_ROLES[person.role])), (t('Sähköposti'), person.email),
                           (t('Tila'), t('Käytössä') if person.active else t('Suljettu')),
                           (t('Viimeksi kirjautunut'), format_datetime(person.last_login_at))])
                    if person.id != user.id:
                        with ui.row():
                            label = t('Sulje tunnus') if person.active else t('Avaa tunnus')
                            aria = (t('Sulje tunnus: {person}', person=person.full_name) if person.active
                                    else t('Avaa tunnus: {person}', person=person.full_name))
                            toggle_button = ui.button(label, on_click=lambda p=person: toggle(p)) \
                                .props('outline dense no-caps')
                            toggle_button.props['aria-label'] = aria
                            reset_button = ui.button(t('Uusi vahvistusavain'), on_click=lambda p=person: reset(p)) \
                                .props('outline dense no-caps')
                            reset_button.props['aria-label'] = t('Uusi vahvistusavain: {person}',
                                                                person=person.full_name)

        def create() -> None:
            if not still_allowed(user, admin=True):
                return
            values = fields.values()
            try:
                account = admin.create_staff_account(
                    user, username=values['username'] or '', given_name=values['given_name'] or '',
                    surname=values['surname'] or '', email=values['email'] or '',
                    role=UserRole(values['role']) if values['role'] else UserRole.CITIZEN,
                    password=values['password'] or '')
            except admin.AdminInvalid as error:
                show_errors(summary, fields.elements, error.errors)
                return
            clear_errors(summary, fields.elements)
            fields.fill({})
            secret.refresh(account)
            draw.refresh()

        def toggle(person: User) -> None:
            if not still_allowed(user, admin=True):
                return
            admin.set_staff_active(user, saved_id(person), not person.active)
            draw.refresh()

        def reset(person: User) -> None:
            if not still_allowed(user, admin=True):
                return
            secret.refresh(admin.reset_staff_totp(user, saved_id(person)))

        with ui.column().classes('w-full gap-2'):
            draw()


def register() -> None:
    ui.page('/kasittely/yllapito/asiointioikeudet')(representations_page)
    ui.page('/kasittely/yllapito/kasittelijat')(staff_page)
