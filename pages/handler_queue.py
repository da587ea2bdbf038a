"""JONO (/kasittely): the centre's queue of service requests with filters, search, sorting, counts and server-side
paging. The filters are kept for the session so that coming back from a request shows the same list."""
from __future__ import annotations

from nicegui import app, run, ui

from components.choice_controls import shows_at_once
from components.frame import frame
from components.live_updates import follow
from components.queue_view import DEFAULT_FILTERS, FILTERS_KEY, ME, remember_order, to_filters
from components.sortable_header import make_headers_sortable
from components.table_request import requested_pagination
from components.workbench import heading, staff_user, still_allowed
from locales import nt, t
from models import User
from services import live
from services.formatting import format_datetime
from services.handling import (
    QUEUE_STATES,
    UNASSIGNED,
    QueueCounts,
    QueueFilters,
    QueuePage,
    filter_options,
    list_queue,
    queue_counts,
)

SORT_FIELDS = ('number', 'sent', 'modified', 'stage')

_TITLE_CELL = r'''
<q-td :props="props">
  <a :href="props.row.href" class="font-medium">{{ props.row.title }}</a>
  <q-badge v-if="props.row.replied_label" color="red-9" class="ml-2 text-sm" :label="props.row.replied_label" />
  <q-badge v-if="props.row.completion_label" color="orange-10" class="ml-2 text-sm"
           :label="props.row.completion_label" />
</q-td>
'''


class Queue:
    def __init__(self, user: User) -> None:
        self.user = user
        self.options = filter_options(user)
        saved = dict(app.storage.user.get(FILTERS_KEY) or {})
        self.values: dict = DEFAULT_FILTERS | saved
        self.pagination = {'sortBy': 'sent', 'descending': False, 'page': 1, 'rowsPerPage': 20, 'rowsNumber': 0}
        self._counts()
        self._filters()
        self.summary = ui.label().classes('mt-2 font-bold').props('aria-live=polite').mark('queue-total')
        self.table = ui.table(columns=self._columns(), rows=[], row_key='number', pagination=self.pagination) \
            .classes('w-full').props('flat bordered wrap-cells binary-state-sort '
                                     ':rows-per-page-options="[10, 20, 50, 100]"') \
            .mark('queue-table')
        self.table.props.update({'no-data-label': t('Ei palvelupyyntöjä.'),
                                 'rows-per-page-label': t('Rivejä sivulla:')})
        self.table.add_slot('body-cell-title', _TITLE_CELL)
        make_headers_sortable(self.table)
        self.table.on('request', self._on_request)
        self.refresh()
        # A citizen's answer, a new or resent request, another handler's change: the list and counts follow.
        follow([live.QUEUE_TOPIC], self._reload)

    async def _reload(self, _event: live.LiveEvent) -> None:
        query, order = self._query(), dict(self.pagination)

        def read() -> tuple[QueuePage, QueueCounts]:
            return list_queue(self.user, query, sort_by=order['sortBy'], descending=order['descending'],
                              page=order['page'], per_page=order['rowsPerPage']), queue_counts(self.user)

        result, counts = await run.io_bound(read)
        self._show(result)
        for (button, _preset), (label, count) in zip(self.shortcuts, self._count_labels(counts), strict=True):
            button.set_text(f'{label}: {count}')

    @staticmethod
    def _count_labels(counts: QueueCounts) -> list[tuple[str, int]]:
        return [(t('Käsittelyssä'), counts.open), (t('Ei käsittelijää'), counts.unassigned),
                (t('Minulle'), counts.mine), (t('Asiakas vastannut'), counts.replied),
                (t('Täydennettävänä'), counts.completion)]

    def _counts(self) -> None:
        counts = queue_counts(self.user)
        presets = ({'state': 'open'}, {'state': 'open', 'handler': UNASSIGNED}, {'state': 'open', 'handler': ME},
                   {'state': 'open', 'replied': True}, {'state': 'completion'})
        shortcuts = [(label, count, preset) for (label, count), preset in
                     zip(self._count_labels(counts), presets, strict=True)]
        self.shortcuts: list[tuple[ui.button, dict]] = []
        with ui.row().classes('gap-3 flex-wrap my-2').props('role=group') as shortcut_row:
            shortcut_row.props['aria-label'] = t('Pikasuodattimet')
            for label, count, preset in shortcuts:
                button = ui.button(f'{label}: {count}', on_click=lambda p=preset: self._apply(p)) \
                    .props('outline no-caps').mark('queue-count')
                self.shortcuts.append((button, preset))

    def _mark_shortcuts(self) -> None:
        """A quick filter is on (aria-pressed, filled) while the filters are exactly its preset."""
        for button, preset in self.shortcuts:
            on = self.values == DEFAULT_FILTERS | preset
            button.props['aria-pressed'] = 'true' if on else 'false'
            button.props['outline'] = not on
            button.update()

    def _select(self, label: str, options: dict, key: str, width: str = 'w-56') -> ui.select:
        return ui.select(options, label=label, value=self.values.get(key), clearable=key != 'state',
                         on_change=lambda e, k=key: self._set(k, e.value)) \
            .props('outlined dense options-dense').classes(width).mark(f'filter-{key}')

    def _filters(self) -> None:
        o = self.options
        with ui.card().classes('w-full p-4 gap-3'):
            heading(t('Suodata ja hae'), 2, classes='!text-lg')
            with ui.row().classes('w-full gap-3 items-start flex-wrap'):
                self.search = ui.input(t('Hae numerolla tai nimellä'), value=self.values['search'],
                                       on_change=lambda e: self._set('search', e.value or '')) \
                    .props('outlined dense clearable debounce=300 type=search').classes('w-72').mark('queue-search')
                self.fields = {
                    'state': self._select(t('Tila'), {k: t(v) for k, v in QUEUE_STATES.items()}, 'state', 'w-44'),
                    'region': self._select(t('Alue'), o.regions, 'region'),
                    'organisation': self._select(t('Asiakasorganisaatio'), o.organisations, 'organisation', 'w-64'),
                    'service': self._select(t('Palvelu'), {k: t(v) for k, v in o.services.items()}, 'service',
                                            'w-80'),
                    'stage': self._select(t('Käsittelyvaihe'), {s: t(s) for s in o.stages}, 'stage'),
                    'handler': self._select(t('Käsittelijä'), {ME: t('Minä'), UNASSIGNED: t('Ei käsittelijää'),
                                                               **o.handlers}, 'handler'),
                }
            with ui.row().classes('items-center gap-4'):
                self.replied = ui.checkbox(t('Vain ne, joihin asiakas on vastannut'), value=self.values['replied'],
                                           on_change=lambda e: self._set('replied', bool(e.value))) \
                    .mark('filter-replied')
                shows_at_once(self.replied)
                ui.button(t('Tyhjennä suodattimet'), on_click=lambda: self._apply({})) \
                    .props('flat no-caps').mark('clear-filters')

    def _columns(self) -> list[dict]:
        def column(name: str, label: str, sortable: bool = False) -> dict:
            return {'name': name, 'label': label, 'field': name, 'align': 'left', 'sortable': sortable}

        return [column('title', t('Palvelupyyntö'), True) | {'name': 'title'},
                column('citizen', t('Asiakas')), column('organisation', t('Organisaatio')),
                column('stage', t('Käsittelyvaihe'), True), column('handler', t('Käsittelijä')),
                column('sent', t('Lähetetty'), True) | {'classes': 'whitespace-nowrap'},
                column('modified', t('Muokattu viimeksi'), True) | {'classes': 'whitespace-nowrap'}]

    def _apply(self, preset: dict) -> None:
        """A shortcut or 'clear': reset every filter, then apply the preset."""
        self.values = DEFAULT_FILTERS | preset
        for key, element in self.fields.items():
            element.set_value(self.values[key])
        self.replied.set_value(self.values['replied'])
        self.search.set_value(self.values['search'])
        self._set('state', self.values['state'])

    def _set(self, key: str, value: object) -> None:
        if not still_allowed(self.user):
            return
        self.values[key] = value
        app.storage.user[FILTERS_KEY] = dict(self.values)
        self.pagination['page'] = 1
        self.refresh()

    def _on_request(self, event) -> None:
        if not still_allowed(self.user):
            return
        self.pagination.update(requested_pagination(event.args, self.pagination, SORT_FIELDS,
                                                    renames={'title': 'number'}))
        self.refresh()

    def _query(self) -> QueueFilters:
        return to_filters(self.values, self.user)

    def refresh(self) -> None:
        # The request view's "next / previous" walks the list in this order.
        remember_order(self.pagination['sortBy'], self.pagination['descending'])
        self._show(list_queue(self.user, self._query(), sort_by=self.pagination['sortBy'],
                              descending=self.pagination['descending'], page=self.pagination['page'],
                              per_page=self.pagination['rowsPerPage']))

    def _show(self, result: QueuePage) -> None:
        self.pagination['rowsNumber'] = result.total
        self.summary.set_text(nt('{count} palvelupyyntö', '{count} palvelupyyntöä', result.total))
        self._mark_shortcuts()
        self.table.pagination = dict(self.pagination)
        self.table.rows = [{
            'number': row.number,
            'title': row.title,
            'href': f'/kasittely/pyynto/{row.number}',
            'citizen': row.citizen,
            'organisation': row.organisation,
            'stage': t(row.stage),
            'handler': row.handler or '–',
            'sent': format_datetime(row.sent_at),
            'modified': format_datetime(row.modified_at),
            'replied_label': t('Asiakas vastannut') if row.citizen_replied else '',
            'completion_label': t('Täydennettävänä') if row.completion_requested else '',
        } for row in result.rows]
        self.table.update()


def queue_page() -> None:
    with frame('jono', title=t('Jono')):
        user = staff_user()
        if user is None:
            return
        heading(t('Palvelupyyntöjen jono'))
        Queue(user)


def register() -> None:
    ui.page('/kasittely')(queue_page)
