"""Sortable column headers that the keyboard and screen readers can use, for every server-side paged table.

Quasar's header cell sorts on a mouse click only (a `th` is no Tab stop) and says nothing about the order. Here the
label of a sortable column is a real button inside the header cell (Tab, Enter and Space), and the cell carries
`aria-sort` (ascending, descending or none), read from the sort state Quasar already keeps for its arrow. The
server's answer redraws the header, so `components.accessibility` puts the focus back on the button pressed.
"""
from __future__ import annotations

from nicegui import ui

_HEADER_CELL = r'''
<q-th :props="props" :aria-sort="props.col.sortable
    ? (props.col.__thClass.includes(' sorted')
       ? (props.col.__thClass.includes('sort-desc') ? 'descending' : 'ascending') : 'none')
    : undefined">
  <button v-if="props.col.sortable" type="button" class="table-sort-button" :data-sort-column="props.col.name"
          @click.stop="props.sort(props.col)">
    {{ props.col.label }}</button>
  <template v-else>{{ props.col.label }}</template>
</q-th>
'''

def make_headers_sortable(table: ui.table) -> None:
    """Give `table` keyboard-operable sort buttons and aria-sort in its header cells (styled in
    `components.accessibility`)."""
    table.add_slot('header-cell', _HEADER_CELL)
