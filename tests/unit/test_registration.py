"""People by strong identification and the first-login registration (REKISTERÖIDY KÄYTTÄJÄKSI)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from auth.password_login import LoginOutcome, authenticate
from auth.sign_in_flow import decide_profile
from models import OutboxEmail, Representation, User
from models.db import session_scope
from services.demo_data import ONNI_IDENTITY_NUMBER, load_demo_data
from services.identity import identity_hash
from services.registration import (
    AlreadyRegistered,
    IdentifiedPerson,
    RegistrationForm,
    register,
    user_for_identification,
)

pytestmark = pytest.mark.db
NORDEA = IdentifiedPerson('210281-9988', 'Nordea', 'Demo', 'Nordea Demo')
GOOD_PASSWORD = 'kolme iloista kissaa'


@pytest.fixture
def demo(database: str) -> None:
    load_demo_data()


def _user(user_id: int) -> User:
    with session_scope() as db:
        user = db.get(User, user_id)
        assert user is not None
        return user


def test_a_new_person_gets_an_unregistered_account_keyed_by_a_hash(demo: None) -> None:
    user_id = user_for_identification(NORDEA, 'sv')
    user = _user(user_id)
    assert user.registered_at is None and user.full_name == 'Nordea Demo' and user.language == 'sv'
    assert user.identity_masked == '210281-****'
    assert user.identity_hash == identity_hash('210281-9988') and '9988' not in user.identity_hash
    with session_scope() as db:  # the number in clear is in no column of the row
        row = db.get(User, user_id)
        assert row is not None and all('210281-9988' not in str(value) for value in row.model_dump().values())
    # The same person again: the same account, with the name as the identification now gives it.
    again = user_for_identification(IdentifiedPerson('210281-9988', 'Nordea', 'Demo-Testi', 'Nordea Demo-Testi'))
    assert again == user_id and _user(user_id).surname == 'Demo-Testi'


def test_onni_of_the_demo_data_is_recognised_by_his_identity_number(demo: None) -> None:
    user_id = user_for_identification(IdentifiedPerson(ONNI_IDENTITY_NUMBER, 'Onni Juhani', 'Korhonen',
                                                       'Onni Juhani Korhonen'))
    assert _user(user_id).username == 'onni.korhonen' and _user(user_id).registered_at is not None


@pytest.mark.parametrize(('form', 'field', 'message'), [
    (RegistrationForm(email='', email_allowed=True), 'email', 'Anna sähköpostiosoite'),
    (RegistrationForm(email='ei-osoite', email_allowed=True), 'email', 'muodossa nimi@esimerkki.fi'),
    (RegistrationForm(email='n@example.fi', email_allowed=True, username='nordea', password=GOOD_PASSWORD,
                      password_confirm='kolme iloista koiraa'), 'password_confirm', 'Salasanat eivät ole samat'),
    (RegistrationForm(email='n@example.fi', email_allowed=True, username='nordea', password='lyhyt',
                      password_confirm='lyhyt'), 'password', 'vähintään 12 merkkiä'),
    (RegistrationForm(email='n@example.fi', email_allowed=True, username='onni.korhonen', password=GOOD_PASSWORD,
                      password_confirm=GOOD_PASSWORD), 'username', 'on jo käytössä'),
    (RegistrationForm(email='n@example.fi', email_allowed=True, username='ON NI', password=GOOD_PASSWORD,
                      password_confirm=GOOD_PASSWORD), 'username', '3–254 merkkiä'),
    (RegistrationForm(email='n@example.fi', email_allowed=True, password=GOOD_PASSWORD,
                      password_confirm=GOOD_PASSWORD), 'username', 'Anna käyttäjätunnus'),
    (RegistrationForm(email='n@example.fi', email_allowed=True, username='nordea'), 'password', 'Anna salasana'),
])
def test_registration_problems_are_named_by_field(demo: None, form: RegistrationForm, field: str,
                                                  message: str) -> None:
    user_id = user_for_identification(NORDEA)
    errors = register(user_id, form)
    assert message in errors[field]
    assert _user(user_id).registered_at is None


def test_only_the_email_is_required_and_a_welcome_waits_in_the_outbox(demo: None) -> None:
    user_id = user_for_identification(NORDEA)
    assert register(user_id, RegistrationForm(email=' Nordea.Demo@Example.FI ', email_allowed=True)) == {}
    user = _user(user_id)
    assert user.registered_at is not None and user.email == 'Nordea.Demo@example.fi' and user.email_allowed
    assert user.username is None and user.password_hash is None
    with session_scope() as db:
        emails = db.exec(select(OutboxEmail).where(OutboxEmail.recipient == 'Nordea.Demo@example.fi')).all()
    assert len(emails) == 1
    with pytest.raises(AlreadyRegistered):  # the form is filled in only once
        register(user_id, RegistrationForm(email='toinen@example.fi', email_allowed=True))


def test_no_welcome_without_consent(demo: None) -> None:
    user_id = user_for_identification(NORDEA)
    assert register(user_id, RegistrationForm(email='nordea@example.fi', email_allowed=False)) == {}
    with session_scope() as db:
        assert db.exec(select(OutboxEmail).where(OutboxEmail.recipient == 'nordea@example.fi')).all() == []


def test_a_username_and_password_given_at_registration_allow_password_sign_in(demo: None) -> None:
    user_id = user_for_identification(NORDEA)
    form = RegistrationForm(email='nordea@example.fi', email_allowed=False, username='nordea@example.fi',
                            password=GOOD_PASSWORD, password_confirm=GOOD_PASSWORD)
    assert register(user_id, form) == {}
    result = authenticate('nordea@example.fi', GOOD_PASSWORD, '192.0.2.1')
    assert result.outcome == LoginOutcome.OK and result.user_id == user_id


def test_the_organisation_profile_needs_a_representation_right(demo: None) -> None:
    with session_scope() as db:
        riikka = db.exec(select(User).where(User.username == 'riikka.edustaja')).one()
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        right = db.exec(select(Representation).where(Representation.user_id == riikka.id)).one()
    assert riikka.id is not None and onni.id is not None
    allowed = decide_profile(riikka.id, 'organisation', right.organisation_id)
    assert (allowed.kind, allowed.organisation_id, allowed.notice) == ('organisation', right.organisation_id, None)
    refused = decide_profile(onni.id, 'organisation', right.organisation_id)
    assert (refused.kind, refused.notice, refused.organisation) == ('private', 'no-right', 'Jyväskylän kaupunki')
    # "Without organisation": the only organisation Riikka represents is taken; Onni has none.
    assert decide_profile(riikka.id, 'organisation', None).organisation_id == right.organisation_id
    assert decide_profile(onni.id, 'organisation', None).notice == 'no-organisation'
    assert decide_profile(onni.id, 'private', right.organisation_id).kind == 'private'
