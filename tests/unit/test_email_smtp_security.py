"""The SMTP connection settings against a real server: STARTTLS and implicit TLS with a verified certificate, a
login, and a refused login that keeps emails waiting (the portal's settings are wrong, not the emails)."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from models import EmailStatus, OutboxEmail
from models.db import session_scope
from services.email import outbox
from services.email.delivery import DeliveryWorker, SmtpConfig
from services.email.templates import EmailContent, EmailKind
from tests.support.smtp import SmtpTestServer, make_certificate

LOGIN = ('portaali', 'smtp-salasana-2026')


@pytest.fixture(scope='module')
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp('smtp-tls'))


@pytest.fixture
def server(request: pytest.FixtureRequest, certificate: tuple[Path, Path]) -> Iterator[SmtpTestServer]:
    smtp = SmtpTestServer(tls=request.param, certificate=certificate, login=LOGIN)
    smtp.start()
    yield smtp
    smtp.stop()


def deliver(smtp: SmtpTestServer, security: str, certificate: tuple[Path, Path], password: str) -> None:
    config = SmtpConfig(host=smtp.host, port=smtp.port, security=security, username=LOGIN[0], password=password,
                        mail_from='asiakaspalvelu@monetra.example', timeout=5, cert_bundle=str(certificate[0]))
    with session_scope() as db:
        outbox.enqueue(db, kind=EmailKind.MESSAGE, recipient='onni@example.org', language='fi',
                       content=EmailContent('Salattu viesti', 'Teksti', '<p>Teksti</p>'))
    asyncio.run(DeliveryWorker(config, worker_id='w').deliver_due())


def only_row() -> OutboxEmail:
    with session_scope() as db:
        return db.exec(select(OutboxEmail)).one()


@pytest.mark.db
@pytest.mark.filterwarnings('ignore:Requiring AUTH while not requiring TLS')  # the test server on its TLS port
@pytest.mark.parametrize('server', ['starttls', 'tls'], indirect=True)
def test_delivers_over_tls_with_login(database: str, server: SmtpTestServer, certificate: tuple[Path, Path]) -> None:
    assert server.tls is not None  # parametrised: 'starttls' or 'tls'
    deliver(server, server.tls, certificate, LOGIN[1])
    assert only_row().status == EmailStatus.SENT
    assert [mail.subject for mail in server.received] == ['Salattu viesti']


@pytest.mark.db
@pytest.mark.parametrize('server', ['starttls'], indirect=True)
def test_refused_login_keeps_the_email_waiting(database: str, server: SmtpTestServer,
                                               certificate: tuple[Path, Path]) -> None:
    deliver(server, 'starttls', certificate, 'väärä-salasana')
    row = only_row()
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1)
    assert (row.last_error or '').startswith('535')
    assert server.received == []


@pytest.mark.db
def test_a_server_without_starttls_is_not_used_in_the_clear(database: str, certificate: tuple[Path, Path]) -> None:
    plain = SmtpTestServer()  # the settings say STARTTLS but this server offers none: nothing goes out unencrypted
    plain.start()
    try:
        deliver(plain, 'starttls', certificate, LOGIN[1])
    finally:
        plain.stop()
    row = only_row()
    assert row.status == EmailStatus.PENDING
    assert plain.received == []
