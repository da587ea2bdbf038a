"""The person's own data (GDPR art. 15 and 20): "Lataa omat tietoni" builds a ZIP of their details, their requests
with answers, stages and messages, and the attachments' bytes; "Pyydä käyttäjätilin poistamista" records a request
to delete the account, which the centre's staff see on /kasittely/palaute.

Everything is read for the acting user's own id, in queries that filter on it. Internal notes are left out in the
query itself (`CITIZEN_VISIBLE_KINDS`), like in the citizen's own thread view.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models import (
    Attachment,
    AttachmentBlob,
    Message,
    MessageKind,
    Organisation,
    Representation,
    ServiceRequest,
    StageChange,
    User,
    utcnow,
)
from models.db import session_scope

from . import audit
from .catalogue import service_title
from .messages import CITIZEN_VISIBLE_KINDS

EXPORT_FILENAME = 'omat-tietoni.zip'
_UNSAFE = re.compile(r'[^\w.\- ]+', re.UNICODE)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _safe_filename(name: str) -> str:
    """A name that stays inside its folder in the ZIP (no paths, no control characters)."""
    base = name.replace('\\', '/').rsplit('/', 1)[-1]
    cleaned = _UNSAFE.sub('_', base).strip(' .')
    return cleaned[:120] or 'liite'


def _person(db: Session, user: User) -> dict[str, Any]:
    organisations = db.exec(select(Organisation.name).join(Representation,
                                                           col(Representation.organisation_id) == Organisation.id)
                            .where(Representation.user_id == user.id).order_by(col(Organisation.name))).all()
    return {
        'given_name': user.given_name, 'surname': user.surname, 'display_name': user.display_name,
        'email': user.email, 'email_allowed': user.email_allowed, 'phone': user.phone,
        'username': user.username, 'identity_number_masked': user.identity_masked, 'language': user.language,
        'role': str(user.role), 'created_at': _iso(user.created_at), 'registered_at': _iso(user.registered_at),
        'last_login_at': _iso(user.last_login_at), 'deletion_requested_at': _iso(user.deletion_requested_at),
        'may_act_for_organisations': list(organisations),
    }


def _request_record(db: Session, request: ServiceRequest, zip_file: zipfile.ZipFile) -> dict[str, Any]:
    folder = f'requests/{request.id}'
    stages = db.exec(select(StageChange).where(StageChange.request_id == request.id)
                     .order_by(col(StageChange.changed_at), col(StageChange.id))).all()
    messages = db.exec(select(Message).where(Message.request_id == request.id,
                                             col(Message.kind).in_(CITIZEN_VISIBLE_KINDS))
                       .order_by(col(Message.created_at), col(Message.id))).all()
    visible_message_ids = {m.id for m in messages}
    attachments = []
    for attachment in db.exec(select(Attachment).where(Attachment.request_id == request.id)
                              .order_by(col(Attachment.id))).all():
        if attachment.message_id is not None and attachment.message_id not in visible_message_ids:
            continue  # a file of an internal note is the centre's, like the note
        blob = db.get(AttachmentBlob, attachment.id)
        path = f'{folder}/attachments/{attachment.id}-{_safe_filename(attachment.filename)}'
        if blob is not None:
            zip_file.writestr(path, blob.data)
        attachments.append({'filename': attachment.filename, 'file_in_zip': path if blob else None,
                            'content_type': attachment.content_type, 'size': attachment.size,
                            'sha256': attachment.sha256, 'form_field': attachment.field_name,
                            'message_id': attachment.message_id, 'uploaded_at': _iso(attachment.created_at)})
    return {
        'number': request.id, 'service': request.service_code, 'service_title': service_title(request.service_code),
        'status': str(request.status), 'stage': request.stage, 'on_behalf_of': request.on_behalf_of,
        'answers': request.answers, 'created_at': _iso(request.created_at), 'modified_at': _iso(request.modified_at),
        'sent_at': _iso(request.sent_at), 'resolved_at': _iso(request.resolved_at), 'resolution': request.resolution,
        'stages': [{'stage': s.stage, 'changed_at': _iso(s.changed_at)} for s in stages],
        'messages': [{'id': m.id, 'kind': str(m.kind), 'from_centre': m.kind != MessageKind.REPLY,
                      'body': m.body, 'created_at': _iso(m.created_at), 'read_at': _iso(m.read_at)}
                     for m in messages],
        'attachments': attachments,
    }


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def export_my_data(user: User) -> bytes:
    """The ZIP of the user's own data (read again by the user's id); the export is written to the audit log."""
    buffer = io.BytesIO()
    with session_scope() as db, zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as zip_file:
        person = db.get(User, user.id)
        assert person is not None
        zip_file.writestr('person.json', _json(_person(db, person)))
        owned = db.exec(select(ServiceRequest).where(ServiceRequest.owner_id == person.id)
                        .order_by(col(ServiceRequest.id))).all()
        summary = []
        for request in owned:
            record = _request_record(db, request, zip_file)
            zip_file.writestr(f'requests/{request.id}/request.json', _json(record))
            summary.append({'number': request.id, 'service_title': record['service_title'],
                            'status': record['status'], 'file': f'requests/{request.id}/request.json'})
        zip_file.writestr('requests.json', _json(summary))
        zip_file.writestr('README.txt', _readme(len(summary)))
        audit.record(db, person, 'data_exported', requests=len(summary))
    return buffer.getvalue()


def _readme(request_count: int) -> str:
    # Plain text in Finnish, Swedish and English: the ZIP is read outside the portal, whatever its language was.
    return (f'Omat tietosi asiakaspalveluportaalista ({utcnow():%Y-%m-%d}).\n'
            'person.json: henkilö- ja yhteystietosi. requests.json: palvelupyyntösi; kunkin tiedot, vastaukset, '
            'käsittelyvaiheet ja viestit ovat kansiossa requests/<numero>/ ja liitteet sen alikansiossa '
            'attachments/.\n\n'
            'Dina uppgifter från kundtjänstportalen. person.json: person- och kontaktuppgifter. requests.json: dina '
            'serviceförfrågningar; uppgifter, svar, skeden och meddelanden i requests/<nummer>/, bilagor i '
            'attachments/.\n\n'
            'Your data from the customer service portal. person.json: your personal and contact details. '
            'requests.json: your service requests; details, answers, stages and messages are in '
            f'requests/<number>/ and attachments in its attachments/ folder. Requests: {request_count}.\n')


def request_account_deletion(user: User) -> datetime:
    """Record the user's request to delete their account (once; asking again keeps the first time)."""
    with session_scope() as db:
        person = db.get(User, user.id)
        assert person is not None
        if person.deletion_requested_at is None:
            person.deletion_requested_at = utcnow()
            db.add(person)
            audit.record(db, person, 'account_deletion_requested')
        return person.deletion_requested_at


def deletion_requested_at(user: User) -> datetime | None:
    with session_scope() as db:
        person = db.get(User, user.id)
        return person.deletion_requested_at if person else None
