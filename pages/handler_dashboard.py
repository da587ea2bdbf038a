"""KOJELAUTA (/kasittely/kojelauta): open requests by stage, arrivals per week, the median time to resolve and the
oldest open requests. Each chart has its figures as a table too, for screen readers and for exact numbers."""
from __future__ import annotations

from nicegui import ui

from components.frame import BRAND_COLOUR, frame
from components.workbench import heading, staff_user
from locales import t
from models import User
from services import dashboard
from services.formatting import format_datetime
from services.handling import queue_counts


def _figure(label: str, value: str, mark: str) -> None:
    with ui.card().classes('min-w-[12rem] flex-1 gap-1').mark(mark):
        ui.label(label).classes('text-sm font-bold text-gray-800')
        ui.label(value).classes('text-3xl font-extrabold')


def _chart_with_table(title: str, labels: list[str], values: list[int], value_label: str, mark: str) -> None:
    with ui.card().classes('flex-1 min-w-[20rem] gap-2'):
        heading(title, 2)
        summary = ', '.join(f'{label}: {value}' for label, value in zip(labels, values, strict=True))
        ui.echart({
            'tooltip': {'trigger': 'axis'},
            'grid': {'left': 40, 'right': 16, 'top': 16, 'bottom': 90},
            'xAxis': {'type': 'category', 'data': labels, 'axisLabel': {'rotate': 35, 'color': '#1b1b1b'}},
            'yAxis': {'type': 'value', 'minInterval': 1, 'axisLabel': {'color': '#1b1b1b'}},
            'series': [{'type': 'bar', 'data': values, 'name': value_label, 'itemStyle': {'color': BRAND_COLOUR}}],
        }).classes('w-full h-72').props('role=img').mark(mark).props['aria-label'] = f'{title}: {summary}'
        with ui.expansion(t('Näytä lukuina')).classes('w-full').props('dense'):
            ui.table(columns=[{'name': 'label', 'label': title, 'field': 'label', 'align': 'left'},
                              {'name': 'value', 'label': value_label, 'field': 'value', 'align': 'right'}],
                     rows=[{'label': label, 'value': value} for label, value in zip(labels, values, strict=True)],
                     row_key='label').props('flat dense hide-pagination :rows-per-page-options="[0]"') \
                .classes('w-full')


def _oldest(user: User) -> None:
    with ui.card().classes('w-full gap-2'):
        heading(t('Kauimmin odottaneet avoimet palvelupyynnöt'), 2)
        rows = dashboard.oldest_open(user)
        table = ui.table(columns=[
            {'name': 'title', 'label': t('Palvelupyyntö'), 'field': 'title', 'align': 'left'},
            {'name': 'sent', 'label': t('Lähetetty'), 'field': 'sent', 'align': 'left'},
            {'name': 'days', 'label': t('Odottanut (pv)'), 'field': 'days', 'align': 'right'},
            {'name': 'stage', 'label': t('Käsittelyvaihe'), 'field': 'stage', 'align': 'left'},
            {'name': 'handler', 'label': t('Käsittelijä'), 'field': 'handler', 'align': 'left'},
        ], rows=[{'number': row.number, 'title': row.title,
                  'href': f'/kasittely/pyynto/{row.number}', 'sent': format_datetime(row.sent_at),
                  'days': row.waiting_days(), 'stage': t(row.stage), 'handler': row.handler or '–'} for row in rows],
            row_key='number').props('flat bordered wrap-cells hide-pagination :rows-per-page-options="[0]"') \
            .classes('w-full').mark('oldest')
        table.props['no-data-label'] = t('Ei avoimia palvelupyyntöjä.')
        table.add_slot('body-cell-title', r'''
<q-td :props="props"><a :href="props.row.href">{{ props.row.title }}</a></q-td>''')


def dashboard_page() -> None:
    with frame('kojelauta', title=t('Kojelauta')):
        user = staff_user()
        if user is None:
            return
        heading(t('Kojelauta'))
        counts = queue_counts(user)
        with ui.row().classes('w-full gap-4 flex-wrap my-2'):
            _figure(t('Avoimia palvelupyyntöjä'), str(counts.open), 'figure-open')
            _figure(t('Ei käsittelijää'), str(counts.unassigned), 'figure-unassigned')
            _figure(t('Täydennettävänä asiakkaalla'), str(counts.completion), 'figure-completion')
            _figure(t('Ratkaisuajan mediaani (90 pv)'),
                    dashboard.format_duration(dashboard.median_time_to_resolve(user)), 'figure-median')
        with ui.row().classes('w-full gap-4 flex-wrap items-stretch'):
            stages = dashboard.open_by_stage(user)
            _chart_with_table(t('Avoimet palvelupyynnöt käsittelyvaiheittain'), [t(stage) for stage, _ in stages],
                              [count for _, count in stages], t('Palvelupyyntöjä'), 'chart-stages')
            weeks = dashboard.arrivals_per_week(user)
            _chart_with_table(t('Saapuneet palvelupyynnöt viikoittain'),
                              [t('vk {label}', label=week.label) for week in weeks], [week.count for week in weeks],
                              t('Saapuneita'), 'chart-weeks')
        _oldest(user)


def register() -> None:
    ui.page('/kasittely/kojelauta')(dashboard_page)
