"""Attachments: checked on the server by content (not by name), limited in size, stored with their request, and
given out only to those allowed to see the request."""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import puremagic
from sqlmodel import Session, col, func, select

from config import get_settings
from locales import t
from models import Attachment, AttachmentBlob, ServiceRequest, User
from services.text_hygiene import clean_filename

# What each allowed type's content must look like: the MIME types a content sniffer may report for it.
CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    'pdf': ('application/pdf',),
    'jpg': ('image/jpeg',),
    'png': ('image/png',),
    'txt': ('text/plain',),
    'docx': ('application/vnd.openxmlformats-officedocument.wordprocessingml.document',),
    'xlsx': ('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',),
}
EXTENSION_ALIASES = {'jpeg': 'jpg'}


class AttachmentRefused(ValueError):
    """The upload is not acceptable; the message is for the user."""


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: str
    content_type: str
    data: bytes


def _extension(filename: str) -> str:
    extension = filename.rsplit('.', 1)[-1].lower() if '.' in filename else ''
    return EXTENSION_ALIASES.get(extension, extension)


def _looks_like_text(data: bytes) -> bool:
    try:
        data.decode('utf-8')
    except UnicodeDecodeError:
        return False
    return b'\x00' not in data


def _sniffed_types(data: bytes) -> set[str]:
    try:
        return {match.mime_type for match in puremagic.magic_string(data) if match.mime_type}
    except (puremagic.PureError, ValueError):
        return set()


# An Office Open XML package declares its main part in [Content_Types].xml, and that part must be in the ZIP.
_OOXML_MAIN_PARTS = {
    'docx': ('word/document.xml', b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'),
    'xlsx': ('xl/workbook.xml', b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'),
}
_CONTENT_TYPES_MAX = 256 * 1024


def _zip_office_kind(data: bytes) -> str | None:
    """docx or xlsx when the ZIP is an OOXML package of that kind (its content types name the main part, which is
    there); a ZIP that merely holds a `word/` folder is not."""
    if not data.startswith(b'PK\x03\x04'):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            info = package.getinfo('[Content_Types].xml')
            if info.file_size > _CONTENT_TYPES_MAX:
                return None
            content_types = package.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    for kind, (main_part, content_type) in _OOXML_MAIN_PARTS.items():
        if main_part in names and content_type in content_types:
            return kind
    return None


def detect_kind(data: bytes) -> str | None:
    """The allowed type the content really is, or None."""
    zip_kind = _zip_office_kind(data)
    if zip_kind:
        return zip_kind
    sniffed = _sniffed_types(data[:8192])
    for kind, mime_types in CONTENT_TYPES.items():
        if kind not in ('txt', 'docx', 'xlsx') and sniffed & set(mime_types):
            return kind
    if _looks_like_text(data):
        return 'txt'
    return None


def check_upload(filename: str, data: bytes, *, already_attached_bytes: int = 0,
                 already_attached_count: int = 0) -> CheckedFile:
    """Accept a file whose content is of an allowed type matching its name, within the size and count limits."""
    settings = get_settings()
    name = clean_filename(filename)
    allowed = settings.attachment_types
    if already_attached_count >= settings.attachment_max_count:
        raise AttachmentRefused(t('Palvelupyynnössä voi olla enintään {count} liitettä.',
                                  count=settings.attachment_max_count))
    if not data:
        raise AttachmentRefused(t('Tiedosto {name} on tyhjä.', name=name))
    if len(data) > settings.attachment_max_file_mb * 1024 * 1024:
        raise AttachmentRefused(t('Tiedosto {name} on liian suuri. Suurin sallittu koko on {size} Mt.',
                                  name=name, size=settings.attachment_max_file_mb))
    if already_attached_bytes + len(data) > settings.attachment_max_request_mb * 1024 * 1024:
        raise AttachmentRefused(t('Liitteiden yhteiskoko saa olla enintään {size} Mt.',
                                  size=settings.attachment_max_request_mb))
    claimed = _extension(name)
    if claimed not in allowed:
        raise AttachmentRefused(t('Tiedostotyyppiä ei sallita: {name}. Sallitut tyypit: {types}.',
                                  name=name, types=', '.join(allowed)))
    actual = detect_kind(data)
    if actual != claimed:
        raise AttachmentRefused(t('Tiedoston {name} sisältö ei vastaa sen tyyppiä.', name=name))
    return CheckedFile(filename=name, kind=actual, content_type=CONTENT_TYPES[actual][0], data=data)


def attached_bytes(db: Session, request_id: int) -> int:
    return db.exec(select(func.coalesce(func.sum(Attachment.size), 0))
                   .where(Attachment.request_id == request_id)).one()


def attached_count(db: Session, request_id: int) -> int:
    return db.exec(select(func.count()).select_from(Attachment).where(Attachment.request_id == request_id)).one()


def store_attachment(db: Session, request: ServiceRequest, uploader: User, checked: CheckedFile, *,
                     field_name: str = 'attachments', message_id: int | None = None) -> Attachment:
    """Save a checked file with its request (in the caller's transaction)."""
    assert request.id is not None, 'the request is saved before its attachments'
    attachment = Attachment(request_id=request.id, message_id=message_id, field_name=field_name,
                            uploaded_by_id=uploader.id, filename=checked.filename,
                            content_type=checked.content_type, size=len(checked.data),
                            sha256=hashlib.sha256(checked.data).hexdigest())
    db.add(attachment)
    db.flush()
    assert attachment.id is not None  # the flush gave it its id
    db.add(AttachmentBlob(attachment_id=attachment.id, data=checked.data))
    return attachment


def list_attachments(db: Session, request_id: int, *, field_name: str | None = None) -> list[Attachment]:
    query = select(Attachment).where(Attachment.request_id == request_id)
    if field_name is not None:
        query = query.where(Attachment.field_name == field_name)
    return list(db.exec(query.order_by(col(Attachment.id))).all())


def may_see_request(user: User, request: ServiceRequest) -> bool:
    """The owner sees their own request; the centre's staff see every request that is not a draft."""
    if user.is_staff:
        return request.status != 'draft' or request.completion_requested
    return request.owner_id == user.id


def load_for_download(db: Session, user: User, attachment_id: int) -> tuple[Attachment, bytes] | None:
    """The attachment and its bytes if this user may have them, else None (the same for 'missing' and 'not yours')."""
    attachment = db.get(Attachment, attachment_id)
    if attachment is None:
        return None
    request = db.get(ServiceRequest, attachment.request_id)
    if request is None or not may_see_request(user, request):
        return None
    blob = db.get(AttachmentBlob, attachment_id)
    return (attachment, blob.data) if blob else None
