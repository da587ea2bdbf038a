"""A real SMTP server (aiosmtpd) for tests: records what it receives, can refuse addresses with a permanent (5xx) or
temporary (4xx) answer, and can be stopped and started again on the same port to play an outage."""
from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

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


class SmtpTestServer:
    """aiosmtpd on 127.0.0.1 and a free port, in its own thread."""

    def __init__(self) -> None:
        self.host = '127.0.0.1'
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedEmail]:
        return self.handler.received

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
