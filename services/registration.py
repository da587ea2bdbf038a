"""People who come by strong identification, and the first-login registration (REKISTERÖIDY KÄYTTÄJÄKSI).

A person is recognised by a keyed hash of the national identification number (`services.identity`); the number
itself is never stored or shown. A new person gets an account at once, but the access middleware keeps them on the
registration form until it has been filled in (only once).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from locales import normalise_language, t
from models import User, UserRole, utcnow
from models.db import session_scope

from . import audit
from .identity import identity_hash, mask_identity_number
from .passwords import hash_password, password_problem
from .text_hygiene import clean_line
from .validation import check_email

USERNAME_PATTERN = re.compile(r'^[A-Za-z0-9._@+-]{3,254}$')


@dataclass(frozen=True)
class IdentifiedPerson:
    """What the strong identification tells about a person."""

    national_id: str
    given_name: str
    surname: str
    display_name: str
    email: str = ''
    given_name_is_calling_name: bool = False  # Suomi.fi sent only givenName (the calling name), not FirstName


def user_for_identification(person: IdentifiedPerson, language: str = 'fi') -> int:
    """The id of the person's account, made (unregistered) on the first visit; names follow the identification."""
    key = identity_hash(person.national_id)
    with session_scope() as db:
        user = db.exec(select(User).where(User.identity_hash == key)).first()
        if user is None:
            user = User(role=UserRole.CITIZEN, identity_hash=key, identity_masked=mask_identity_number(
                person.national_id), email=person.email, language=normalise_language(language))
        # The population register is the authority on names: a changed surname shows at the next login.
        # A calling name alone never replaces the full first names already known ("Onni" for "Onni Juhani").
        given_name, surname = clean_line(person.given_name), clean_line(person.surname)
        if not (person.given_name_is_calling_name and user.given_name):
            user.given_name = given_name[:100]
        user.surname = surname[:100]
        user.display_name = (clean_line(person.display_name or '') or f'{given_name} {surname}')[:200].strip()
        db.add(user)
        db.flush()
        assert user.id is not None
        return user.id


def check_username(db: Session, username: str, user_id: int | None) -> str | None:
    """Why a chosen username cannot be used, or None."""
    if not USERNAME_PATTERN.match(username):
        return t('Käyttäjätunnuksessa saa olla 3–254 merkkiä: kirjaimia a–z, numeroita ja merkkejä . _ @ + -.')
    taken = db.exec(select(User.id).where(func.lower(User.username) == username.lower(), User.id != user_id)).first()
    if taken is not None:
        return t('Käyttäjätunnus on jo käytössä. Valitse toinen.')
    return None


@dataclass(frozen=True)
class RegistrationForm:
    email: str
    email_allowed: bool
    username: str = ''
    password: str = ''
    password_confirm: str = ''


class AlreadyRegistered(Exception):
    """The registration form is filled in only once."""


def register(user_id: int, form: RegistrationForm) -> dict[str, str]:
    """Complete the first-login registration; returns problems by field ('email', 'username', 'password',
    'password_confirm'), or {} when the person is now registered (and welcomed by email if they allowed it)."""
    errors: dict[str, str] = {}
    with session_scope() as db:
        user = db.get(User, user_id)
        assert user is not None
        if user.registered_at is not None:
            raise AlreadyRegistered
        email = form.email.strip()
        if not email:
            errors['email'] = t('Anna sähköpostiosoite. Siihen lähetetään palvelupyyntöjen ratkaisut ja kysymykset.')
        else:
            checked = check_email(email)
            if checked.error:
                errors['email'] = checked.error
            else:
                email = str(checked.value)
        username = form.username.strip()
        if username:
            problem = check_username(db, username, user.id)
            if problem:
                errors['username'] = problem
        # A password is optional (Suomi.fi is the usual way in); one given must follow the policy and be confirmed.
        if form.password or form.password_confirm:
            if not username:
                errors.setdefault('username', t('Anna käyttäjätunnus, jos haluat kirjautua myös salasanalla.'))
            problem = password_problem(form.password, username=username)
            if problem:
                errors['password'] = problem
            if form.password != form.password_confirm:
                errors['password_confirm'] = t('Salasanat eivät ole samat.')
        elif username:
            errors['password'] = t('Anna salasana, jos haluat kirjautua myös käyttäjätunnuksella.')
        if errors:
            return errors
        user.email = email
        user.email_allowed = bool(form.email_allowed)
        user.username = username or None
        if form.password:
            user.password_hash = hash_password(form.password)
        user.registered_at = utcnow()
        db.add(user)
        audit.record(db, user, 'registered', password=bool(form.password), email_allowed=user.email_allowed)
        _welcome(db, user)
    return {}


def _welcome(db: Session, user: User) -> None:
    """The welcome email goes into the outbox in the same transaction as the registration."""
    from services import notifications

    notifications.registration_completed(db, user)
