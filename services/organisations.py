"""Customer organisations and regions as the pages need them."""
from sqlmodel import select

from models import Organisation, Region
from models.db import session_scope


def organisation_options() -> dict[int, str]:
    """Active organisations for a search-as-you-type list: {id: name}, by name."""
    with session_scope() as db:
        rows = db.exec(select(Organisation.id, Organisation.name).where(Organisation.active)
                       .order_by(Organisation.name)).all()
    return {organisation_id: name for organisation_id, name in rows if organisation_id is not None}  # saved rows


def region_by_name(name: str) -> Region | None:
    with session_scope() as db:
        return db.exec(select(Region).where(Region.name == name)).first()
