"""What the portal emails people, and when: call these in the transaction of the event that causes the email.

Each function adds an outbox row to the caller's session `db`, so the email exists exactly when the event is
committed, and is delivered later by `services.email.delivery`. Nothing is added when there is no address to send to.
Emails about the person's own requests always go; anything beyond that only with "Minulle saa lähettää
sähköpostia" (`User.email_allowed`).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session

from models import Message, MessageKind, ServiceRequest, User, saved_id, utcnow

from .email import templates
from .email.outbox import enqueue
from .email.templates import EmailKind, RequestRef

_MESSAGE_KINDS = {MessageKind.MESSAGE: EmailKind.MESSAGE, MessageKind.QUESTION: EmailKind.QUESTION,
                  MessageKind.INFO_REQUEST: EmailKind.INFO_REQUEST, MessageKind.RESOLUTION: EmailKind.RESOLVED}


def _owner(db: Session, request: ServiceRequest) -> User | None:
    return db.get(User, request.owner_id)


def _request_recipient(request: ServiceRequest, owner: User) -> str:
    """The address given on the request's contact step ("Tähän sähköpostiosoitteeseen lähetetään palvelupyyntöjen
    ratkaisuviesti sekä mahdolliset lisäkysymykset"), else the one in the user's own details."""
    given = (request.answers or {}).get('email')
    return (given if isinstance(given, str) and given.strip() else owner.email or '').strip()


def _first_name(user: User) -> str:
    return (user.given_name.split() or [''])[0] if user.given_name else user.full_name


def _add_about_request(db: Session, kind: EmailKind, request: ServiceRequest, factory, *args: object) -> None:
    owner = _owner(db, request)
    if owner is None:
        return
    recipient = _request_recipient(request, owner)
    if not recipient:
        return
    ref = RequestRef(number=saved_id(request), service_code=request.service_code)
    content = templates.render(factory, owner.language, ref, _first_name(owner), *args)
    enqueue(db, kind=kind, recipient=recipient, language=owner.language, content=content, request_id=request.id)


def request_sent(db: Session, request: ServiceRequest) -> None:
    """The receipt to the owner when a request is sent."""
    _add_about_request(db, EmailKind.REQUEST_SENT, request, templates.request_sent, request.sent_at or utcnow())


def centre_message(db: Session, request: ServiceRequest, message: Message) -> None:
    """A message, question or request for more information from the centre (internal notes and the citizen's own
    replies send nothing)."""
    kind = _MESSAGE_KINDS.get(message.kind)
    if kind is None or kind == EmailKind.RESOLVED:
        return
    _add_about_request(db, kind, request, lambda ref, name, text: templates.centre_message(kind, ref, name, text),
                       message.body)


def request_resolved(db: Session, request: ServiceRequest, resolution: Message) -> None:
    _add_about_request(db, EmailKind.RESOLVED, request,
                       lambda ref, name, text: templates.centre_message(EmailKind.RESOLVED, ref, name, text),
                       resolution.body)


def receipt_copy(db: Session, owner: User, request: RequestRef, sent_at: datetime | None,
                 read_answers: Callable[[], list[tuple[str, list[tuple[str, str]]]]]) -> None:
    """The receipt to the owner's registered address, on their own request (`services.receipt.email_receipt`)."""
    content = templates.render(templates.receipt, owner.language, request, _first_name(owner), sent_at, read_answers)
    enqueue(db, kind=EmailKind.RECEIPT, recipient=owner.email or '', language=owner.language, content=content,
            request_id=request.number)


def registration_completed(db: Session, user: User) -> None:
    """Welcome after the first-login registration, only to someone who allowed email."""
    if not user.email or not user.email_allowed:
        return
    content = templates.render(templates.registration, user.language, _first_name(user))
    enqueue(db, kind=EmailKind.REGISTRATION, recipient=user.email, language=user.language, content=content)


def draft_expiring(db: Session, request: ServiceRequest, delete_on: date) -> None:
    """A warning that an unsent draft will be deleted, only to an owner who allowed email."""
    owner = _owner(db, request)
    if owner is None or not owner.email_allowed:
        return
    _add_about_request(db, EmailKind.DRAFT_EXPIRING, request, templates.draft_expiring, delete_on)
