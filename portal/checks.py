"""`portal check`: is this installation ready to serve? One line per check, each passing or failing on its own."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from config import Settings

CERTIFICATE_WARNING = timedelta(days=30)


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f'{"ok  " if self.passed else "FAIL"}  {self.name}: {self.detail}'


def check_database(settings: Settings) -> str:
    from models.db import get_engine

    with get_engine(settings.database_url).connect() as connection:
        connection.execute(text('SELECT 1'))
    kind = 'SQLite ' + settings.database_url.removeprefix('sqlite:///') if settings.is_sqlite else \
        'PostgreSQL ' + settings.database_url.rsplit('@', 1)[-1]
    return f'reachable ({kind})'


def check_migrations(settings: Settings) -> str:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from models.db import alembic_config, get_engine

    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    with get_engine(settings.database_url).connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise RuntimeError(f'the database is at {current or "no schema yet"}, the code at {head}: start the portal '
                           '(it migrates at start) with this version')
    return f'current ({head})'


def _certificate_problem(pem_base64: str, purpose: str) -> str | None:
    import base64

    from cryptography import x509

    certificate = x509.load_der_x509_certificate(base64.b64decode(''.join(pem_base64.split())))
    left = certificate.not_valid_after_utc - datetime.now(UTC)
    if left <= timedelta(0):
        return f'the {purpose} certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}'
    if left < CERTIFICATE_WARNING:
        return f'the {purpose} certificate expires on {certificate.not_valid_after_utc:%Y-%m-%d}: renew it'
    return None


def check_saml_metadata(settings: Settings) -> str:
    """Our SP metadata is schema-valid and complete, its certificates are in date, and the IdP metadata loads."""
    from saml2 import md
    from saml2.validate import valid_instance

    from auth import saml_sp

    descriptor = md.entity_descriptor_from_string(saml_sp.metadata_xml(settings))
    valid_instance(descriptor)  # raises on anything the SAML metadata schema does not allow
    sp = descriptor.spsso_descriptor[0] if descriptor.spsso_descriptor else None
    if sp is None or not sp.assertion_consumer_service:
        raise RuntimeError('our metadata has no assertion consumer service')
    uses = {key.use: key for key in sp.key_descriptor}
    for use in ('signing', 'encryption'):
        if use not in uses:
            raise RuntimeError(f'our metadata has no {use} certificate')
        problem = _certificate_problem(uses[use].key_info.x509_data[0].x509_certificate.text, use)
        if problem:
            raise RuntimeError(problem)
    idp = saml_sp.idp_entity_id(settings)
    where = 'the bundled test IdP (not for real use)' if settings.sign_in_mode == 'test-idp' else \
        str(settings.saml_idp_metadata)
    return f'SP {descriptor.entity_id} valid; IdP {idp} from {where}'


def check_smtp(settings: Settings) -> str:
    if not settings.smtp_host:
        return 'not configured: emails stay in the outbox (SMTP_HOST is not set)'
    from services.email.delivery import SmtpConfig, probe_smtp

    smtp = SmtpConfig.from_settings(settings)
    asyncio.run(probe_smtp(smtp, timeout=10))
    signed_in = f', signed in as {settings.smtp_username}' if settings.smtp_username else ''
    return f'reachable at {settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security}{signed_in})'


CHECKS: list[tuple[str, Callable[[Settings], str], tuple[str, ...]]] = [
    ('database', check_database, ()),
    ('migrations', check_migrations, ('database',)),
    ('SAML metadata', check_saml_metadata, ()),
    ('SMTP', check_smtp, ()),
]


def run_checks(settings: Settings) -> list[CheckResult]:
    """Each check in turn; one that needs a failed one is reported as not run rather than failing obscurely."""
    results: dict[str, CheckResult] = {}
    for name, check, needs in CHECKS:
        failed_need = next((need for need in needs if not results[need].passed), None)
        if failed_need:
            results[name] = CheckResult(name, False, f'not checked: the {failed_need} check failed')
            continue
        try:
            results[name] = CheckResult(name, True, check(settings))
        except Exception as error:  # each check reports its own failure in one line and the rest still run
            message = str(getattr(error, 'orig', None) or error).strip().splitlines()
            results[name] = CheckResult(name, False, f'{message[0] if message else type(error).__name__}')
    return list(results.values())
