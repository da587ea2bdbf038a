"""Oma asiointi with NiceGUI's simulated user: the Lähetetyt table pages, sorts and searches on the server (only one
page of rows ever reaches the browser), and the detail page shows the thread and marks it read."""
from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import insert
from sqlmodel import col, select

from models import RequestStatus, ServiceRequest, saved_id
from models import User as Person
from models.db import session_scope
from services.requests import list_requests
from tests.pages.conftest import sign_in_with_password
from tests.support.rows import found

DEMO_PASSWORD = 'Demo-salasana-2026'


def _add_sent_requests(count: int) -> int:
    """Give Onni `count` more sent requests, older than the seed's; returns his id."""
    with session_scope() as db:
        onni = db.exec(select(Person).where(Person.username == 'onni.korhonen')).one()
        oldest = found(db.exec(select(ServiceRequest.modified_at).where(ServiceRequest.owner_id == onni.id)
                               .order_by(col(ServiceRequest.modified_at))).first())
        db.execute(insert(ServiceRequest), [
            {'service_code': 'verokortti', 'owner_id': onni.id, 'status': RequestStatus.SENT, 'answers': {},
             'modified_at': oldest - timedelta(days=i + 1), 'created_at': oldest - timedelta(days=i + 1),
             'sent_at': oldest - timedelta(days=i + 1)} for i in range(count)])
        return saved_id(onni)


async def test_sent_tab_pages_sorts_and_searches_on_the_server(user: User) -> None:
    onni_id = _add_sent_requests(25)
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.open('/oma-asiointi')
    await user.should_see('Lähetetyt (30)')
    table = next(iter(user.find(marker='table-sent').elements))
    assert isinstance(table, ui.table)
    assert (len(table.rows), table.pagination['rowsNumber']) == (10, 30)
    assert table.rows[0]['number'] == 979728 and table.rows[0]['modified'] == '17.12.2021 16:13'

    user.find(marker='table-sent').trigger('request', {'pagination': {
        'sortBy': 'modified', 'descending': True, 'page': 3, 'rowsPerPage': 10}})
    expected = [row.number for row in list_requests(onni_id, RequestStatus.SENT, page=3, per_page=10).rows]
    assert [row['number'] for row in table.rows] == expected and len(expected) == 10

    # A sort column that is not offered is ignored rather than passed to the database.
    user.find(marker='table-sent').trigger('request', {'pagination': {
        'sortBy': 'owner_id; DROP TABLE user', 'descending': False, 'page': 1, 'rowsPerPage': 10}})
    assert table.pagination['sortBy'] == 'modified' and table.rows[0]['modified'] != '17.12.2021 16:13'

    user.find(marker='search-sent').type('978373')
    assert [(row['number'], row['unread_label']) for row in table.rows] == [(978373, 'Uusia viestejä 2')]
    assert table.pagination['rowsNumber'] == 1


async def test_detail_shows_the_thread_and_reading_clears_the_badge(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.open('/oma-asiointi/978373')
    await user.should_see('Hei, liitättekö vielä kuvan tiliotteesta, josta liikasuoritus näkyy?')
    await user.should_see('Uusi')
    await user.open('/oma-asiointi')
    table = next(iter(user.find(marker='table-sent').elements))
    assert isinstance(table, ui.table)
    assert all(row['unread'] == 0 for row in table.rows)


async def test_empty_reply_is_refused_by_the_field(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.open('/oma-asiointi/978373')
    user.find(marker='send-reply').click()
    await user.should_see('Tarkista seuraavat kohdat:')
    user.find(marker='reply-body').type('Tiliote tulee postissa.')
    user.find(marker='send-reply').click()
    await user.should_see('Tiliote tulee postissa.')
    await user.should_see('Vastauksesi')
