"""The three tabs of Oma asiointi (Luonnokset, Lähetetyt, Valmiit), each a server-side paged table.

Used in full on OMA ASIOINTI and as a short summary on PÄÄSIVU.
"""
from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from auth import session
from locales import N_, nt, t
from models import RequestStatus
from services import live
from services.formatting import format_datetime
from services.requests import (
    RequestNotFound,
    RequestPage,
    count_by_status,
    delete_draft,
    list_requests,
    unread_by_status,
)

from .live_updates import follow
from .notices import notify_success
from .sortable_header import make_headers_sortable
from .table_request import requested_pagination

TAB_LABELS = {RequestStatus.DRAFT: N_('Luonnokset'), RequestStatus.SENT: N_('Lähetetyt'),
              RequestStatus.DONE: N_('Valmiit')}
TAB_MARKS = {RequestStatus.DRAFT: 'tab-drafts', RequestStatus.SENT: 'tab-sent', RequestStatus.DONE: 'tab-done'}
SORT_FIELDS = {'title': 'number', 'created': 'created', 'modified': 'modified'}

# The Ilmoitus cell: a link to the request (a draft opens in its form) and the unread-messages badge.
_TITLE_CELL = r'''
<q-td :props="props">
  <a :href="props.row.href" class="font-medium">{{ props.row.title }}</a>
  <q-badge v-if="props.row.unread > 0" color="red-9" class="ml-2 text-sm" :label="props.row.unread_label" />
  <q-badge v-if="props.row.completion_label" color="orange-10" class="ml-2 text-sm"
           :label="props.row.completion_label" />
</q-td>
'''
# A draft row's delete button; the table passes the click on as its own 'delete' event.
_ACTIONS_CELL = r'''
<q-td :props="props" class="text-right">
  <q-btn v-if="props.row.deletable" flat dense no-caps color="red-10" icon="delete" :label="props.row.delete_label"
         :aria-label="props.row.delete_aria" @click="() => $parent.$emit('delete', props.row)" />
</q-td>
'''


def _columns(status: RequestStatus) -> list[dict]:
    title = {'name': 'title', 'label': t('Ilmoitus'), 'field': 'title', 'align': 'left', 'sortable': True}
    if status == RequestStatus.DRAFT:
        return [title, {'name': 'created', 'label': t('Luontiaika'), 'field': 'created', 'align': 'left',
                        'sortable': True},
                {'name': 'actions', 'label': t('Toiminnot'), 'field': 'number', 'align': 'right'}]
    return [title,
            {'name': 'modified', 'label': t('Muokattu viimeksi'), 'field': 'modified', 'align': 'left',
             'sortable': True},
            {'name': 'stage', 'label': t('Käsittelyvaihe'), 'field': 'stage', 'align': 'left'}]


def _href(number: int, status: RequestStatus) -> str:
    return f'/palvelupyynto/{number}/muokkaa' if status == RequestStatus.DRAFT else f'/oma-asiointi/{number}'


class RequestTable:
    """One tab's table; pages, sorts and searches on the server."""

    def __init__(self, owner_id: int, status: RequestStatus, *, per_page: int, searchable: bool,
                 paged: bool) -> None:
        self.owner_id = owner_id
        self.status = status
        self.search = ''
        default_sort = 'created' if status == RequestStatus.DRAFT else 'modified'
        self.pagination = {'sortBy': default_sort, 'descending': True, 'page': 1, 'rowsPerPage': per_page,
                           'rowsNumber': 0}
        if searchable:
            ui.input(t('Hae numerolla tai palvelun nimellä'), on_change=self._on_search) \
                .props('clearable outlined dense debounce=300 type=search').classes('w-full max-w-md mb-2') \
                .mark(f'search-{status.value}')
        self.table = ui.table(columns=_columns(status), rows=[], row_key='number', pagination=self.pagination) \
            .classes('w-full') \
            .props('flat bordered wrap-cells binary-state-sort') \
            .mark(f'table-{status.value}')
        # binary-state-sort: without it Quasar's third click clears the sort, which the server cannot tell from
        # "no change".
        self.table.props.update({'no-data-label': t('Ei palvelupyyntöjä.'),
                                 'rows-per-page-label': t('Rivejä sivulla:')})
        self.table.props.set_bool('hide-pagination', not paged)
        self.table.add_slot('body-cell-title', _TITLE_CELL)
        make_headers_sortable(self.table)
        if status == RequestStatus.DRAFT:
            self.table.add_slot('body-cell-actions', _ACTIONS_CELL)
            self.table.on('delete', lambda e: self._on_delete(e.args))
        self.table.on('request', self._on_request)
        self.refresh()

    def _on_search(self, event) -> None:
        self.search = event.value or ''
        self.pagination['page'] = 1
        self.refresh()

    def _on_request(self, event) -> None:
        self.pagination.update(requested_pagination(event.args, self.pagination, SORT_FIELDS))
        self.refresh()

    def _fetch(self) -> RequestPage:
        return list_requests(self.owner_id, self.status, search=self.search,
                             sort_by=SORT_FIELDS.get(self.pagination['sortBy'], 'modified'),
                             descending=self.pagination['descending'], page=self.pagination['page'],
                             per_page=self.pagination['rowsPerPage'])

    def _on_delete(self, args: object) -> None:
        """The row's delete button: only a deletable draft shown in this table, with the title the server drew."""
        number = args.get('number') if isinstance(args, dict) else None
        row = next((row for row in self.table.rows if row['number'] == number and row['deletable']), None)
        if row is not None:
            confirm_draft_deletion(row['number'], row['title'], ui.navigate.reload)

    def refresh(self) -> None:
        self._show(self._fetch())

    async def reload(self) -> None:
        """The same as `refresh`, with the query off the event loop (a live update)."""
        self._show(await run.io_bound(self._fetch))

    def _show(self, result: RequestPage) -> None:
        self.pagination['rowsNumber'] = result.total
        self.table.pagination = dict(self.pagination)
        self.table.rows = [{
            'number': row.number,
            'title': row.title,
            'href': _href(row.number, self.status),
            'created': format_datetime(row.created_at),
            'modified': format_datetime(row.modified_at),
            'stage': t(row.stage),
            'unread': row.unread,
            # Translators: the badge of unread messages on a request's row (Finnish keeps the guide's wording).
            'unread_label': nt('Uusia viestejä {count}', 'Uusia viestejä {count}', row.unread),
            'completion_label': t('Täydennettävä') if row.completion_requested else '',
            'deletable': row.deletable,
            'delete_label': t('Poista'),
            'delete_aria': t('Poista luonnos {title}', title=row.title),
        } for row in result.rows]
        self.table.update()


def _unread_text(count: int) -> str:
    return nt('{count} uusi viesti', '{count} uutta viestiä', count)


def _tab_label(status: RequestStatus, count: int) -> str:
    return f'{t(TAB_LABELS[status])} ({count})'


def _counts(owner_id: int) -> tuple[dict[RequestStatus, int], dict[RequestStatus, int]]:
    return count_by_status(owner_id), unread_by_status(owner_id)


class RequestTabs:
    """Tabs with counts over one table each; redrawn live when the centre writes or changes one of the requests.

    `summary` adds a line saying how many new messages there are (PÄÄSIVU), read out when it changes.
    """

    def __init__(self, owner_id: int, *, per_page: int = 10, searchable: bool = True, paged: bool = True,
                 summary: bool = False) -> None:
        self.owner_id = owner_id
        counts, unread = _counts(owner_id)
        self.unread_line = ui.label('').classes('font-bold text-red-900').props('role=status') \
            .mark('unread-summary') if summary else None
        # Dense and narrow-padded: the three tabs with their counts fit a 390 px phone without scroll arrows.
        # 'Lähetetyt (5) · 2 uutta viestiä': the unread count on a second line of the tab, so that the three tabs
        # still fit a 390 px phone.
        self.tab_elements: dict[RequestStatus, ui.tab] = {}
        self.unread_labels: dict[RequestStatus, ui.label] = {}
        with ui.tabs().props('no-caps dense align=left active-color=primary indicator-color=primary') \
                .classes('w-full border-b') as self.tabs:
            for status in TAB_LABELS:
                with ui.tab(status.value, label=_tab_label(status, counts[status])).style('padding: 0 10px') \
                        .mark(TAB_MARKS[status]) as tab:
                    self.unread_labels[status] = ui.label('').classes('text-xs font-bold text-red-900 leading-tight')
                self.tab_elements[status] = tab
        self.tables: list[RequestTable] = []
        # No slide between panels: a redraw during Quasar's slide could leave both panels on show.
        with ui.tab_panels(self.tabs, value=self.tab_elements[RequestStatus.DRAFT], animated=False) \
                .classes('w-full bg-transparent'):
            for status, tab in self.tab_elements.items():
                with ui.tab_panel(tab).classes('px-0'):
                    self.tables.append(RequestTable(owner_id, status, per_page=per_page, searchable=searchable,
                                                    paged=paged))
        self._show_unread(unread)
        follow([live.user_topic(owner_id)], self.reload)

    def _show_unread(self, unread: dict[RequestStatus, int]) -> None:
        for status, label in self.unread_labels.items():
            label.set_text(f'· {_unread_text(unread[status])}' if unread[status] else '')
            label.set_visibility(bool(unread[status]))
        if self.unread_line is None:
            return
        total = sum(unread.values())
        self.unread_line.set_text(
            nt('Sinulla on {count} uusi viesti.', 'Sinulla on {count} uutta viestiä.', total) if total else '')
        self.unread_line.set_visibility(bool(total))

    async def reload(self, _event: object = None) -> None:
        counts, unread = await run.io_bound(_counts, self.owner_id)
        for status, tab in self.tab_elements.items():
            tab.set_label(_tab_label(status, counts[status]))
        self._show_unread(unread)
        for table in self.tables:
            await table.reload()


def request_tabs(owner_id: int, *, per_page: int = 10, searchable: bool = True, paged: bool = True,
                 summary: bool = False) -> RequestTabs:
    return RequestTabs(owner_id, per_page=per_page, searchable=searchable, paged=paged, summary=summary)


def confirm_draft_deletion(number: int, title: str, on_deleted: Callable[[], None]) -> None:
    """Ask before deleting a draft (it cannot be undone), then delete it with its attachments."""
    def delete() -> None:
        user = session.current_user()
        if user is None:
            ui.navigate.to('/kirjaudu')
            return
        try:
            delete_draft(user, number)
        except RequestNotFound:
            ui.notify(t('Luonnosta ei löytynyt. Se on ehkä jo poistettu.'), type='warning')
        else:
            notify_success(t('Luonnos {number} poistettiin.', number=number))
        dialog.close()
        on_deleted()

    with ui.dialog() as dialog, ui.card().props('role=alertdialog aria-labelledby=delete-draft-heading') \
            .mark('delete-dialog'):
        ui.label(t('Poistetaanko luonnos?')).classes('text-lg font-bold') \
            .props('id=delete-draft-heading role=heading aria-level=2')
        ui.label(title)
        ui.label(t('Luonnos ja sen liitteet poistetaan pysyvästi. Poistoa ei voi perua.'))
        with ui.row().classes('justify-end w-full'):
            ui.button(t('Peruuta'), on_click=dialog.close).props('outline no-caps color=primary')
            ui.button(t('Poista luonnos'), on_click=delete).props('no-caps color=red-10').mark('confirm-delete')
    dialog.open()
