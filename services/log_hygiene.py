"""Log lines that a request cannot forge: control characters in logged values are written as escapes.

A path, a RelayState or an IdP's error text can carry `%0A` and a fake second line (or a terminal escape, or a bidi
control that reorders what an operator reads). The filter escapes them in the formatted message on every handler of
the root logger (uvicorn's loggers pass through it); tracebacks keep their own line breaks.
"""
from __future__ import annotations

import logging
import re

_CONTROLS = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]')


def escape_controls(text: str) -> str:
    return _CONTROLS.sub(lambda found: found.group().encode('unicode_escape').decode('ascii'), text)


class EscapeControlCharacters(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_controls(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True


def _escape_on(logger: logging.Logger) -> None:
    for handler in logger.handlers:
        if not any(isinstance(existing, EscapeControlCharacters) for existing in handler.filters):
            handler.addFilter(EscapeControlCharacters())


def escape_log_values() -> None:
    """On the handlers of the root logger (portal.logs.configure_logging sets them up)."""
    _escape_on(logging.getLogger())

