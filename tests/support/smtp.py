"""A real SMTP server (aiosmtpd) for tests: records what it receives, can refuse addresses with a permanent (5xx) or
temporary (4xx) answer, can be stopped and started again on the same port to play an outage, and can require
STARTTLS or implicit TLS and a login, with a self-signed certificate made for the test."""
from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.server import free_port


@dataclass
class ReceivedEmail:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message['Subject'])

    def body(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f'no text/{subtype} part'
        return part.get_content()


@dataclass
class RecordingHandler:
    received: list[ReceivedEmail] = field(default_factory=list)
    refuse_permanently: set[str] = field(default_factory=set)
    refuse_temporarily: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options) -> str:
        if address in self.refuse_permanently:
            return f'550 5.1.1 <{address}>: Recipient address rejected: User unknown'
        if address in self.refuse_temporarily:
            return '451 4.3.0 Mailbox temporarily unavailable, try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(ReceivedEmail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return '250 Message accepted for delivery'


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (certificate, key); the client trusts it as its only CA."""
    cert, key = folder / 'smtp-cert.pem', folder / 'smtp-key.pem'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', str(key), '-out', str(cert),
                    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
                   check=True, capture_output=True)
    return cert, key


class SmtpTestServer:
    """aiosmtpd on 127.0.0.1 and a free port, in its own thread.

    `tls` is None (plain), 'starttls' (STARTTLS required) or 'tls' (implicit TLS); `login` makes it require AUTH with
    that username and password.
    """

    def __init__(self, *, tls: str | None = None, certificate: tuple[Path, Path] | None = None,
                 login: tuple[str, str] | None = None) -> None:
        self.host = '127.0.0.1'
        self.port = free_port()
        self.handler = RecordingHandler()
        self.tls = tls
        self.certificate = certificate
        self.login = login
        self._controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedEmail]:
        return self.handler.received

    def _authenticate(self, server, session, envelope, mechanism: str, auth_data) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and self.login is not None
              and (auth_data.login.decode(), auth_data.password.decode()) == self.login)
        return AuthResult(success=ok, handled=False)

    def start(self) -> None:
        options: dict = {}
        if self.tls:
            assert self.certificate is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*map(str, self.certificate))
            if self.tls == 'starttls':
                options |= {'tls_context': context, 'require_starttls': True}
            else:
                options |= {'ssl_context': context}
        if self.login:
            # aiosmtpd counts only STARTTLS as TLS for AUTH; on an implicit-TLS port the whole connection is TLS.
            options |= {'authenticator': self._authenticate, 'auth_required': True,
                        'auth_require_tls': self.tls != 'tls'}
        self._controller = Controller(self.handler, hostname=self.host, port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
