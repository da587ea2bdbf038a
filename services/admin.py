"""Administration (Ylläpito) for the admin role: news, regions with their contact details, customer organisations,
representation rights and the centre's staff accounts.

Every function takes the acting user and refuses anyone but an active admin (`AdminForbidden`). Bad input raises
`AdminInvalid` with a message per field, so a page can show each next to its field and in an error summary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import pyotp
from sqlmodel import Session, col, func, select
from stdnum.fi import ytunnus

from config import get_settings
from locales import LANGUAGES, N_, nt, t
from models import NewsItem, Organisation, Region, Representation, User, UserRole, saved_id, utcnow
from models.db import session_scope

from . import audit
from .passwords import hash_password, password_problem
from .text_hygiene import clean_line

EMAIL_PATTERN = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
USERNAME_PATTERN = re.compile(r'^[a-z0-9][a-z0-9._-]{2,62}$')
STAFF_ROLES = {UserRole.HANDLER: N_('Käsittelijä'), UserRole.ADMIN: N_('Pääkäyttäjä')}


class AdminForbidden(PermissionError):
    pass


class AdminInvalid(ValueError):
    """Input problems: {field name: translated message}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__('; '.join(errors.values()))
        self.errors = errors


def require_admin(actor: User | None) -> User:
    if actor is None or not actor.active or actor.role != UserRole.ADMIN:
        raise AdminForbidden(t('Ylläpito on vain pääkäyttäjille.'))
    return actor


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {lang: (values.get(lang) or '').strip() for lang in LANGUAGES if (values.get(lang) or '').strip()}


def _check(errors: dict[str, str]) -> None:
    if errors:
        raise AdminInvalid(errors)


# ------------------------------------------------------------------------------------------------------ news

def list_news(actor: User) -> list[NewsItem]:
    require_admin(actor)
    with session_scope() as db:
        return list(db.exec(select(NewsItem).order_by(col(NewsItem.published_at).desc())).all())


def save_news(actor: User, news_id: int | None, *, title: dict[str, str], body: dict[str, str],
              region_id: int | None, active: bool) -> NewsItem:
    """Add or change a news item. Finnish is required (it is every language's fallback); Swedish and English too,
    since the portal serves in all three."""
    require_admin(actor)
    title, body = _texts(title), _texts(body)
    errors = {}
    for lang in LANGUAGES:
        if not title.get(lang):
            errors[f'title_{lang}'] = t('Anna otsikko ({lang}).', lang=lang)
        elif len(title[lang]) > 200:
            errors[f'title_{lang}'] = nt('Otsikko saa olla enintään {count} merkki.',
                                         'Otsikko saa olla enintään {count} merkkiä.', 200)
        if not body.get(lang):
            errors[f'body_{lang}'] = t('Anna teksti ({lang}).', lang=lang)
    _check(errors)
    with session_scope() as db:
        if region_id is not None and db.get(Region, region_id) is None:
            raise AdminInvalid({'region': t('Valitse alue luettelosta.')})
        item = db.get(NewsItem, news_id) if news_id else NewsItem()
        if item is None:
            raise LookupError(news_id)
        item.title, item.body, item.region_id, item.active = title, body, region_id, active
        db.add(item)
        db.flush()
        db.refresh(item)
        return item


# ------------------------------------------------------------------------------------------- regions, contacts

def list_regions(actor: User) -> list[Region]:
    require_admin(actor)
    with session_scope() as db:
        return list(db.exec(select(Region).order_by(Region.name)).all())


def save_region(actor: User, region_id: int | None, *, name: str, phone: str, email: str, address: str,
                service_hours: dict[str, str], portal_title: dict[str, str],
                name_translations: dict[str, str] | None = None) -> Region:
    """Add or change a region and the centre's contact details for it (shown on YHTEYSTIEDOT)."""
    require_admin(actor)
    name, phone, email, address = name.strip(), phone.strip(), email.strip(), address.strip()
    errors = {}
    if not name:
        errors['name'] = t('Anna alueen nimi.')
    if email and not EMAIL_PATTERN.match(email):
        errors['email'] = t('Anna sähköpostiosoite muodossa nimi@esimerkki.fi.')
    if phone and not re.fullmatch(r'[+0-9 ()-]{5,40}', phone):
        errors['phone'] = t('Puhelinnumerossa voi olla vain numeroita, välilyöntejä ja merkit + ( ) -.')
    _check(errors)
    with session_scope() as db:
        clash = db.exec(select(Region).where(Region.name == name)).first()
        if clash is not None and clash.id != region_id:
            raise AdminInvalid({'name': t('Samanniminen alue on jo olemassa.')})
        region = db.get(Region, region_id) if region_id else Region(name=name)
        if region is None:
            raise LookupError(region_id)
        region.name, region.phone, region.email, region.address = name, phone, email, address
        region.service_hours, region.portal_title = _texts(service_hours), _texts(portal_title)
        region.name_translations = _texts(name_translations or {})
        db.add(region)
        db.flush()
        db.refresh(region)
        return region


# ------------------------------------------------------------------------------------ customer organisations

def list_organisations(actor: User) -> list[Organisation]:
    require_admin(actor)
    with session_scope() as db:
        return list(db.exec(select(Organisation).order_by(Organisation.name)).all())


def save_organisation(actor: User, organisation_id: int | None, *, name: str, business_id: str, region_id: int | None,
                      active: bool, name_translations: dict[str, str] | None = None) -> Organisation:
    require_admin(actor)
    name, business_id = name.strip(), business_id.strip()
    errors = {}
    if not name:
        errors['name'] = t('Anna organisaation nimi.')
    if not ytunnus.is_valid(business_id):
        errors['business_id'] = t('Anna Y-tunnus muodossa 1234567-8 (tarkistusmerkki tarkistetaan).')
    if region_id is None:
        errors['region'] = t('Valitse alue.')
    _check(errors)
    assert region_id is not None  # _check raised for a missing region
    business_id = ytunnus.compact(business_id)
    business_id = f'{business_id[:7]}-{business_id[7:]}'
    with session_scope() as db:
        if db.get(Region, region_id) is None:
            raise AdminInvalid({'region': t('Valitse alue.')})
        clash = db.exec(select(Organisation).where(Organisation.business_id == business_id)).first()
        if clash is not None and clash.id != organisation_id:
            raise AdminInvalid({'business_id': t('Tällä Y-tunnuksella on jo organisaatio: {name}.', name=clash.name)})
        organisation = db.get(Organisation, organisation_id) if organisation_id else \
            Organisation(name=name, business_id=business_id, region_id=region_id)
        if organisation is None:
            raise LookupError(organisation_id)
        organisation.name, organisation.business_id, organisation.region_id = name, business_id, region_id
        organisation.active = active
        organisation.name_translations = _texts(name_translations or {})
        db.add(organisation)
        db.flush()
        db.refresh(organisation)
        return organisation


# ------------------------------------------------------------------------------------- representation rights

@dataclass(frozen=True)
class RepresentationRow:
    id: int
    person: str
    username: str
    organisation: str
    granted_by: str
    granted_at: datetime


def list_representations(actor: User) -> list[RepresentationRow]:
    require_admin(actor)
    with session_scope() as db:
        rows = []
        for item in db.exec(select(Representation).order_by(col(Representation.granted_at).desc())).all():
            person = db.get(User, item.user_id)
            organisation = db.get(Organisation, item.organisation_id)
            granter = db.get(User, item.granted_by_id) if item.granted_by_id else None
            rows.append(RepresentationRow(saved_id(item), person.full_name if person else '',
                                          (person.username or person.email) if person else '',
                                          organisation.name if organisation else '',
                                          granter.full_name if granter else '', item.granted_at))
        return rows


def _person(db: Session, username_or_email: str) -> User | None:
    key = username_or_email.strip().lower()
    return db.exec(select(User).where((User.username == key) | (User.email == key))).first()


def grant_representation(actor: User, username_or_email: str, organisation_id: int | None) -> Representation:
    """Let a signed-up person act for a customer organisation; a citizen becomes a representative."""
    require_admin(actor)
    errors = {}
    if not username_or_email.strip():
        errors['person'] = t('Anna henkilön käyttäjätunnus tai sähköpostiosoite.')
    if organisation_id is None:
        errors['organisation'] = t('Valitse organisaatio.')
    _check(errors)
    assert organisation_id is not None  # _check raised for a missing organisation
    with session_scope() as db:
        person = _person(db, username_or_email)
        if person is None or person.is_staff:
            raise AdminInvalid({'person': t('Tällä tunnuksella ei löydy asiakkaan käyttäjätiliä.')})
        if db.get(Organisation, organisation_id) is None:
            raise AdminInvalid({'organisation': t('Valitse organisaatio.')})
        existing = db.exec(select(Representation).where(Representation.user_id == person.id,
                                                        Representation.organisation_id == organisation_id)).first()
        if existing is not None:
            raise AdminInvalid({'organisation': t('Henkilöllä on jo asiointioikeus tähän organisaatioon.')})
        item = Representation(user_id=saved_id(person), organisation_id=organisation_id, granted_by_id=actor.id)
        db.add(item)
        if person.role == UserRole.CITIZEN:
            person.role = UserRole.REPRESENTATIVE
            db.add(person)
        db.flush()
        audit.record(db, actor, 'representation_granted', user=person.id, organisation=organisation_id)
        return item


def revoke_representation(actor: User, representation_id: int) -> None:
    require_admin(actor)
    with session_scope() as db:
        item = db.get(Representation, representation_id)
        if item is None:
            raise LookupError(representation_id)
        audit.record(db, actor, 'representation_revoked', user=item.user_id, organisation=item.organisation_id)
        db.delete(item)


# ------------------------------------------------------------------------------------------- staff accounts

@dataclass(frozen=True)
class NewStaffAccount:
    """What the admin hands over once: the TOTP secret as text and as an otpauth:// URI for an authenticator."""

    user_id: int
    username: str
    totp_secret: str
    otpauth_uri: str


def list_staff(actor: User) -> list[User]:
    require_admin(actor)
    with session_scope() as db:
        return list(db.exec(select(User).where(col(User.role).in_(tuple(STAFF_ROLES)))
                            .order_by(User.surname, User.given_name)).all())


def _otpauth_uri(secret: str, username: str) -> str:
    issuer = get_settings().brand_name.capitalize()
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer) if username else \
        f'otpauth://totp/{quote(issuer)}?secret={secret}'


def create_staff_account(actor: User, *, username: str, given_name: str, surname: str, email: str, role: UserRole,
                         password: str) -> NewStaffAccount:
    """A handler or admin account with an argon2 password and a new TOTP secret (shown once, then only stored)."""
    require_admin(actor)
    username, given_name, surname, email = (username.strip().lower(), clean_line(given_name), clean_line(surname),
                                            email.strip().lower())
    errors = {}
    if not USERNAME_PATTERN.match(username):
        errors['username'] = t('Käyttäjätunnuksessa on 3–63 merkkiä: pieniä kirjaimia a–z, numeroita ja . _ -.')
    if not given_name:
        errors['given_name'] = t('Anna etunimi.')
    if not surname:
        errors['surname'] = t('Anna sukunimi.')
    if not EMAIL_PATTERN.match(email):
        errors['email'] = t('Anna sähköpostiosoite muodossa nimi@esimerkki.fi.')
    if role not in STAFF_ROLES:
        errors['role'] = t('Valitse rooli.')
    problem = password_problem(password, username=username)
    if problem:
        errors['password'] = problem
    _check(errors)
    secret = pyotp.random_base32()
    with session_scope() as db:
        if db.exec(select(User).where(User.username == username)).first() is not None:
            raise AdminInvalid({'username': t('Käyttäjätunnus on jo käytössä.')})
        person = User(username=username, role=role, given_name=given_name, surname=surname,
                      display_name=f'{given_name} {surname}', email=email, password_hash=hash_password(password),
                      totp_secret=secret, registered_at=utcnow())
        db.add(person)
        db.flush()
        audit.record(db, actor, 'staff_created', user=person.id, role=role.value)
        return NewStaffAccount(saved_id(person), username, secret, _otpauth_uri(secret, username))


def set_staff_active(actor: User, user_id: int, active: bool) -> None:
    """Close or reopen a staff account; an admin cannot close their own (someone must be able to administer)."""
    require_admin(actor)
    if user_id == actor.id and not active:
        raise AdminInvalid({'active': t('Et voi sulkea omaa tunnustasi.')})
    with session_scope() as db:
        person = db.get(User, user_id)
        if person is None or not person.is_staff:
            raise LookupError(user_id)
        person.active = active
        db.add(person)
        audit.record(db, actor, 'staff_changed', user=user_id, active=active)
    if not active:
        from auth.session import end_sessions_of_user

        end_sessions_of_user(user_id)


def reset_staff_totp(actor: User, user_id: int) -> NewStaffAccount:
    """A new TOTP secret for a lost authenticator; the old one stops working at once."""
    require_admin(actor)
    secret = pyotp.random_base32()
    with session_scope() as db:
        person = db.get(User, user_id)
        if person is None or not person.is_staff:
            raise LookupError(user_id)
        person.totp_secret = secret
        db.add(person)
        audit.record(db, actor, 'staff_changed', user=user_id, totp='reset')
        return NewStaffAccount(user_id, person.username or '', secret, _otpauth_uri(secret, person.username or ''))


OPERATOR_USERNAME = 'cli:operator'


def command_line_operator() -> User:
    """The admin the command line (`portal …`) acts as, so its changes are audited like anyone's. It has no password
    and no identity, so it can never sign in through the pages."""
    with session_scope() as db:
        operator = db.exec(select(User).where(User.username == OPERATOR_USERNAME)).first()
        if operator is None:
            operator = User(username=OPERATOR_USERNAME, role=UserRole.ADMIN, display_name='Komentorivi (ylläpito)',
                            registered_at=utcnow())
            db.add(operator)
            db.flush()
            db.refresh(operator)
        return operator


def find_person(reference: str) -> User | None:
    """A person by username, identity number (through its keyed hash: the number itself is never stored) or
    `id:N`, for the command line."""
    from stdnum.fi import hetu

    from .identity import identity_hash

    reference = reference.strip()
    with session_scope() as db:
        if reference.lower().startswith('id:') and reference[3:].isdigit():
            return db.get(User, int(reference[3:]))
        if hetu.is_valid(reference, allow_temporary=True):  # test persons have 9xx numbers
            return db.exec(select(User).where(User.identity_hash == identity_hash(reference))).first()
        return db.exec(select(User).where(func.lower(User.username) == reference.lower())).first()
