"""Log lines: JSON lines with LOG_FORMAT=json, carrying the user id and request number where a line concerns them,
and never an identity number."""
from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator

import pytest

from config import load_settings
from portal import logs


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_lines_carry_the_bound_user_and_the_request_number(tmp_path, capsys, root_logging) -> None:
    logs.configure_logging(load_settings({'DATA_DIR': str(tmp_path), 'LOG_FORMAT': 'json', 'LOG_LEVEL': 'INFO'}))
    log = logging.getLogger('portal.test')

    def in_a_request() -> None:
        logs.bind_http_request('abc123')
        logs.bind(user_id=42)
        log.info('Opened the request')
        log.warning('Draft %s deleted', 5474, extra={'request_number': 5474})

    contextvars.copy_context().run(in_a_request)
    log.info('Nothing to do with anyone')
    first, second, third = _lines(capsys.readouterr().err)
    assert first['message'] == 'Opened the request' and first['user_id'] == 42 and first['http_request'] == 'abc123'
    assert 'request_number' not in first
    assert second['request_number'] == 5474 and second['user_id'] == 42 and second['level'] == 'WARNING'
    assert 'user_id' not in third and 'http_request' not in third  # the context ended with the request
    assert set(first) >= {'time', 'level', 'logger', 'message'}


def test_identity_numbers_are_masked_in_messages_and_tracebacks(tmp_path, capsys, root_logging) -> None:
    logs.configure_logging(load_settings({'DATA_DIR': str(tmp_path), 'LOG_FORMAT': 'json'}))
    log = logging.getLogger('portal.test')
    log.warning('Refused %s', 'answer for 150585-958J and 010280+952L')
    try:
        raise ValueError('attribute nationalIdentificationNumber=210281A9988')
    except ValueError:
        log.exception('SAML parse failed')
    output = capsys.readouterr().err
    for number in ('150585-958J', '010280+952L', '210281A9988', '958J', '9988'):
        assert number not in output
    lines = _lines(output)
    assert lines[0]['message'] == 'Refused answer for 150585-**** and 010280-****'
    assert '210281-****' in lines[1]['exception']


def test_text_format_names_the_user_too(tmp_path, capsys, root_logging) -> None:
    logs.configure_logging(load_settings({'DATA_DIR': str(tmp_path)}))
    logging.getLogger('portal.test').warning('Draft %s deleted', 7, extra={'request_number': 7, 'user_id': 3})
    line = capsys.readouterr().err.strip()
    assert line.endswith('WARNING portal.test: Draft 7 deleted [user_id=3 request_number=7]')


def test_log_format_is_checked(tmp_path) -> None:
    from config import ConfigError

    with pytest.raises(ConfigError, match='LOG_FORMAT must be one of text, json'):
        load_settings({'DATA_DIR': str(tmp_path), 'LOG_FORMAT': 'xml'})
