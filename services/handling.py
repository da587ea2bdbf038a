"""The centre's handling of service requests: the queue, one request in full, and the handler's actions.

Every function takes the acting user and refuses anyone but the centre's staff (`HandlingForbidden`), whatever the
page in front of it checked. Every change is one transaction that writes the change, its audit event and any email
to the outbox together, and it is guarded by the request's `version`: the change is an
`UPDATE ... WHERE id = ? AND version = ?` that also bumps the version, so when two handlers act on the same request
the second gets `VersionConflict` and nothing of the first is overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, or_, update
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from locales import N_, nt, t
from models import (
    Message,
    MessageKind,
    Organisation,
    Region,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    UserRole,
    saved_id,
    utcnow,
)
from models.db import session_scope

from . import audit, live
from .attachments import may_see_request
from .catalogue import service_title
from .forms import FORMS, FormDefinition
from .forms.versions import form_for_request
from .requests import AttachmentInfo, attachment_infos
from .stages import FINAL_STAGE, STAGES, is_stage
from .text_hygiene import clean_text

MAX_MESSAGE_LENGTH = 4000
# Sentinels for the "assigned handler" filter.
UNASSIGNED = 'none'
SORTABLE_COLUMNS: dict[str, Mapped[Any]] = {
    'number': col(ServiceRequest.id), 'sent': col(ServiceRequest.sent_at),
    'modified': col(ServiceRequest.modified_at), 'stage': col(ServiceRequest.stage)}
QUEUE_STATES = {
    'open': N_('Käsittelyssä'),
    'completion': N_('Täydennettävänä'),
    'done': N_('Valmiit'),
    # Translators: the queue's filter "all service requests, whatever their state".
    'all': N_('Kaikki'),
}
STATUS_LABELS = {RequestStatus.DRAFT: N_('Luonnos'), RequestStatus.SENT: N_('Lähetetty'),
                 RequestStatus.DONE: N_('Valmis')}
MESSAGE_KIND_LABELS = {
    MessageKind.MESSAGE: N_('Viesti asiakkaalle'),
    MessageKind.QUESTION: N_('Kysymys asiakkaalle'),
    MessageKind.INFO_REQUEST: N_('Täydennyspyyntö'),
    MessageKind.RESOLUTION: N_('Ratkaisu'),
    MessageKind.REPLY: N_('Asiakkaan vastaus'),
    MessageKind.NOTE: N_('Sisäinen muistiinpano'),
}


class HandlingError(Exception):
    """A handler action that cannot be done; `str(error)` is a translated message for the handler."""


class HandlingForbidden(HandlingError, PermissionError):
    pass


class RequestNotFound(HandlingError, LookupError):
    pass


class VersionConflict(HandlingError):
    pass


class InvalidAction(HandlingError, ValueError):
    pass


def require_staff(actor: User | None) -> User:
    if actor is None or not actor.active or actor.role not in (UserRole.HANDLER, UserRole.ADMIN):
        raise HandlingForbidden(t('Tämä toiminto on vain palvelukeskuksen käsittelijöille.'))
    return actor


# ---------------------------------------------------------------------------------------------------- the queue

@dataclass(frozen=True)
class QueueFilters:
    state: str = 'open'  # a key of QUEUE_STATES
    region_id: int | None = None
    organisation_id: int | None = None
    service_code: str | None = None
    stage: str | None = None
    handler: int | str | None = None  # a user id, UNASSIGNED, or None for anyone
    citizen_replied: bool = False  # only requests with an unread answer from the citizen
    search: str = ''  # a request number, or part of the citizen's or the organisation's name


@dataclass(frozen=True)
class QueueRow:
    number: int
    service_code: str
    status: RequestStatus
    stage: str
    citizen: str
    organisation: str
    handler: str
    sent_at: datetime | None
    modified_at: datetime
    citizen_replied: bool
    completion_requested: bool

    @property
    def title(self) -> str:
        return f'{self.number} : {t(service_title(self.service_code))}'


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int


@dataclass(frozen=True)
class QueueCounts:
    open: int
    unassigned: int
    mine: int
    replied: int
    completion: int


def _state_conditions(state: str) -> list:
    if state == 'completion':
        return [ServiceRequest.status == RequestStatus.DRAFT, ServiceRequest.completion_requested]
    if state == 'done':
        return [ServiceRequest.status == RequestStatus.DONE]
    if state == 'all':
        # Drafts the citizen never sent are theirs alone; the centre sees what was sent at least once.
        return [or_(col(ServiceRequest.status) != RequestStatus.DRAFT, col(ServiceRequest.completion_requested))]
    return [ServiceRequest.status == RequestStatus.SENT]


def _queue_conditions(actor: User, filters: QueueFilters) -> list:
    conditions = _state_conditions(filters.state)
    if filters.region_id is not None:
        conditions.append(col(ServiceRequest.organisation_id).in_(
            select(Organisation.id).where(Organisation.region_id == filters.region_id)))
    if filters.organisation_id is not None:
        conditions.append(ServiceRequest.organisation_id == filters.organisation_id)
    if filters.service_code:
        conditions.append(ServiceRequest.service_code == filters.service_code)
    if filters.stage:
        conditions.append(ServiceRequest.stage == filters.stage)
    if filters.handler == UNASSIGNED:
        conditions.append(col(ServiceRequest.assigned_handler_id).is_(None))
    elif isinstance(filters.handler, int):
        conditions.append(ServiceRequest.assigned_handler_id == filters.handler)
    if filters.citizen_replied:
        conditions.append(ServiceRequest.citizen_replied)
    search = filters.search.strip()
    if search:
        if search.isdigit():
            conditions.append(ServiceRequest.id == int(search))
        else:
            pattern = f'%{search.lower()}%'
            owners = select(User.id).where(func.lower(User.display_name).like(pattern)
                                           | func.lower(User.given_name + ' ' + User.surname).like(pattern))
            organisations = select(Organisation.id).where(func.lower(Organisation.name).like(pattern))
            conditions.append(or_(col(ServiceRequest.owner_id).in_(owners),
                                  col(ServiceRequest.organisation_id).in_(organisations)))
    return conditions


def list_queue(actor: User, filters: QueueFilters, *, sort_by: str = 'sent', descending: bool = False,
               page: int = 1, per_page: int = 20) -> QueuePage:
    """One page of the queue. The default order is oldest sent first: the request waiting longest comes first."""
    require_staff(actor)
    conditions = _queue_conditions(actor, filters)
    order_column = SORTABLE_COLUMNS.get(sort_by, SORTABLE_COLUMNS['sent'])
    order = order_column.desc() if descending else order_column.asc()
    per_page = min(max(per_page, 1), 100)
    page = max(page, 1)
    owner = inspect(User).local_table.alias('owner')
    handler = inspect(User).local_table.alias('handler')
    with session_scope() as db:
        total = db.exec(select(func.count()).select_from(ServiceRequest).where(*conditions)).one()
        results = db.exec(
            # sqlmodel's select() has typed overloads for at most four columns; the rows are read as Any below.
            select(ServiceRequest.id, ServiceRequest.service_code,  # type: ignore[call-overload]
                   ServiceRequest.status, ServiceRequest.stage,
                   owner.c.display_name, owner.c.given_name, owner.c.surname, Organisation.name,
                   handler.c.display_name, ServiceRequest.sent_at, ServiceRequest.modified_at,
                   ServiceRequest.citizen_replied, ServiceRequest.completion_requested)
            .join(owner, owner.c.id == ServiceRequest.owner_id)
            .join(Organisation, Organisation.id == ServiceRequest.organisation_id, isouter=True)
            .join(handler, handler.c.id == ServiceRequest.assigned_handler_id, isouter=True)
            .where(*conditions).order_by(order, ServiceRequest.id)
            .offset((page - 1) * per_page).limit(per_page)
        ).all()
    rows = [QueueRow(number=number, service_code=code, status=status, stage=stage,
                     citizen=display or f'{given} {surname}'.strip(), organisation=organisation or '',
                     handler=handler_name or '', sent_at=sent_at, modified_at=modified_at,
                     citizen_replied=replied, completion_requested=completion)
            for (number, code, status, stage, display, given, surname, organisation, handler_name, sent_at,
                 modified_at, replied, completion) in results]
    return QueuePage(rows=rows, total=total)


def adjacent_request(actor: User, filters: QueueFilters, number: int, *, sort_by: str = 'sent',
                     descending: bool = False, forward: bool = True) -> int | None:
    """The request after (or before) `number` in the queue view with these filters and this order, or None.

    Compared by the sort value and then the number, so it works also when `number` itself has just left the view
    (resolved, returned): "next" is the one that came after it.
    """
    require_staff(actor)
    order_column = SORTABLE_COLUMNS.get(sort_by, SORTABLE_COLUMNS['sent'])
    number_column = col(ServiceRequest.id)
    with session_scope() as db:
        current = db.exec(select(order_column).where(ServiceRequest.id == number)).first()
        conditions = _queue_conditions(actor, filters)
        later = forward != descending  # moving towards bigger values
        if current is None:
            position = number_column > number if later else number_column < number
        else:
            beyond = order_column > current if later else order_column < current
            tie = number_column > number if forward else number_column < number
            position = or_(beyond, (order_column == current) & tie)
        ordering = [order_column.asc() if later else order_column.desc(),
                    number_column.asc() if forward else number_column.desc()]
        return db.exec(select(ServiceRequest.id).where(*conditions, position, number_column != number)
                       .order_by(*ordering).limit(1)).first()


def queue_counts(actor: User) -> QueueCounts:
    require_staff(actor)
    sent = ServiceRequest.status == RequestStatus.SENT
    with session_scope() as db:
        def count(*conditions) -> int:
            return db.exec(select(func.count()).select_from(ServiceRequest).where(*conditions)).one()

        return QueueCounts(
            open=count(sent),
            unassigned=count(sent, col(ServiceRequest.assigned_handler_id).is_(None)),
            mine=count(sent, ServiceRequest.assigned_handler_id == actor.id),
            replied=count(sent, ServiceRequest.citizen_replied),
            completion=count(*_state_conditions('completion')),
        )


@dataclass(frozen=True)
class FilterOptions:
    regions: dict[int, str]
    organisations: dict[int, str]
    services: dict[str, str]  # code → Finnish title
    stages: tuple[str, ...]
    handlers: dict[int, str]


def filter_options(actor: User) -> FilterOptions:
    require_staff(actor)
    with session_scope() as db:
        # Stored rows' ids are never None (only the columns' types allow it).
        regions = {region_id: name for region_id, name in db.exec(select(Region.id, Region.name)
                                                                  .order_by(Region.name)).all()
                   if region_id is not None}
        organisations = {organisation_id: name for organisation_id, name in db.exec(
            select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
                         if organisation_id is not None}
    return FilterOptions(regions=regions, organisations=organisations,
                         services={code: form.title for code, form in FORMS.items()}, stages=STAGES,
                         handlers=staff_members(actor))


def staff_members(actor: User) -> dict[int, str]:
    """Active handlers and admins who can be assigned a request: {id: name}."""
    require_staff(actor)
    with session_scope() as db:
        people = db.exec(select(User).where(col(User.role).in_((UserRole.HANDLER, UserRole.ADMIN)), User.active)
                         .order_by(User.surname, User.given_name)).all()
    return {saved_id(person): person.full_name for person in people}


# ------------------------------------------------------------------------------------------- one request in full

@dataclass(frozen=True)
class MessageView:
    id: int
    kind: MessageKind
    body: str
    author: str
    created_at: datetime
    read_at: datetime | None

    @property
    def kind_label(self) -> str:
        return t(MESSAGE_KIND_LABELS[self.kind])

    @property
    def internal(self) -> bool:
        return self.kind == MessageKind.NOTE


@dataclass(frozen=True)
class StageView:
    stage: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    identity_masked: str
    username: str


@dataclass
class RequestDetail:
    number: int
    version: int
    service_code: str
    status: RequestStatus
    stage: str
    completion_requested: bool
    citizen_replied_before_opening: bool
    created_at: datetime
    sent_at: datetime | None
    modified_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    sender: Person
    organisation: str
    representing_organisation: str
    on_behalf_of: str
    assigned_handler_id: int | None
    assigned_handler: str
    answers: dict = field(default_factory=dict)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    messages: list[MessageView] = field(default_factory=list)
    stage_history: list[StageView] = field(default_factory=list)
    form_version: int | None = None
    form: FormDefinition | None = None  # the version it was filled in with (None: its service has no form now)

    @property
    def title(self) -> str:
        return f'{self.number} : {t(service_title(self.service_code))}'

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.SENT


def _name(db: Session, user_id: int | None, cache: dict[int, str]) -> str:
    if user_id is None:
        return ''
    if user_id not in cache:
        person = db.get(User, user_id)
        cache[user_id] = person.full_name if person else ''
    return cache[user_id]


def _load_visible(db: Session, actor: User, number: int) -> ServiceRequest:
    request = db.get(ServiceRequest, number)
    # A draft never sent is the citizen's alone: to the centre it does not exist.
    if request is None or not may_see_request(actor, request):
        raise RequestNotFound(t('Palvelupyyntöä {number} ei löydy.', number=number))
    return request


def open_request(actor: User, number: int, *, record_view: bool = True, mark_read: bool = True) -> RequestDetail:
    """Everything about one request for a handler.

    Opening shows the sender's personal details and answers, so it is logged (`request_viewed`). Identity numbers
    are stored only masked and never shown in full, so there is no separate "show identity number" event: the view
    of the personal details is what is logged. Opening also marks the citizen's replies read and clears
    `citizen_replied`; that is bookkeeping of who has seen what, not a change of the request, so it does not bump
    the version (it would otherwise make every other handler's open page stale). A live redraw of an open page
    (`mark_read=False`) leaves them unread: the handler may not be looking, so the queue keeps "Asiakas vastannut".
    """
    require_staff(actor)
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        names: dict[int, str] = {}
        owner = db.get(User, request.owner_id)
        assert owner is not None
        organisation = db.get(Organisation, request.organisation_id) if request.organisation_id else None
        representing = (db.get(Organisation, request.representing_organisation_id)
                        if request.representing_organisation_id else None)
        messages = db.exec(select(Message).where(Message.request_id == number)
                           .order_by(col(Message.created_at), col(Message.id))).all()
        stages = db.exec(select(StageChange).where(StageChange.request_id == number)
                         .order_by(col(StageChange.changed_at), col(StageChange.id))).all()
        now = utcnow()
        unread_replies = [m for m in messages if m.kind == MessageKind.REPLY and m.read_at is None] \
            if mark_read else []
        unread_ids = {m.id for m in unread_replies}
        detail = RequestDetail(
            number=number, version=request.version, service_code=request.service_code, status=request.status,
            stage=request.stage, completion_requested=request.completion_requested,
            citizen_replied_before_opening=request.citizen_replied, created_at=request.created_at,
            sent_at=request.sent_at, modified_at=request.modified_at, resolved_at=request.resolved_at,
            resolution=request.resolution,
            sender=Person(name=owner.full_name, email=owner.email, phone=owner.phone,
                          identity_masked=owner.identity_masked or '', username=owner.username or ''),
            organisation=organisation.local_name() if organisation else '',
            representing_organisation=representing.local_name() if representing else '',
            on_behalf_of=request.on_behalf_of or _represented(request.answers),
            assigned_handler_id=request.assigned_handler_id,
            assigned_handler=_name(db, request.assigned_handler_id, names),
            answers=dict(request.answers),
            attachments=attachment_infos(db, number),
            messages=[MessageView(id=saved_id(m), kind=m.kind, body=m.body, author=_name(db, m.author_id, names),
                                  created_at=m.created_at,
                                  read_at=m.read_at or (now if m.id in unread_ids else None))
                      for m in messages],
            stage_history=[StageView(stage=s.stage, changed_by=_name(db, s.changed_by_id, names),
                                     changed_at=s.changed_at) for s in stages],
            form_version=request.form_version,
            form=form_for_request(db, request.service_code, request.form_version),
        )
        for message in unread_replies:
            message.read_at = now
            db.add(message)
        if request.citizen_replied and mark_read:
            db.execute(update(ServiceRequest).where(col(ServiceRequest.id) == number)
                       .values(citizen_replied=False))
        if record_view:  # a page redrawn after the handler's own action is not a new look at the details
            audit.record(db, actor, 'request_viewed', request_id=number)
    return detail


def _represented(answers: dict) -> str:
    """Who the citizen acts for ("Asioi toisen puolesta"), as the contact step asked it."""
    if not answers.get('on_behalf'):
        return ''
    return ', '.join(part for part in (answers.get('represented_name'), answers.get('represented_relation')) if part)


# --------------------------------------------------------------------------------------------------- the actions

def _change(db: Session, number: int, expected_version: int, *, touch: bool = True,
            **values: object) -> ServiceRequest:
    """Apply `values` to the request only if nobody changed it since `expected_version` was read; bump the version.

    `touch` moves `modified_at` (the citizen's "Muokattu viimeksi"); internal changes (assignment, notes) leave it,
    so the citizen's list does not reveal the centre's internal work.
    """
    result = db.exec(
        update(ServiceRequest)
        .where(col(ServiceRequest.id) == number, col(ServiceRequest.version) == expected_version)
        .values(**values, version=ServiceRequest.version + 1, **({'modified_at': utcnow()} if touch else {}))
    )
    if result.rowcount != 1:
        raise VersionConflict(t('Toinen käsittelijä on muuttanut palvelupyyntöä sillä välin, kun se oli auki. '
                                'Muutostasi ei tallennettu. Lataa sivu uudelleen, tarkista tilanne ja tee muutos '
                                'tarvittaessa uudelleen.'))
    request = db.get(ServiceRequest, number)
    assert request is not None
    db.refresh(request)
    return request


def _tell(db: Session, request: ServiceRequest, kind: str, actor: User, *, citizen: bool) -> None:
    """After the commit: the request's open pages and the queues redraw; the citizen's pages too if they see it.
    `actor` lets the acting handler's own page skip the event (it has redrawn already)."""
    assert request.id is not None
    for topic in (live.request_topic(request.id), live.QUEUE_TOPIC) + \
            ((live.user_topic(request.owner_id),) if citizen else ()):
        live.publish_after_commit(db, topic, kind, request=request.id, actor=actor.id)


def _text(body: str, missing_message: str) -> str:
    """The text cleaned and stripped; `missing_message` (a whole N_-marked sentence) when it is empty."""
    body = clean_text(body or '').strip()
    if not body:
        raise InvalidAction(t(missing_message))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise InvalidAction(nt('Teksti saa olla enintään {count} merkki.',
                               'Teksti saa olla enintään {count} merkkiä.', MAX_MESSAGE_LENGTH))
    return body


def _require_open(request: ServiceRequest) -> None:
    if request.status != RequestStatus.SENT:
        raise InvalidAction(t('Palvelupyyntö ei ole käsiteltävänä, joten tätä toimintoa ei voi tehdä.'))


def assign(actor: User, number: int, expected_version: int, handler_id: int | None) -> int:
    """Give the request to a handler (or to nobody); returns the new version."""
    require_staff(actor)
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        if request.status == RequestStatus.DONE:
            raise InvalidAction(t('Valmista palvelupyyntöä ei voi siirtää toiselle käsittelijälle.'))
        if handler_id is not None:
            handler = db.get(User, handler_id)
            if handler is None or not handler.active or not handler.is_staff:
                raise InvalidAction(t('Valittu henkilö ei ole käsittelijä.'))
        names: dict[int, str] = {}
        previous = _name(db, request.assigned_handler_id, names) or None
        request = _change(db, number, expected_version, touch=False, assigned_handler_id=handler_id)
        audit.record(db, actor, 'assigned', request_id=number, previous=previous,
                     handler=_name(db, handler_id, names) or '–')
        _tell(db, request, 'assigned', actor, citizen=False)
        return request.version


def change_stage(actor: User, number: int, expected_version: int, stage: str) -> int:
    """Move an open request to another processing stage; the stage history and the citizen's list show it."""
    require_staff(actor)
    if not is_stage(stage):
        raise InvalidAction(t('Tuntematon käsittelyvaihe.'))
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        _require_open(request)
        if request.stage == stage:
            raise InvalidAction(t('Palvelupyyntö on jo tässä käsittelyvaiheessa.'))
        previous = request.stage
        request = _change(db, number, expected_version, stage=stage)
        db.add(StageChange(request_id=number, stage=stage, changed_by_id=actor.id))
        audit.record(db, actor, 'stage_changed', request_id=number, previous=previous, stage=stage)
        _tell(db, request, 'stage', actor, citizen=True)
        return request.version


def _add_message(db: Session, actor: User, request: ServiceRequest, kind: MessageKind, body: str) -> Message:
    message = Message(request_id=saved_id(request), author_id=actor.id, kind=kind, body=body)
    db.add(message)
    db.flush()
    return message


def send_message(actor: User, number: int, expected_version: int, body: str, *, question: bool = False) -> int:
    """A message or a question to the citizen: they see "Uusia viestejä" and get an email."""
    from . import notifications

    require_staff(actor)
    body = _text(body, N_('Kirjoita viesti.'))
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        _require_open(request)
        request = _change(db, number, expected_version)
        message = _add_message(db, actor, request, MessageKind.QUESTION if question else MessageKind.MESSAGE, body)
        audit.record(db, actor, 'question_sent' if question else 'message_sent', request_id=number,
                     message=message.id)
        notifications.centre_message(db, request, message)
        _tell(db, request, 'message', actor, citizen=True)
        return request.version


def ask_for_information(actor: User, number: int, expected_version: int, body: str, *, step: int = 0) -> int:
    """Ask the citizen to complete the request: it goes back to them as a draft to fill in and send again.

    `step` is the form step the request concerns (0 = the first): the citizen's form opens there, with the note
    above it, instead of at the preview where the request was sent from.
    """
    from . import notifications

    require_staff(actor)
    body = _text(body, N_('Kirjoita, mitä tietoja tarvitaan.'))
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        _require_open(request)
        form = FORMS.get(request.service_code)
        step = max(0, min(step, len(form.steps) - 1)) if form else 0
        request = _change(db, number, expected_version, status=RequestStatus.DRAFT, completion_requested=True,
                          current_step=step)
        message = _add_message(db, actor, request, MessageKind.INFO_REQUEST, body)
        audit.record(db, actor, 'completion_requested', request_id=number, message=message.id)
        notifications.centre_message(db, request, message)
        _tell(db, request, 'message', actor, citizen=True)
        return request.version


def add_note(actor: User, number: int, expected_version: int, body: str) -> int:
    """An internal note for the centre's staff; the citizen never sees it and gets no email."""
    require_staff(actor)
    body = _text(body, N_('Kirjoita muistiinpano.'))
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        request = _change(db, number, expected_version, touch=False)
        message = _add_message(db, actor, request, MessageKind.NOTE, body)
        audit.record(db, actor, 'note_added', request_id=number, message=message.id)
        _tell(db, request, 'note', actor, citizen=False)
        return request.version


def resolve(actor: User, number: int, expected_version: int, resolution: str) -> int:
    """Resolve the request: it moves to the citizen's Valmiit with the resolution, which is also emailed.

    It moves to the last stage of the configured list (a resolved request is no longer "Vireillepano/-tulo"), and
    one nobody had taken becomes the resolver's, so every resolved request has a handler on record.
    """
    from . import notifications

    require_staff(actor)
    resolution = _text(resolution, N_('Kirjoita ratkaisu.'))
    with session_scope() as db:
        request = _load_visible(db, actor, number)
        _require_open(request)
        previous_stage, unassigned = request.stage, request.assigned_handler_id is None
        # Any: spread into _change's **values next to its own bool `touch`, which this dict never holds.
        assignment: dict[str, Any] = {'assigned_handler_id': actor.id} if unassigned else {}
        request = _change(db, number, expected_version, status=RequestStatus.DONE, resolution=resolution,
                          resolved_at=utcnow(), citizen_replied=False, stage=FINAL_STAGE, **assignment)
        if previous_stage != FINAL_STAGE:
            db.add(StageChange(request_id=number, stage=FINAL_STAGE, changed_by_id=actor.id))
        if unassigned:
            audit.record(db, actor, 'assigned', request_id=number, previous=None, handler=actor.full_name)
        message = _add_message(db, actor, request, MessageKind.RESOLUTION, resolution)
        audit.record(db, actor, 'resolved', request_id=number, message=message.id)
        notifications.request_resolved(db, request, message)
        _tell(db, request, 'message', actor, citizen=True)
        return request.version
