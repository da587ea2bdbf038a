"""Issue 14's domain rules: a returned request opens at the concerned step with the handler's note and can be
withdrawn; resolving moves to the final stage and assigns an unassigned request to the resolver; unread counts per
tab; next / previous in a queue view; live events are published only after a commit."""
from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from models import AuditEvent, RequestStatus, StageChange, User, saved_id
from models.db import session_scope
from services import handling, live, workflow
from services.handling import QueueFilters
from services.requests import unread_by_status
from services.stages import FINAL_STAGE, STAGES
from tests.unit.test_handling import _request

pytestmark = pytest.mark.db


def test_a_returned_request_opens_at_the_concerned_step_with_the_note_and_resends_as_the_same_number(
        demo: dict[str, User]) -> None:
    handler, citizen = demo['kaisa.kasittelija'], demo['onni.korhonen']
    version = _request(979738).version
    handling.ask_for_information(handler, 979738, version, 'Tilinumero puuttuu.', step=1)
    draft = workflow.open_draft(saved_id(citizen), 979738)
    assert (draft.current_step, draft.completion_requested, draft.completion_note) == (1, True, 'Tilinumero puuttuu.')
    assert unread_by_status(saved_id(citizen))[RequestStatus.DRAFT] == 0  # the note was read on the form
    result = workflow.send_request(saved_id(citizen), 979738)
    assert result.sent_now and result.number == 979738
    request = _request(979738)
    assert (request.status, request.completion_requested, request.citizen_replied) == (RequestStatus.SENT, False,
                                                                                        True)


def test_a_request_for_information_on_step_one_opens_at_step_one(demo: dict[str, User]) -> None:
    handler, citizen = demo['kaisa.kasittelija'], demo['onni.korhonen']
    handling.ask_for_information(handler, 979738, _request(979738).version, 'Tarkista yhteystiedot.')
    assert workflow.open_draft(saved_id(citizen), 979738).current_step == 0


def test_a_returned_request_can_be_withdrawn_and_keeps_its_history(demo: dict[str, User]) -> None:
    handler, citizen = demo['kaisa.kasittelija'], demo['onni.korhonen']
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.withdraw_request(saved_id(citizen), 5474)  # a draft never sent is deleted, not withdrawn
    handling.ask_for_information(handler, 979738, _request(979738).version, 'Lisää liite.')
    with pytest.raises(workflow.RequestNotAvailable):
        workflow.withdraw_request(saved_id(demo['riikka.edustaja']), 979738)  # not theirs
    workflow.withdraw_request(saved_id(citizen), 979738)
    request = _request(979738)
    assert (request.status, request.stage) == (RequestStatus.DONE, FINAL_STAGE)
    with session_scope() as db:
        actions = db.exec(select(AuditEvent.action).where(AuditEvent.request_id == 979738)).all()
        stages = db.exec(select(StageChange.stage).where(StageChange.request_id == 979738)).all()
    assert 'request_withdrawn' in actions and stages == ['Vireillepano/-tulo', FINAL_STAGE]


def test_resolving_an_unassigned_request_gives_it_to_the_resolver(demo: dict[str, User]) -> None:
    boss = demo['admin']
    assert _request(979825).assigned_handler_id is None
    handling.resolve(boss, 979825, _request(979825).version, 'Hoidettu.')
    request = _request(979825)
    assert (request.assigned_handler_id, request.stage) == (boss.id, STAGES[-1])


def test_unread_messages_are_counted_per_tab(demo: dict[str, User]) -> None:
    citizen, handler = demo['onni.korhonen'], demo['kaisa.kasittelija']
    before = unread_by_status(saved_id(citizen))[RequestStatus.SENT]
    assert before >= 2  # the seed's "Uusia viestejä 2"
    handling.send_message(handler, 979738, _request(979738).version, 'Hei!')
    assert unread_by_status(saved_id(citizen))[RequestStatus.SENT] == before + 1
    assert unread_by_status(saved_id(handler)) == {status: 0 for status in RequestStatus}


def test_next_and_previous_follow_the_queue_view(demo: dict[str, User]) -> None:
    handler = demo['kaisa.kasittelija']
    order = [row.number for row in handling.list_queue(handler, QueueFilters()).rows]
    assert len(order) >= 3
    middle = order[1]
    assert handling.adjacent_request(handler, QueueFilters(), middle) == order[2]
    assert handling.adjacent_request(handler, QueueFilters(), middle, forward=False) == order[0]
    assert handling.adjacent_request(handler, QueueFilters(), order[-1]) is None
    newest_first = [row.number for row in handling.list_queue(handler, QueueFilters(), descending=True).rows]
    assert handling.adjacent_request(handler, QueueFilters(), newest_first[0], descending=True) == newest_first[1]
    # Resolved meanwhile (left the view): "next" is still the one after it.
    handling.resolve(handler, middle, _request(middle).version, 'Valmis.')
    assert handling.adjacent_request(handler, QueueFilters(), middle) == order[2]


def test_live_events_are_published_after_the_commit_only(demo: dict[str, User]) -> None:
    handler, citizen = demo['kaisa.kasittelija'], demo['onni.korhonen']
    received: list[live.LiveEvent] = []

    async def scenario() -> None:
        await live.start('sqlite:///unused.db')  # SQLite and no Redis: in process
        assert live.transport_name() == 'in-process'
        unsubscribe = live.subscribe(live.user_topic(saved_id(citizen)), received.append)
        try:
            await asyncio.to_thread(handling.send_message, handler, 979738, _request(979738).version, 'Hei!')
            for _ in range(100):
                if received:
                    break
                await asyncio.sleep(0.01)
            with pytest.raises(handling.VersionConflict):  # rolled back: nothing is published
                handling.send_message(handler, 979738, 1, 'Vanhentunut')
            await asyncio.sleep(0)
        finally:
            unsubscribe()
            await live.stop()

    asyncio.run(scenario())
    assert [(e.kind, e.data['request'], e.data['actor']) for e in received] == [('message', 979738, handler.id)]
