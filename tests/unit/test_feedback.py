"""Saavutettavuuspalaute: validated by field, stored, listed for staff only, marked handled once."""
from __future__ import annotations

import pytest
from sqlmodel import select

from models import User
from models.db import session_scope
from services import feedback
from services.demo_data import load_demo_data

pytestmark = pytest.mark.db


def _user(username: str) -> User:
    with session_scope() as db:
        return db.exec(select(User).where(User.username == username)).one()


def test_feedback_problems_are_given_by_field() -> None:
    assert set(feedback.validate_feedback('  ', 'ei-osoite', 'x' * 301)) == {'body', 'email', 'page'}
    assert feedback.validate_feedback('Painike ei toimi näppäimistöllä.', '', '') == {}
    assert 'body' in feedback.validate_feedback('x' * (feedback.FEEDBACK_MAX_LENGTH + 1), '', '')


def test_feedback_is_stored_listed_and_handled_by_staff(database: str) -> None:
    load_demo_data()
    with pytest.raises(ValueError):
        feedback.submit_feedback('', '', '', 'fi')
    first = feedback.submit_feedback(' Kuvilta puuttuu tekstivastine. ', 'Matti@Example.FI', '/palvelut', 'sv')
    second = feedback.submit_feedback('Kontrasti on heikko.', '', '', 'xx')
    handler, citizen = _user('kaisa.kasittelija'), _user('onni.korhonen')
    rows = feedback.list_feedback(handler)
    assert [(r.id, r.body, r.email, r.page, r.language) for r in rows] == [
        (first, 'Kuvilta puuttuu tekstivastine.', 'Matti@example.fi', '/palvelut', 'sv'),
        (second, 'Kontrasti on heikko.', '', '', 'fi')]
    assert feedback.mark_handled(handler, first) is True
    assert feedback.mark_handled(handler, first) is False  # a second click (or a second handler) changes nothing
    assert [r.id for r in feedback.list_feedback(handler)] == [second, first]  # open first
    assert [r.id for r in feedback.list_feedback(handler, include_handled=False)] == [second]
    for action in (lambda: feedback.list_feedback(citizen), lambda: feedback.mark_handled(citizen, second)):
        with pytest.raises(feedback.FeedbackForbidden):
            action()
