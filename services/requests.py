"""Reading a citizen's own service requests: the Oma asiointi lists and counts.

Every function takes the owner's id and filters on it in the query, so no list can show another person's request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import col, select

from locales import t
from models import Message, MessageKind, RequestStatus, ServiceRequest
from models.db import session_scope

from .catalogue import service_title
from .forms import FORMS

# Messages from the centre that the citizen sees and that count as "Uusia viestejä" until read.
CENTRE_MESSAGE_KINDS = (MessageKind.MESSAGE, MessageKind.QUESTION, MessageKind.INFO_REQUEST, MessageKind.RESOLUTION)
SORTABLE_COLUMNS = {'number': ServiceRequest.id, 'created': ServiceRequest.created_at,
                    'modified': ServiceRequest.modified_at}


@dataclass(frozen=True)
class RequestRow:
    number: int
    service_code: str
    status: RequestStatus
    stage: str
    created_at: datetime
    modified_at: datetime
    unread: int
    completion_requested: bool

    @property
    def title(self) -> str:
        """'5474 : Tilinumeron ilmoittaminen liikasuorituksen palauttamista varten' in the current language."""
        return f'{self.number} : {t(service_title(self.service_code))}'


@dataclass(frozen=True)
class RequestPage:
    rows: list[RequestRow]
    total: int


def count_by_status(owner_id: int) -> dict[RequestStatus, int]:
    with session_scope() as db:
        counts = dict(db.exec(select(ServiceRequest.status, func.count()).where(ServiceRequest.owner_id == owner_id)
                              .group_by(ServiceRequest.status)).all())
    return {status: counts.get(status, 0) for status in RequestStatus}


def _matching_service_codes(search: str) -> list[str]:
    needle = search.casefold()
    return [code for code, form in FORMS.items() if needle in t(form.title).casefold()]


def list_requests(owner_id: int, status: RequestStatus, *, search: str = '', sort_by: str = 'modified',
                  descending: bool = True, page: int = 1, per_page: int = 10) -> RequestPage:
    """One page of the owner's requests in one tab, with each row's count of unread messages from the centre."""
    conditions = [ServiceRequest.owner_id == owner_id, ServiceRequest.status == status]
    search = search.strip()
    if search:
        matches = [col(ServiceRequest.service_code).in_(_matching_service_codes(search))]
        if search.isdigit():
            matches.append(ServiceRequest.id == int(search))
        conditions.append(or_(*matches))
    order_column = SORTABLE_COLUMNS.get(sort_by, ServiceRequest.modified_at)
    order = order_column.desc() if descending else order_column.asc()
    unread = (select(func.count()).where(Message.request_id == ServiceRequest.id, col(Message.read_at).is_(None),
                                         col(Message.kind).in_(CENTRE_MESSAGE_KINDS))
              .correlate(ServiceRequest).scalar_subquery())
    page = max(page, 1)
    with session_scope() as db:
        total = db.exec(select(func.count()).select_from(ServiceRequest).where(*conditions)).one()
        results = db.exec(
            select(ServiceRequest.id, ServiceRequest.service_code, ServiceRequest.status, ServiceRequest.stage,
                   ServiceRequest.created_at, ServiceRequest.modified_at, unread,
                   ServiceRequest.completion_requested)
            .where(*conditions).order_by(order, ServiceRequest.id.desc())  # type: ignore[union-attr]
            .offset((page - 1) * per_page).limit(per_page)
        ).all()
    return RequestPage(rows=[RequestRow(*row) for row in results], total=total)
