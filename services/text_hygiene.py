"""Text from people and systems is cleaned at one boundary before it is stored, whichever way it came in (pages, the
integration API, SAML attributes, imports).

Removed everywhere: NUL (PostgreSQL refuses it in text), other C0 and C1 control characters except tab and line
breaks, lone surrogates (not storable as UTF-8), and the bidirectional controls (U+202A-U+202E, U+2066-U+2069,
U+200E/U+200F, U+061C): an U+202E in `kuitti<U+202E>fdp.txt` shows it as `kuittitxt.pdf`.
Text is put in Unicode NFC form.

- `clean_text` (kept line breaks) and `clean_line` (one line: names, usernames, subjects) for the services that know
  what a value is;
- `install_storage_boundary()` makes every SQLModel session clean each string — and each string inside JSON answers —
  of the rows it is about to write, so no entry point can store a NUL or a bidi control even if it forgot;
- `clean_filename` for uploads, and `content_disposition` for downloads of names stored before this existed.
"""
from __future__ import annotations

import re
import unicodedata
from itertools import chain
from typing import Any
from urllib.parse import quote

from sqlalchemy import event, inspect
from sqlmodel import Session

_BIDI_CONTROLS = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069'
_UNWANTED = re.compile(f'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}\ud800-\udfff]')  # and lone surrogates
_LINE_BREAKS = re.compile('\r\n?|[\u2028\u2029\x0b\x0c\x85]')
_SPACES = re.compile(r'[\t\n]+')
FILENAME_MAX = 200
_FILENAME_SAFE_ASCII = re.compile(r'[^A-Za-z0-9._ ()\-]')


def clean_text(value: str) -> str:
    """Keeps tabs and line breaks (as `\\n`); drops the rest of the control characters."""
    return unicodedata.normalize('NFC', _UNWANTED.sub('', _LINE_BREAKS.sub('\n', value)))


def clean_line(value: str) -> str:
    """One line: line breaks and tabs become a space, surrounding space goes."""
    return _SPACES.sub(' ', clean_text(value)).strip()


def clean_value(value: Any) -> Any:
    """Strings cleaned inside dicts and lists (form answers); other values as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    return value


def clean_filename(filename: str) -> str:
    """The last path part of an uploaded name, on one line, without control characters, at most FILENAME_MAX long
    with its extension kept (so the extension check sees the name that is stored)."""
    name = clean_line(filename.replace('\\', '/').rsplit('/', 1)[-1]).strip(' .') or 'liite'
    if len(name) <= FILENAME_MAX:
        return name
    stem, dot, extension = name.rpartition('.')
    if not dot or len(extension) > 10:
        return name[:FILENAME_MAX]
    return stem[:FILENAME_MAX - len(extension) - 1] + '.' + extension


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266/5987), safe for any stored name."""
    name = clean_line(filename) or 'liite'
    fallback = _FILENAME_SAFE_ASCII.sub('_', unicodedata.normalize('NFKD', name).encode('ascii', 'ignore').decode())
    return f"attachment; filename=\"{fallback or 'liite'}\"; filename*=UTF-8''{quote(name, safe='')}"


def _clean_rows(session: Session, _context: object, _instances: object) -> None:
    for row in chain(session.new, session.dirty):
        state = inspect(row)
        for attribute in state.mapper.column_attrs:
            key = attribute.key
            if key not in state.dict:  # not loaded, so not being written
                continue
            value = state.dict[key]
            if isinstance(value, str | dict | list):
                cleaned = clean_value(value)
                if cleaned != value:
                    setattr(row, key, cleaned)


def install_storage_boundary() -> None:
    if not event.contains(Session, 'before_flush', _clean_rows):
        event.listen(Session, 'before_flush', _clean_rows)
