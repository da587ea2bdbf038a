"""The session is read once per page request (by the access middleware, in a worker thread) and handed on: the page
and its frame do not query it again. Issue 16: it used to be read 3–4 times per page, on the event loop."""
from __future__ import annotations

import threading

from nicegui.testing import User
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.pages.conftest import sign_in_with_password

DEMO_PASSWORD = 'Demo-salasana-2026'


async def test_a_page_reads_the_session_once_and_not_on_the_event_loop(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    loop_thread = threading.get_ident()  # the test and the app share the loop
    reads: list[bool] = []  # one entry per read of a session row: True when on the loop's thread

    def note(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().startswith('SELECT usersession.id, usersession.user_id'):
            reads.append(threading.get_ident() == loop_thread)

    event.listen(Engine, 'before_cursor_execute', note)
    try:
        for path in ('/paasivu', '/oma-asiointi', '/palvelut'):
            reads.clear()
            await user.open(path)
            assert reads == [False], f'{path}: {len(reads)} session reads, {sum(reads)} on the event loop'
    finally:
        event.remove(Engine, 'before_cursor_execute', note)
