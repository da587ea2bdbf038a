"""The message thread of a request as its citizen sees it: the centre's messages and questions and the citizen's
own replies (with attachments). Internal notes (`MessageKind.NOTE`) are filtered out in the query itself, so no
caller can pass them on by mistake.

Every function takes the acting `User` and works only on that user's own requests (`RequestNotFound` otherwise).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select, update

from locales import nt, t
from models import Message, MessageKind, RequestStatus, User, saved_id, utcnow
from models.db import session_scope

from . import audit, live
from .attachments import (
    AttachmentRefused,
    CheckedFile,
    attached_bytes,
    attached_count,
    check_upload,
    store_attachment,
)
from .requests import CENTRE_MESSAGE_KINDS, AttachmentInfo, RequestNotFound, attachment_infos, owned_request
from .text_hygiene import clean_text

CITIZEN_VISIBLE_KINDS = (*CENTRE_MESSAGE_KINDS, MessageKind.REPLY)
REPLY_MAX_LENGTH = 4000


@dataclass(frozen=True)
class ThreadMessage:
    id: int
    kind: MessageKind
    body: str
    created_at: datetime
    from_centre: bool
    unread: bool  # a centre message the citizen had not opened before this view
    attachments: list[AttachmentInfo]


class ReplyRefused(ValueError):
    """The reply cannot be sent; the message is for the user."""

    def __init__(self, message: str, *, field: str = 'body') -> None:
        super().__init__(message)
        self.field = field  # 'body' or 'attachments': where the page shows the message


def list_thread(user: User, number: int) -> list[ThreadMessage]:
    """The messages of the user's own request that the citizen may see, oldest first."""
    with session_scope() as db:
        owned_request(db, user, number)
        rows = db.exec(select(Message).where(Message.request_id == number,
                                             col(Message.kind).in_(CITIZEN_VISIBLE_KINDS))
                       .order_by(col(Message.created_at), col(Message.id))).all()
        by_message: dict[int, list[AttachmentInfo]] = {}
        for attachment in attachment_infos(db, number):
            if attachment.message_id is not None:
                by_message.setdefault(attachment.message_id, []).append(attachment)
        return [ThreadMessage(id=saved_id(m), kind=m.kind, body=m.body, created_at=m.created_at,
                              from_centre=m.kind in CENTRE_MESSAGE_KINDS,
                              unread=m.kind in CENTRE_MESSAGE_KINDS and m.read_at is None,
                              attachments=by_message.get(saved_id(m), [])) for m in rows]


def mark_centre_messages_read(user: User, number: int) -> int:
    """Mark the centre's messages on the user's own request read (the "Uusia viestejä" badge goes); returns how many
    were unread."""
    with session_scope() as db:
        owned_request(db, user, number)
        result = db.exec(update(Message).where(col(Message.request_id) == number, col(Message.read_at).is_(None),
                                               col(Message.kind).in_(CENTRE_MESSAGE_KINDS))
                         .values(read_at=utcnow()))
        return result.rowcount or 0


def may_reply(status: RequestStatus) -> bool:
    """Replies go to requests in the centre's hands; a draft has no thread yet and a done request is closed."""
    return status == RequestStatus.SENT


def post_reply(user: User, number: int, body: str, files: Sequence[tuple[str, bytes]] = ()) -> int:
    """Send the citizen's reply with its files on their own sent request; returns the message id.

    Files are checked again here (type by content, size, the request's total), whatever the page checked before.
    The request is marked as answered for the handlers and its modification time moves.
    """
    body = clean_text(body).strip()
    if not body:
        raise ReplyRefused(t('Kirjoita viesti.'))
    if len(body) > REPLY_MAX_LENGTH:
        raise ReplyRefused(nt('Viesti saa olla enintään {count} merkki.',
                              'Viesti saa olla enintään {count} merkkiä.', REPLY_MAX_LENGTH))
    with session_scope() as db:
        request = owned_request(db, user, number)
        if not may_reply(request.status):
            raise ReplyRefused(t('Tähän palvelupyyntöön ei voi enää vastata.'))
        already = attached_bytes(db, number)
        count = attached_count(db, number)
        checked: list[CheckedFile] = []
        for filename, data in files:
            try:
                checked.append(check_upload(filename, data, already_attached_bytes=already,
                                            already_attached_count=count + len(checked)))
            except AttachmentRefused as refused:
                raise ReplyRefused(str(refused), field='attachments') from refused
            already += len(data)
        now = utcnow()
        message = Message(request_id=number, author_id=user.id, kind=MessageKind.REPLY, body=body, created_at=now)
        db.add(message)
        db.flush()
        for file in checked:
            store_attachment(db, request, user, file, field_name='reply', message_id=message.id)
        request.citizen_replied = True
        request.modified_at = now
        db.add(request)
        audit.record(db, user, 'citizen_replied', request_id=number, message_id=message.id,
                     attachments=len(checked))
        live.publish_after_commit(db, live.request_topic(number), 'reply', request=number, actor=user.id)
        live.publish_after_commit(db, live.QUEUE_TOPIC, 'reply', request=number, actor=user.id)
        return saved_id(message)


__all__ = ['CITIZEN_VISIBLE_KINDS', 'ReplyRefused', 'RequestNotFound', 'ThreadMessage', 'list_thread',
           'mark_centre_messages_read', 'may_reply', 'post_reply']
