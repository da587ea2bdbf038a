"""Customer organisations and regions as the pages need them."""
from sqlmodel import select

from models import Organisation, Region
from models.db import session_scope


def organisation_options() -> dict[int, str]:
    """Active organisations for a search-as-you-type list: {id: name in the page's language}, by that name."""
    with session_scope() as db:
        names = [(row.id, row.local_name()) for row in db.exec(select(Organisation).where(Organisation.active)).all()
                 if row.id is not None]  # saved rows
    return dict(sorted(names, key=lambda item: item[1].casefold()))


def region_by_name(name: str) -> Region | None:
    with session_scope() as db:
        return db.exec(select(Region).where(Region.name == name)).first()


def region_display_name(name: str) -> str:
    """The name of the region called `name` in Finnish (DEFAULT_REGION), in the page's language where it has one."""
    region = region_by_name(name)
    return region.local_name() if region else name


def organisation_display_name(name: str) -> str:
    """An organisation recorded by its Finnish name (a form's answer), in the page's language where it has one."""
    with session_scope() as db:
        organisation = db.exec(select(Organisation).where(Organisation.name == name)).first()
        return organisation.local_name() if organisation else name
