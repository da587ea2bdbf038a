"""The centre's handling of requests (services.handling, services.audit): queue, actions, conflicts, audit log."""
from __future__ import annotations

import pytest
from sqlmodel import col, select

from models import (
    AuditEvent,
    Message,
    MessageKind,
    OutboxEmail,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    saved_id,
)
from models.db import session_scope
from services import audit, handling
from services.handling import QueueFilters
from tests.support.rows import found

pytestmark = pytest.mark.db


def _request(number: int) -> ServiceRequest:
    with session_scope() as db:
        request = db.get(ServiceRequest, number)
        assert request is not None
        return request


def _emails(number: int) -> list[OutboxEmail]:
    with session_scope() as db:
        return list(db.exec(select(OutboxEmail).where(OutboxEmail.request_id == number)).all())


def _actions(number: int) -> list[str]:
    with session_scope() as db:
        return [e.action for e in db.exec(select(AuditEvent).where(AuditEvent.request_id == number)
                                          .order_by(col(AuditEvent.id))).all()]


def test_citizen_is_refused_every_handling_function(demo: dict[str, User]) -> None:
    citizen = demo['onni.korhonen']
    calls = [
        lambda: handling.list_queue(citizen, QueueFilters()),
        lambda: handling.queue_counts(citizen),
        lambda: handling.open_request(citizen, 978373),
        lambda: handling.assign(citizen, 978373, 1, citizen.id),
        lambda: handling.change_stage(citizen, 978373, 1, 'Valmistelu'),
        lambda: handling.send_message(citizen, 978373, 1, 'Hei'),
        lambda: handling.ask_for_information(citizen, 978373, 1, 'Lisää'),
        lambda: handling.add_note(citizen, 978373, 1, 'Muistiin'),
        lambda: handling.resolve(citizen, 978373, 1, 'Ratkaistu'),
        lambda: audit.events_for_request(citizen, 978373),
        lambda: audit.export_csv(citizen, 978373),
    ]
    for call in calls:
        with pytest.raises(PermissionError):
            call()
    assert _request(978373).version == 1


def test_queue_shows_sent_requests_oldest_first_with_counts(demo: dict[str, User]) -> None:
    handler = demo['kaisa.kasittelija']
    page = handling.list_queue(handler, QueueFilters())
    assert page.total == 5
    assert [row.number for row in page.rows] == [978635, 979738, 979825, 978373, 979728]
    assert page.rows[0].citizen == 'Onni Juhani Korhonen'
    assert page.rows[0].organisation == 'Jyväskylän kaupunki'
    # Drafts the citizen has not sent are not the centre's business.
    assert 5474 not in [row.number for row in handling.list_queue(handler, QueueFilters(state='all')).rows]
    counts = handling.queue_counts(handler)
    assert (counts.open, counts.unassigned, counts.mine, counts.replied) == (5, 5, 0, 0)


def test_queue_filters_search_sort_and_paging(demo: dict[str, User]) -> None:
    handler = demo['kaisa.kasittelija']
    by_service = handling.list_queue(handler, QueueFilters(service_code='verokortti'))
    assert {row.number for row in by_service.rows} == {979728, 979825, 978635}
    assert handling.list_queue(handler, QueueFilters(search='978373')).total == 1
    assert handling.list_queue(handler, QueueFilters(search='korhonen')).total == 5
    assert handling.list_queue(handler, QueueFilters(search='jyväskylän')).total == 5
    assert handling.list_queue(handler, QueueFilters(search='virtanen')).total == 0
    options = handling.filter_options(handler)
    oulu = next(id_ for id_, name in options.regions.items() if name == 'Pohjois-Pohjanmaa')
    assert handling.list_queue(handler, QueueFilters(region_id=oulu)).total == 0
    assert handling.list_queue(handler, QueueFilters(stage='Valmistelu')).total == 0
    first = handling.list_queue(handler, QueueFilters(), sort_by='number', descending=True, page=1, per_page=2)
    second = handling.list_queue(handler, QueueFilters(), sort_by='number', descending=True, page=2, per_page=2)
    assert [r.number for r in first.rows] == [979825, 979738]
    assert [r.number for r in second.rows] == [979728, 978635]
    assert first.total == 5
    # An unknown sort column falls back to the default rather than reaching SQL.
    assert handling.list_queue(handler, QueueFilters(), sort_by='owner_id; drop').total == 5


def test_opening_a_request_is_logged_and_reads_the_citizens_reply(demo: dict[str, User]) -> None:
    handler, citizen = demo['kaisa.kasittelija'], demo['onni.korhonen']
    with session_scope() as db:
        db.add(Message(request_id=978373, author_id=citizen.id, kind=MessageKind.REPLY, body='Liitin tiliotteen.'))
        request = found(db.get(ServiceRequest, 978373))
        request.citizen_replied = True
        db.add(request)
    assert [r.number for r in handling.list_queue(handler, QueueFilters(citizen_replied=True)).rows] == [978373]
    detail = handling.open_request(handler, 978373)
    assert detail.citizen_replied_before_opening
    assert detail.sender.name == 'Onni Juhani Korhonen'
    assert detail.sender.identity_masked == '150585-****'
    assert detail.answers['iban'] == 'FI4822223333444455'
    assert [m.kind for m in detail.messages] == [MessageKind.QUESTION, MessageKind.MESSAGE, MessageKind.REPLY]
    assert _request(978373).citizen_replied is False
    assert handling.list_queue(handler, QueueFilters(citizen_replied=True)).total == 0
    assert _actions(978373) == ['request_viewed']
    assert _request(978373).version == 1  # reading is not a change another handler must be warned of


def test_a_draft_never_sent_is_not_found_by_the_centre(demo: dict[str, User]) -> None:
    with pytest.raises(handling.RequestNotFound):
        handling.open_request(demo['kaisa.kasittelija'], 5474)


def test_handler_assigns_stages_messages_notes_and_resolves(demo: dict[str, User]) -> None:
    handler = demo['kaisa.kasittelija']
    version = handling.assign(handler, 979738, 1, handler.id)
    assert handling.queue_counts(handler).mine == 1
    version = handling.change_stage(handler, 979738, version, 'Valmistelu')
    version = handling.send_message(handler, 979738, version, 'Tarvitsemme tiliotteen.', question=True)
    version = handling.add_note(handler, 979738, version, 'Soitettu asiakkaalle, ei vastannut.')
    assert [e.kind for e in _emails(979738)] == ['question']  # the note sends nothing
    version = handling.resolve(handler, 979738, version, 'Palautus maksetaan tilillesi viikon kuluessa.')
    request = _request(979738)
    # Resolving moves it to the last configured stage (not left at the stage it was in).
    assert (request.status, request.stage, request.version) == (RequestStatus.DONE, 'Seuranta', version)
    assert request.resolution == 'Palautus maksetaan tilillesi viikon kuluessa.'
    assert request.resolved_at is not None
    assert [e.kind for e in _emails(979738)] == ['question', 'resolved']
    assert all(e.recipient == '645516@generated.invalid' for e in _emails(979738))
    with session_scope() as db:
        stages = [s.stage for s in db.exec(select(StageChange).where(StageChange.request_id == 979738)
                                            .order_by(col(StageChange.id))).all()]
    assert stages == ['Vireillepano/-tulo', 'Valmistelu', 'Seuranta']
    assert _actions(979738) == ['assigned', 'stage_changed', 'question_sent', 'note_added', 'resolved']
    # The citizen's own thread leaves the internal note out.
    from services.messages import list_thread

    thread = list_thread(demo['onni.korhonen'], 979738)
    assert [m.kind for m in thread] == [MessageKind.QUESTION, MessageKind.RESOLUTION]
    assert all('Soitettu' not in m.body for m in thread)
    with pytest.raises(handling.InvalidAction):
        handling.send_message(handler, 979738, version, 'Vielä yksi asia')


def test_empty_or_unknown_input_is_refused_without_change(demo: dict[str, User]) -> None:
    handler = demo['kaisa.kasittelija']
    with pytest.raises(handling.InvalidAction):
        handling.send_message(handler, 979738, 1, '   ')
    with pytest.raises(handling.InvalidAction):
        handling.change_stage(handler, 979738, 1, 'Arvonta')
    with pytest.raises(handling.InvalidAction):
        handling.assign(handler, 979738, 1, demo['onni.korhonen'].id)
    assert _request(979738).version == 1
    assert _actions(979738) == []


def test_asking_for_more_information_reopens_the_request_and_the_citizen_sends_it_again(
        demo: dict[str, User]) -> None:
    from services.requests import list_requests
    from services.workflow import send_request

    handler, citizen = demo['kaisa.kasittelija'], demo['onni.korhonen']
    handling.ask_for_information(handler, 979738, 1, 'Lisää laskun numero ja tiliote.')
    request = _request(979738)
    assert (request.status, request.completion_requested) == (RequestStatus.DRAFT, True)
    assert [e.kind for e in _emails(979738)] == ['info_request']
    drafts = list_requests(saved_id(citizen), RequestStatus.DRAFT)
    assert [(row.number, row.completion_requested) for row in drafts.rows if row.number == 979738] == [(979738, True)]
    assert [r.number for r in handling.list_queue(handler, QueueFilters(state='completion')).rows] == [979738]
    assert handling.open_request(handler, 979738).completion_requested  # the centre still sees it
    with pytest.raises(handling.InvalidAction):  # nothing to resolve while it is with the citizen
        handling.resolve(handler, 979738, _request(979738).version, 'Ratkaistu')

    assert send_request(saved_id(citizen), 979738).sent_now
    request = _request(979738)
    assert (request.status, request.completion_requested, request.citizen_replied) == \
        (RequestStatus.SENT, False, True)
    assert [r.number for r in handling.list_queue(handler, QueueFilters(citizen_replied=True)).rows] == [979738]
    assert _actions(979738)[:2] == ['completion_requested', 'request_viewed']
    assert _actions(979738)[-1] == 'request_resent'


def test_second_handler_gets_a_conflict_and_nothing_is_overwritten(demo: dict[str, User]) -> None:
    kaisa, admin = demo['kaisa.kasittelija'], demo['admin']
    seen_by_kaisa = handling.open_request(kaisa, 978373).version
    seen_by_admin = handling.open_request(admin, 978373).version
    handling.assign(kaisa, 978373, seen_by_kaisa, kaisa.id)
    for late_change in (lambda: handling.assign(admin, 978373, seen_by_admin, admin.id),
                        lambda: handling.resolve(admin, 978373, seen_by_admin, 'Ratkaistu'),
                        lambda: handling.send_message(admin, 978373, seen_by_admin, 'Hei')):
        with pytest.raises(handling.VersionConflict, match='Toinen käsittelijä'):
            late_change()
    request = _request(978373)
    assert (request.assigned_handler_id, request.status, request.version) == (kaisa.id, RequestStatus.SENT, 2)
    assert [e.kind for e in _emails(978373)] == []  # the refused message did not slip into the outbox
    with session_scope() as db:
        assert db.exec(select(Message).where(Message.request_id == 978373, Message.body == 'Hei')).first() is None


def test_audit_log_lists_and_exports_as_csv(demo: dict[str, User]) -> None:
    handler, admin = demo['kaisa.kasittelija'], demo['admin']
    handling.open_request(handler, 979825)
    handling.assign(handler, 979825, 1, handler.id)
    events = audit.events_for_request(handler, 979825)
    assert [(e.action, e.actor) for e in events] == [('request_viewed', 'Kaisa Käsittelijä'),
                                                      ('assigned', 'Kaisa Käsittelijä')]
    assert events[1].label == 'Vaihtoi käsittelijän'
    text = audit.export_csv(handler, 979825)
    lines = text.strip().splitlines()
    assert lines[0] == 'Aika;Tekijä;Palvelupyyntö;Tapahtuma;Koodi;Tiedot'
    assert len(lines) == 3 and 'Kaisa Käsittelijä;979825;Vaihtoi käsittelijän;assigned' in lines[2]
    assert _actions(979825)[-1] == 'audit_exported'  # exporting personal data is itself logged
    with pytest.raises(PermissionError):
        audit.export_csv(handler)  # the whole log is for admins
    assert 'audit_exported' in audit.export_csv(admin)
