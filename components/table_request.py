"""A Quasar table's `request` event (sort and page) as a forged client could send it.

Its arguments come from the browser: anything that is not a mapping, a known sort column, a boolean or a whole number
in range keeps the table's current value, so no argument can raise in the handler or reach a query unchecked.
"""
from __future__ import annotations

from collections.abc import Container, Mapping

MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET within what SQLite and PostgreSQL take
MAX_ROWS_PER_PAGE = 100


def _whole(value: object, low: int, high: int, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return min(max(value, low), high)


def requested_pagination(args: object, current: Mapping, sort_fields: Container[str], *,
                         renames: Mapping[str, str] | None = None) -> dict:
    """The new sortBy, descending, page and rowsPerPage from the event's arguments, checked."""
    requested = args.get('pagination') if isinstance(args, Mapping) else None
    if not isinstance(requested, Mapping):
        requested = {}
    sort_by = requested.get('sortBy')
    if isinstance(sort_by, str) and renames:
        sort_by = renames.get(sort_by, sort_by)
    descending = requested.get('descending')
    return {
        'sortBy': sort_by if isinstance(sort_by, str) and sort_by in sort_fields else current['sortBy'],
        'descending': descending if isinstance(descending, bool) else current['descending'],
        'page': _whole(requested.get('page'), 1, MAX_PAGE, 1),
        'rowsPerPage': _whole(requested.get('rowsPerPage'), 1, MAX_ROWS_PER_PAGE, current['rowsPerPage']),
    }
