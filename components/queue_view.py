"""The handler's current queue view (filters and order), kept in the user's storage by JONO and read by the request
view for "next / previous request" in the same list the handler came from."""
from __future__ import annotations

from nicegui import app

from models import User
from services.handling import QUEUE_STATES, QueueFilters, adjacent_request

FILTERS_KEY = 'handler_queue_filters'
ORDER_KEY = 'handler_queue_order'
ME = 'me'
DEFAULT_FILTERS: dict = {'state': 'open', 'region': None, 'organisation': None, 'service': None, 'stage': None,
                         'handler': None, 'replied': False, 'search': ''}


def to_filters(values: dict, user: User) -> QueueFilters:
    """JONO's filter values (with 'me' for the signed-in handler) as the service's filters."""
    v = DEFAULT_FILTERS | values
    handler = user.id if v['handler'] == ME else v['handler']
    return QueueFilters(state=v['state'] if v['state'] in QUEUE_STATES else 'open', region_id=v['region'],
                        organisation_id=v['organisation'], service_code=v['service'], stage=v['stage'],
                        handler=handler, citizen_replied=bool(v['replied']), search=v['search'] or '')


def remember_order(sort_by: str, descending: bool) -> None:
    app.storage.user[ORDER_KEY] = {'sortBy': sort_by, 'descending': descending}


def saved_view() -> tuple[dict, str, bool]:
    """(filter values, sort column, descending) of the handler's last queue view."""
    order = dict(app.storage.user.get(ORDER_KEY) or {})
    return dict(app.storage.user.get(FILTERS_KEY) or {}), str(order.get('sortBy', 'sent')), \
        bool(order.get('descending', False))


def neighbour(user: User, number: int, view: tuple[dict, str, bool], *, forward: bool) -> int | None:
    """The next (or previous) request after `number` in that view (call off the event loop)."""
    values, sort_by, descending = view
    return adjacent_request(user, to_filters(values, user), number, sort_by=sort_by, descending=descending,
                            forward=forward)
