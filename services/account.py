"""OMAT TIEDOT in the domain: the signed-in person's own login-related details, changing them and the password.

Every function acts on the acting user's own row only (read again by id, never taken from the page). Changes are
validated field by field; the answer is a {field: message} dict that is empty when the change was saved.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from locales import t
from models import Organisation, Representation, User
from models.db import session_scope

from . import audit
from .passwords import hash_password, password_problem, verify_password
from .registration import check_username
from .validation import check_email, check_phone, check_text


@dataclass(frozen=True)
class AccountDetails:
    given_name: str
    surname: str
    full_name: str
    email: str
    email_allowed: bool
    phone: str  # E.164 or ''
    username: str
    has_password: bool
    identity_masked: str | None  # set for people who signed in with strong identification
    representations: list[str]  # organisations the person may act for

    @property
    def name_from_identification(self) -> bool:
        """The name of a strongly identified person comes from Suomi.fi and is not edited here."""
        return self.identity_masked is not None


def load_account(user: User) -> AccountDetails:
    with session_scope() as db:
        row = db.get(User, user.id)
        assert row is not None
        organisations = db.exec(select(Organisation.name).join(Representation,
                                                               col(Representation.organisation_id) == Organisation.id)
                                .where(Representation.user_id == row.id).order_by(col(Organisation.name))).all()
        return AccountDetails(given_name=row.given_name, surname=row.surname, full_name=row.full_name,
                              email=row.email, email_allowed=row.email_allowed, phone=row.phone,
                              username=row.username or '', has_password=row.password_hash is not None,
                              identity_masked=row.identity_masked, representations=list(organisations))


def update_account(user: User, *, given_name: str, surname: str, email: str, email_allowed: bool, phone: str,
                   username: str) -> dict[str, str]:
    """Save the person's own details; returns the problems by field ({} when saved)."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {'email_allowed': bool(email_allowed)}
    with session_scope() as db:
        row = db.get(User, user.id)
        assert row is not None
        if row.identity_masked is None:
            for name, raw, limit in (('given_name', given_name, 100), ('surname', surname, 100)):
                checked = check_text(raw, max_length=limit)
                if checked.error:
                    errors[name] = checked.error
                elif not checked.value:
                    errors[name] = t('Kirjoita nimesi.')
                else:
                    values[name] = checked.value
        checked_email = check_email(email) if email.strip() else None
        if checked_email is None:
            errors['email'] = t('Anna sähköpostiosoite. Siihen lähetetään palvelupyyntöjen ratkaisut ja kysymykset.')
        elif checked_email.error:
            errors['email'] = checked_email.error
        else:
            values['email'] = checked_email.value
        if phone.strip():
            checked_phone = check_phone(phone)
            if checked_phone.error:
                errors['phone'] = checked_phone.error
            else:
                values['phone'] = checked_phone.value
        else:
            values['phone'] = ''
        username = username.strip()
        if not username and row.password_hash is None:
            values['username'] = None  # a person who signs in only with Suomi.fi needs none
        elif problem := check_username(db, username, row.id):
            errors['username'] = problem
        else:
            values['username'] = username
        if errors:
            return errors
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        for name, value in values.items():
            setattr(row, name, value)
        if row.identity_masked is None and 'given_name' in values:
            row.display_name = f'{row.given_name} {row.surname}'.strip()
        db.add(row)
        if changed:
            # Which fields changed, not their values: the log must not become a copy of personal data.
            audit.record(db, row, 'own_details_changed', fields=changed)
    return {}


def change_password(user: User, *, current: str, new: str, confirm: str, keep_session: str | None = None
                    ) -> dict[str, str]:
    """Change a password user's password; returns the problems by field ({} when changed).

    The current password is a guess like any sign-in, so its checks are throttled the same way (a session left open
    must not become a password oracle). A change ends the person's other sessions: all but `keep_session`."""
    from auth import throttle
    from auth.password_login import CURRENT_PASSWORD
    from auth.session import end_sessions_of_user

    throttle_key = f'current-password:{user.id}'
    with session_scope() as db:
        row = db.get(User, user.id)
        assert row is not None
        if row.password_hash is None:
            return {'current': t('Kirjaudut vahvalla tunnistautumisella, joten sinulla ei ole salasanaa.')}
    wait = throttle.take_attempts([(throttle_key, CURRENT_PASSWORD)])
    if wait > 0:
        return {'current': throttle.wait_message(wait)}
    with session_scope() as db:
        row = db.get(User, user.id)
        assert row is not None and row.password_hash is not None
        errors: dict[str, str] = {}
        if verify_password(row.password_hash, current):
            throttle.clear([throttle_key])
        else:
            errors['current'] = t('Nykyinen salasana ei ole oikein.')
        problem = password_problem(new, username=row.username or '')
        if problem:
            errors['new'] = problem
        elif new == current:
            errors['new'] = t('Uuden salasanan on oltava eri kuin nykyinen.')
        if new != confirm:
            errors['confirm'] = t('Salasanat eivät ole samat.')
        if errors:
            return errors
        row.password_hash = hash_password(new)
        db.add(row)
        audit.record(db, row, 'password_changed')
    end_sessions_of_user(row.id or 0, keep=keep_session)
    return {}
