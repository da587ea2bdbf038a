"""Representation rights: who may act as a customer organisation's representative (Organisaation edustajana)."""
from __future__ import annotations

from sqlmodel import col, select

from models import Organisation, Representation
from models.db import session_scope


def represents(user_id: int, organisation_id: int | None) -> bool:
    """True when the user holds a right for this active organisation."""
    if organisation_id is None:
        return False
    with session_scope() as db:
        row = db.exec(select(Representation.id)
                      .join(Organisation, col(Organisation.id) == Representation.organisation_id)
                      .where(Representation.user_id == user_id, Representation.organisation_id == organisation_id,
                             Organisation.active)).first()
    return row is not None


def represented_organisations(user_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active organisations the user may act for, by name."""
    with session_scope() as db:
        rows = db.exec(select(Organisation.id, Organisation.name)
                       .join(Representation, col(Representation.organisation_id) == Organisation.id)
                       .where(Representation.user_id == user_id, Organisation.active)
                       .order_by(Organisation.name)).all()
    return [(organisation_id, name) for organisation_id, name in rows if organisation_id is not None]


def organisation_name(organisation_id: int | None) -> str:
    if organisation_id is None:
        return ''
    with session_scope() as db:
        organisation = db.get(Organisation, organisation_id)
    return organisation.name if organisation else ''
