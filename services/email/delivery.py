"""Delivering the outbox over SMTP: a background loop in each app instance, retries with backoff.

Temporary trouble (server down, timeouts, 4xx answers, refused login) puts an email back to wait, each time longer;
a 5xx answer about the message or address marks it failed with the server's reason. After `max_attempts` temporary
failures an email is marked failed too, so an admin sees it and can retry it from the outbox view.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_datetime
from email.utils import formataddr

import aiosmtplib

from config import Settings, get_settings
from models import OutboxEmail, saved_id

from . import outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # starttls / tls / none
    username: str
    password: str
    mail_from: str
    sender_name: str = ''
    timeout: float = 30.0
    cert_bundle: str | None = None  # extra CA certificates to trust (tests); None: the system's

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        return cls(host=settings.smtp_host, port=settings.smtp_port, security=settings.smtp_security,
                   username=settings.smtp_username, password=settings.smtp_password, mail_from=settings.mail_from,
                   sender_name=settings.brand_name)


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 40  # 30 s, 1 min, 2 min … then hourly: about a day and a half of trying

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed try: doubling from `first_delay`, capped at `max_delay`."""
        return min(self.first_delay * (2 ** max(attempts - 1, 0)), self.max_delay)


class TemporaryFailure(Exception):
    """Try again later."""


class PermanentFailure(Exception):
    """The server refused this email for good (a 5xx answer)."""


def _describe(error: BaseException) -> str:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        refused = error.recipients[0]
        return f'{refused.code} {refused.message}'.strip()
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f'{error.code} {error.message}'.strip()
    return f'{type(error).__name__}: {error}'.strip().rstrip(':')


def classify(error: BaseException) -> TemporaryFailure | PermanentFailure:
    """Which SMTP errors are worth retrying: only a 5xx answer about this message is final.

    A refused login (535) is a 5xx too, but it is the portal's configuration that is wrong, not the email: it waits
    until an operator fixes the settings instead of failing every email at once.
    """
    reason = _describe(error)
    code = None
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        code = error.recipients[0].code
    elif isinstance(error, aiosmtplib.SMTPResponseException) and not isinstance(
            error, aiosmtplib.SMTPAuthenticationError | aiosmtplib.SMTPConnectResponseError):
        code = error.code
    if code is not None and 500 <= code < 600:
        return PermanentFailure(reason)
    return TemporaryFailure(reason)


def _domain(address: str) -> str:
    return address.rpartition('@')[2] or 'localhost'


def build_message(email: OutboxEmail, smtp: SmtpConfig) -> EmailMessage:
    message = EmailMessage()
    message['From'] = formataddr((smtp.sender_name, smtp.mail_from)) if smtp.sender_name else smtp.mail_from
    message['To'] = email.recipient
    message['Subject'] = email.subject
    message['Date'] = rfc2822_datetime(email.created_at)
    # A stable id per outbox row: if a crash ever makes an email go out twice, mail programs can tell.
    message['Message-ID'] = f'<outbox-{email.id}-{int(email.created_at.timestamp())}@{_domain(smtp.mail_from)}>'
    message['Auto-Submitted'] = 'auto-generated'  # RFC 3834: no autoreplies to a no-reply sender
    message.set_content(email.body_text)
    message.add_alternative(email.body_html, subtype='html')
    message['Content-Language'] = email.language  # after the bodies: set_content clears Content-* headers
    return message


def default_worker_id() -> str:
    return f'{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}'[:100]


class DeliveryWorker:
    """Claims due emails from the outbox and sends them; several may run against one database."""

    def __init__(self, smtp: SmtpConfig, *, worker_id: str | None = None, policy: RetryPolicy | None = None,
                 batch_size: int = 20, lease: timedelta = timedelta(minutes=5), poll_interval: float = 5.0) -> None:
        self.smtp = smtp
        self.worker_id = worker_id or default_worker_id()
        self.policy = policy or RetryPolicy()
        self.batch_size = batch_size
        # Longer than a whole batch can take, so a live worker never loses its claim mid-send.
        self.lease = max(lease, timedelta(seconds=smtp.timeout * (batch_size + 2)))
        self.poll_interval = poll_interval

    def _client(self) -> aiosmtplib.SMTP:
        security = self.smtp.security
        return aiosmtplib.SMTP(hostname=self.smtp.host, port=self.smtp.port, timeout=self.smtp.timeout,
                               use_tls=security == 'tls', start_tls=security == 'starttls',
                               username=self.smtp.username or None, password=self.smtp.password or None,
                               cert_bundle=self.smtp.cert_bundle)

    async def probe(self) -> None:
        client = self._client()
        await client.connect()
        await client.quit()

    async def _settle(self, email: OutboxEmail, failure: TemporaryFailure | PermanentFailure) -> None:
        reason = str(failure)
        if isinstance(failure, PermanentFailure):
            log.warning('outbox email %s failed for good: %s', email.id, reason)
            await asyncio.to_thread(outbox.mark_failed, saved_id(email), self.worker_id, reason)
        elif email.attempts >= self.policy.max_attempts:
            log.error('outbox email %s: gave up after %s attempts: %s', email.id, email.attempts, reason)
            await asyncio.to_thread(outbox.mark_failed, saved_id(email), self.worker_id,
                                    f'{reason} (gave up after {email.attempts} attempts)')
        else:
            await asyncio.to_thread(outbox.mark_retry, saved_id(email), self.worker_id, reason,
                                    self.policy.delay(email.attempts))

    async def deliver_due(self) -> int:
        """One round: claim due emails, send them over one connection, record each outcome. Returns how many
        emails were claimed."""
        claimed = await asyncio.to_thread(outbox.claim_due, self.worker_id, limit=self.batch_size, lease=self.lease)
        if not claimed:
            return 0
        client = self._client()
        try:
            for index, email in enumerate(claimed):
                try:
                    if not client.is_connected:
                        await client.connect()
                    await client.send_message(build_message(email, self.smtp))
                except (aiosmtplib.SMTPException, OSError) as error:
                    failure = classify(error)
                    await self._settle(email, failure)
                    if isinstance(failure, TemporaryFailure) and not client.is_connected:
                        # The server is gone: the rest of the batch waits too, rather than hammering it.
                        for waiting in claimed[index + 1:]:
                            await self._settle(waiting, failure)
                        break
                    continue
                if not await asyncio.to_thread(outbox.mark_sent, saved_id(email), self.worker_id):
                    log.warning('outbox email %s was sent but its claim had lapsed', email.id)
        finally:
            if client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()
        return len(claimed)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; a full batch is followed at once by the next, otherwise it waits a while."""
        while not stop.is_set():
            claimed = 0
            try:
                claimed = await self.deliver_due()
            except Exception:  # the database may be away for a moment: the loop must outlive it
                log.exception('email delivery round failed')
            if claimed < self.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.poll_interval)


async def probe_smtp(smtp: SmtpConfig, timeout: float | None = None) -> None:
    """Connect, greet, start TLS and sign in as delivery would, then leave (`portal check`); raises if any fails."""
    await DeliveryWorker(replace(smtp, timeout=timeout or smtp.timeout)).probe()


_stop: asyncio.Event | None = None
_task: asyncio.Task | None = None


async def start_email_delivery() -> None:
    """App start-up: deliver the outbox in the background, unless no SMTP server is configured (then the emails
    stay in the outbox and can be read in the development mailbox)."""
    global _stop, _task
    settings = get_settings()
    if not settings.smtp_host:
        log.info('SMTP_HOST is not set: emails are kept in the outbox (development mailbox at /kasittely/sahkopostit)')
        return
    worker = DeliveryWorker(SmtpConfig.from_settings(settings))
    _stop = asyncio.Event()
    _task = asyncio.create_task(worker.run(_stop), name='email-delivery')
    log.info('email delivery started as %s via %s:%s', worker.worker_id, settings.smtp_host, settings.smtp_port)


async def stop_email_delivery() -> None:
    """App shutdown: let the current round finish (its claims would otherwise wait for the lease to lapse)."""
    global _stop, _task
    if _task is None or _stop is None:
        return
    _stop.set()
    try:
        await asyncio.wait_for(_task, timeout=30)
    except TimeoutError:
        _task.cancel()
    _stop = _task = None
    log.info('email delivery stopped')
