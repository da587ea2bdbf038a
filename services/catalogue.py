"""Which services are offered to whom: the `Service` rows mirror the form catalogue in `services.forms`."""
from __future__ import annotations

from sqlmodel import col, select

from models import Service, ServiceAudience
from models.db import session_scope

from .forms import FORMS, FormDefinition


def sync_services() -> None:
    """Add a `Service` row for each form that has none; admins may later deactivate one."""
    with session_scope() as db:
        known = set(db.exec(select(Service.code)).all())
        for form in FORMS.values():
            if form.code not in known:
                db.add(Service(code=form.code, audience=form.audience, position=form.position))


def offered_forms(profile_kind: str) -> list[FormDefinition]:
    """The active services for a private person ('private') or an organisation's representative ('organisation')."""
    wanted = {ServiceAudience.BOTH, ServiceAudience.ORGANISATION if profile_kind == 'organisation'
              else ServiceAudience.PRIVATE}
    with session_scope() as db:
        rows = db.exec(select(Service).where(Service.active).order_by(col(Service.position))).all()
    return [FORMS[row.code] for row in rows if row.audience in wanted and row.code in FORMS]


def service_title(code: str) -> str:
    """The Finnish title of a service (translate with `t`)."""
    form = FORMS.get(code)
    return form.title if form else code
