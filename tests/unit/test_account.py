"""OMAT TIEDOT in the domain: own details validated by field and stored normalised, password change by policy."""
from __future__ import annotations

import pytest
from sqlmodel import select

from models import AuditEvent, User, UserRole
from models.db import session_scope
from services.account import change_password, load_account, update_account
from services.demo_data import DEMO_PASSWORD, load_demo_data
from services.passwords import hash_password, verify_password
from tests.support.rows import found

pytestmark = pytest.mark.db


def _user(username: str) -> User:
    with session_scope() as db:
        return db.exec(select(User).where(User.username == username)).one()


@pytest.fixture
def onni(database: str) -> User:
    load_demo_data()
    return _user('onni.korhonen')


def _details(**changes: object) -> dict:
    return {'given_name': 'Ignored', 'surname': 'Ignored', 'email': 'onni@example.fi', 'email_allowed': False,
            'phone': '050 123 4567', 'username': 'onni.korhonen'} | changes


def test_strongly_identified_person_sees_masked_identity_and_representations(onni: User) -> None:
    account = load_account(onni)
    assert (account.full_name, account.identity_masked, account.name_from_identification) == (
        'Onni Juhani Korhonen', '150585-****', True)
    assert load_account(_user('riikka.edustaja')).representations == ['Jyväskylän kaupunki']


def test_details_are_saved_normalised_and_the_change_logged_without_values(onni: User) -> None:
    assert update_account(onni, **_details(phone='+46 70 123 45 67')) == {}
    account = load_account(onni)
    assert (account.email, account.email_allowed, account.phone) == ('onni@example.fi', False, '+46701234567')
    assert account.full_name == 'Onni Juhani Korhonen'  # from Suomi.fi: not changed by the form
    with session_scope() as db:
        event = db.exec(select(AuditEvent).where(AuditEvent.action == 'own_details_changed')).one()
    assert event.details == {'fields': ['email', 'email_allowed', 'phone']}
    assert update_account(onni, **_details(phone='0501234567')) == {}
    assert load_account(onni).phone == '+358501234567'


def test_each_bad_field_gets_its_own_message_and_nothing_is_saved(onni: User) -> None:
    errors = update_account(onni, **_details(email='ei-osoite', phone='123', username='riikka.edustaja'))
    assert set(errors) == {'email', 'phone', 'username'}
    assert 'käytössä' in errors['username']
    assert set(update_account(onni, **_details(email='', username='a b'))) == {'email', 'username'}
    assert load_account(onni).email == '645516@generated.invalid'


def test_password_user_edits_name(database: str) -> None:
    with session_scope() as db:
        db.add(User(role=UserRole.CITIZEN, given_name='Pasi', surname='Salasana', username='pasi',
                    email='pasi@example.fi', password_hash=hash_password(DEMO_PASSWORD)))
    pasi = _user('pasi')
    assert update_account(pasi, **_details(given_name=' ', surname='Uusi', username='pasi')) == {
        'given_name': 'Kirjoita nimesi.'}
    assert update_account(pasi, **_details(given_name='Pasi Petteri', surname='Uusi', username='pasi')) == {}
    assert load_account(pasi).full_name == 'Pasi Petteri Uusi'


def test_password_change_checks_current_policy_and_confirmation(onni: User) -> None:
    new = 'Pitkä uusi salasana 2026'
    assert set(change_password(onni, current='väärä', new='lyhyt', confirm='toinen')) == {'current', 'new', 'confirm'}
    assert set(change_password(onni, current=DEMO_PASSWORD, new=DEMO_PASSWORD, confirm=DEMO_PASSWORD)) == {'new'}
    assert change_password(onni, current=DEMO_PASSWORD, new=new, confirm=new) == {}
    with session_scope() as db:
        row = found(db.get(User, onni.id))
        assert verify_password(row.password_hash, new) and not verify_password(row.password_hash, DEMO_PASSWORD)
        assert db.exec(select(AuditEvent).where(AuditEvent.action == 'password_changed')).one().actor_id == onni.id
