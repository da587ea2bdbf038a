"""The running portal (main.py as a real server) delivers its outbox over SMTP by itself and stops cleanly."""
from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from bench.harness import wait_until
from models import EmailStatus, Message, MessageKind, OutboxEmail, ServiceRequest
from models.db import get_engine
from services import notifications
from tests.support.databases import fresh_database_url
from tests.support.rows import found
from tests.support.server import start_portal
from tests.support.smtp import SmtpTestServer


def test_portal_delivers_the_outbox_and_stops_cleanly(tmp_path: Path) -> None:
    smtp = SmtpTestServer()
    smtp.start()
    with fresh_database_url(tmp_path) as url:
        portal = start_portal(tmp_path / 'data', url, SMTP_HOST=smtp.host, SMTP_PORT=str(smtp.port),
                              SMTP_SECURITY='none', MAIL_FROM='asiakaspalvelu@monetra.example', LOG_LEVEL='INFO')
        try:
            with Session(get_engine(url)) as db:  # what a handler's question does, written beside the running app
                request = found(db.get(ServiceRequest, 978373))
                message = Message(request_id=978373, kind=MessageKind.QUESTION, body='Liitättekö tiliotteen?')
                db.add(message)
                notifications.centre_message(db, request, message)
                db.commit()
            wait_until(lambda: smtp.received, 'the question email', 20)
            assert [mail.subject for mail in smtp.received] == ['Lisäkysymys palvelupyyntöön 978373']
            assert smtp.received[0].recipients == ['645516@generated.invalid']
            assert 'Liitättekö tiliotteen?' in smtp.received[0].body('plain')

            def statuses() -> list[EmailStatus]:
                with Session(get_engine(url)) as db:
                    return list(db.exec(select(col(OutboxEmail.status))).all())

            wait_until(lambda: statuses() == [EmailStatus.SENT], 'the outbox to mark the email sent', 20)
        finally:
            portal.stop()
            smtp.stop()
        log = portal.log()
        # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal: -15 is a clean exit here.
        assert portal.process.returncode in (0, -15), log
        assert 'email delivery started' in log
        assert 'email delivery stopped' in log, log
        assert 'Traceback' not in log, log
