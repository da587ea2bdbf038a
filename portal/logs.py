"""Log lines as text (default) or JSON lines (`LOG_FORMAT=json`) for a log collector.

A line that concerns a signed-in person carries their user id (`user_id`), and one about a service request its number
(`request_number`): both come from the record's `extra=` or from the context of the HTTP request or socket event the
line was written in (`bind`). Identity numbers never reach a line: any that slipped into a message is masked.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import string
from datetime import UTC, datetime

from config import Settings

_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar('log_user_id', default=None)
_request_number: contextvars.ContextVar[int | None] = contextvars.ContextVar('log_request_number', default=None)
_http_request: contextvars.ContextVar[str | None] = contextvars.ContextVar('log_http_request', default=None)

# A Finnish personal identity code: birth date, century sign, individual number and check character.
IDENTITY_NUMBER = re.compile(r'\b(\d{6})[-+A-FU-Y](\d{3})[0-9A-Y]\b', re.IGNORECASE)
_CONTEXT_FIELDS = ('user_id', 'request_number', 'http_request')
_HANDLER_NAME = 'portal'


def bind(*, user_id: int | None = None, request_number: int | None = None) -> None:
    """Name the person or request the rest of this request's (or event's) log lines concern."""
    if user_id is not None:
        _user_id.set(user_id)
    if request_number is not None:
        _request_number.set(request_number)


def new_http_request_id() -> str:
    """Twelve random letters: without digits an id can never look like an identity number (or any other number) to a
    log scanner that looks for personal data."""
    return ''.join(secrets.choice(string.ascii_lowercase) for _ in range(12))


def bind_http_request(request_id: str) -> None:
    _http_request.set(request_id)


def mask_identity_numbers(text: str) -> str:
    return IDENTITY_NUMBER.sub(r'\1-****', text)


class ContextFilter(logging.Filter):
    """Adds the bound ids to each record (unless the line gave its own) and masks identity numbers."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, variable in (('user_id', _user_id), ('request_number', _request_number),
                               ('http_request', _http_request)):
            if getattr(record, name, None) is None:
                setattr(record, name, variable.get())
        message = record.getMessage()
        masked = mask_identity_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            'time': datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
        }
        for name in _CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line['exception'] = mask_identity_numbers(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__('%(asctime)s %(levelname)s %(name)s: %(message)s')

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        ids = ' '.join(f'{name}={getattr(record, name)}' for name in ('user_id', 'request_number')
                       if getattr(record, name, None) is not None)
        return f'{text} [{ids}]' if ids else text


def configure_logging(settings: Settings) -> None:
    """One handler on the root logger; uvicorn's loggers pass through it too (main.py runs uvicorn without its
    own log configuration)."""
    handler = logging.StreamHandler()
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if settings.log_format == 'json' else TextFormatter())
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:  # ours from an earlier call; others stay
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in ('uvicorn', 'uvicorn.error', 'uvicorn.access'):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
