"""Back up a running portal while a citizen sends requests, restore it into a fresh DATA_DIR and database, start the
portal on it and find everything again — and a Suomi.fi sign-in of an existing person still recognises them.

SQLite by default; with TEST_POSTGRES_URL (`.ci/run`) the same test runs on two scratch PostgreSQL databases, with
`pg_dump`/`pg_restore`.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

import config
from models.db import dispose_engines
from tests.support.citizen import SignedInCitizen, attachment_for, complete_draft, user_id
from tests.support.databases import POSTGRES_ENV, fresh_database_url, scratch_postgres_database
from tests.support.rows import found
from tests.support.server import PROJECT_DIR, PortalServer, start_portal

pytestmark = pytest.mark.db

SENT_BEFORE = 3
SENT_MEANWHILE_AT_MOST = 6
ONNI = '150585-958J'


@contextmanager
def two_databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield (f'sqlite:///{tmp_path / "source" / "data" / "portal.db"}',
               f'sqlite:///{tmp_path / "restored" / "data" / "portal.db"}')
        return
    with scratch_postgres_database(server, 'portal_backup') as source, \
            scratch_postgres_database(server, 'portal_restore') as restored:
        yield source, restored


@contextmanager
def services_on(data_dir: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's services pointed at a portal's database and data folder."""
    with monkeypatch.context() as patch:
        patch.setenv('DATA_DIR', str(data_dir))
        patch.setenv('DATABASE_URL', database_url)
        config.reload_settings()
        try:
            yield
        finally:
            dispose_engines()
    config.reload_settings()


def portal_command(data_dir: Path, database_url: str, *argv: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith('PYTEST')}
    env.update({'DATA_DIR': str(data_dir), 'DATABASE_URL': database_url})
    return subprocess.run([sys.executable, '-m', 'portal', *argv], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, timeout=300)


def _question_and_reply(number: int) -> None:
    """The centre asks, the citizen answers with a file: a message thread with an attachment on a message."""
    from models import User
    from models.db import session_scope
    from services import handling, messages

    with session_scope() as db:
        kaisa = db.exec(select(User).where(User.username == 'kaisa.kasittelija')).one()
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
    version = handling.open_request(kaisa, number, record_view=False).version
    handling.send_message(kaisa, number, version, f'Tarvitsemme kuitin pyyntöön {number}.', question=True)
    messages.post_reply(onni, number, 'Tässä kuitti.', [(f'vastaus-{number}.pdf', attachment_for(number + 1))])


def _snapshot(numbers: list[int]) -> dict:
    """What must survive for each request: status, attachments by content, messages."""
    from models import Attachment, AttachmentBlob, Message, ServiceRequest
    from models.db import session_scope

    with session_scope() as db:
        snapshot = {}
        for number in numbers:
            request = db.get(ServiceRequest, number)
            files = {a.filename: hashlib.sha256(found(db.get(AttachmentBlob, a.id)).data).hexdigest()
                     for a in db.exec(select(Attachment).where(Attachment.request_id == number)).all()}
            bodies = [m.body for m in db.exec(select(Message).where(Message.request_id == number)
                                              .order_by(col(Message.id))).all()]
            snapshot[number] = (request.status.value if request else None, files, bodies)
        return snapshot


def _sent_once(numbers: list[int]) -> dict[int, str]:
    """Per request, whether the restored copy is sent in full (one stage, one event, one email) or still a draft,
    and never something in between."""
    from models import AuditEvent, OutboxEmail, RequestStatus, ServiceRequest, StageChange
    from models.db import session_scope

    verdicts = {}
    with session_scope() as db:
        for number in numbers:
            status = found(db.get(ServiceRequest, number)).status
            counts = [db.exec(select(func.count()).select_from(StageChange).where(
                StageChange.request_id == number)).one()]
            counts.append(db.exec(select(func.count()).select_from(OutboxEmail).where(
                OutboxEmail.request_id == number, OutboxEmail.kind == 'request_sent')).one())
            counts.append(db.exec(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.request_id == number, AuditEvent.action == 'request_sent')).one())
            verdicts[number] = 'sent' if status == RequestStatus.SENT and counts == [1, 1, 1] else \
                'draft' if status == RequestStatus.DRAFT and counts == [0, 0, 0] else f'torn: {status} {counts}'
    return verdicts


async def _send_while_backing_up(server: PortalServer, drafts: list[int], backup_dir: Path) -> tuple[list[int],
                                                                                                    list[int], str]:
    """Send drafts one by one; start the backup once the first is through and go on sending until it is done.
    Returns the numbers sent before the backup started, those sent while it ran, and the archive's path."""
    async with SignedInCitizen(server.base_url) as citizen:
        before = drafts[:1]
        meanwhile: list[int] = []
        await citizen.send(before[0])
        backup = asyncio.create_task(asyncio.to_thread(
            portal_command, server.data_dir, server.database_url, 'backup', '--to', str(backup_dir), '--keep', '2'))
        for number in drafts[1:]:
            if backup.done() and meanwhile:
                break
            await citizen.send(number)
            meanwhile.append(number)
        done = await backup
    assert done.returncode == 0, done.stderr
    archive = done.stdout.split('Backup written: ')[1].split(' (')[0]
    return before, meanwhile, archive


def _suomifi_sign_in_recognises(person_number: str) -> int:
    """The sign-in path of a Suomi.fi login in this process: the test IdP (keys from DATA_DIR/saml) answers with a
    signed, encrypted assertion, the SP (its keys from DATA_DIR/saml) checks it, and the identity hash (key from
    DATA_DIR) finds the account. Returns the account's id."""
    from auth import saml_sp
    from auth.test_idp import TEST_PERSONS, TestIdentityProvider
    from services.registration import IdentifiedPerson, user_for_identification

    idp = TestIdentityProvider.for_settings(config.get_settings())
    start = saml_sp.begin_login('/paasivu', 'fi')
    request = idp.parse_authn_request(start.redirect_to)
    person = next(p for p in TEST_PERSONS if p.national_id == person_number)
    answer = idp.issue_response(request, person)
    identity = saml_sp.complete_login(answer.saml_response, answer.relay_state, start.browser_binding)
    # As pages/saml.py's assertion consumer does with the checked answer.
    return user_for_identification(IdentifiedPerson(
        national_id=identity.national_id, given_name=identity.given_name, surname=identity.surname,
        display_name=identity.display_name, given_name_is_calling_name=identity.given_name_is_calling_name))


def test_backup_of_a_running_portal_restores_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source_dir, restored_dir, backup_dir = tmp_path / 'source' / 'data', tmp_path / 'restored' / 'data', \
        tmp_path / 'backups'
    with two_databases(tmp_path) as (source_url, restored_url):
        source = start_portal(source_dir, source_url, DEMO_DATA='true')
        try:
            source_url = source.database_url
            with services_on(source_dir, source_url, monkeypatch):
                onni = user_id('onni.korhonen')
                sent_early = [complete_draft(onni, with_attachment=True) for _ in range(SENT_BEFORE - 1)]
                drafts = [complete_draft(onni, with_attachment=True) for _ in range(SENT_MEANWHILE_AT_MOST + 1)]
                late = complete_draft(onni, with_attachment=True)
                asyncio.run(_send_all(source.base_url, sent_early))
                _question_and_reply(sent_early[0])
                onni_before = _suomifi_sign_in_recognises(ONNI)  # also makes the SAML keys in DATA_DIR/saml
                assert onni_before == onni
                before, meanwhile, archive = asyncio.run(_send_while_backing_up(source, drafts, backup_dir))
                asyncio.run(_send_all(source.base_url, [late]))  # after the backup: must not be in it
                must_survive = sent_early + before
                expected = _snapshot(must_survive)
                onni_hash_key = config.get_settings().identity_hash_key
        finally:
            source.stop()
        assert meanwhile, 'the client sent nothing while the backup ran'
        print(f'{len(meanwhile)} request(s) sent while the backup ran; archive {Path(archive).stat().st_size} bytes')
        assert all(status == 'sent' and files for status, files, _ in expected.values())
        assert len(expected[sent_early[0]][2]) == 2 and len(expected[sent_early[0]][1]) == 2

        with tarfile.open(archive) as opened:
            names = opened.getnames()
        assert {'manifest.json', 'data/identity_hash_key', 'data/storage_secret', 'data/saml/sp-encryption.key',
                'data/saml/sp-signing.key'} <= set(names)
        assert not any(name.endswith(('.log', '-wal', '-shm')) or name == 'data/portal.db' for name in names)
        assert oct(Path(archive).stat().st_mode & 0o777) == '0o600'

        restored_dir.mkdir(parents=True)
        done = portal_command(restored_dir, restored_url, 'restore', archive)
        assert done.returncode == 0, done.stderr
        again = portal_command(restored_dir, restored_url, 'restore', archive)
        assert again.returncode == 1 and again.stderr.strip() == (
            'portal: the database is not empty; restore into an empty one, or add --force to replace everything '
            'in it')
        assert portal_command(restored_dir, restored_url, 'restore', '--force', archive).returncode == 0
        for secret in ('identity_hash_key', 'storage_secret', 'saml/sp-signing.key', 'saml/sp-encryption.key',
                       'saml/test-idp.key'):
            assert (restored_dir / secret).read_bytes() == (source_dir / secret).read_bytes(), secret

        restored = start_portal(restored_dir, restored_url, DEMO_DATA='false')
        try:
            with services_on(restored_dir, restored.database_url, monkeypatch):
                assert config.get_settings().identity_hash_key == onni_hash_key
                assert _snapshot(must_survive) == expected
                verdicts = _sent_once(must_survive + meanwhile + [late])
                assert {verdicts[n] for n in must_survive} == {'sent'}
                assert all(verdicts[n] in ('sent', 'draft') for n in meanwhile), verdicts
                assert verdicts[late] == 'draft'
                # Suomi.fi sign-in of an existing person: the same account, found by the restored hash key.
                assert _suomifi_sign_in_recognises(ONNI) == onni
                page = asyncio.run(_request_page(restored.base_url, sent_early[0]))
            assert f'kuitti-{sent_early[0]}.pdf' in page and 'Tarvitsemme kuitin' in page
        finally:
            restored.stop()


async def _send_all(base_url: str, numbers: list[int]) -> None:
    async with SignedInCitizen(base_url) as citizen:
        for number in numbers:
            await citizen.send(number)


async def _request_page(base_url: str, number: int) -> str:
    """The citizen signs in with their (restored) password and opens the request's thread in the restored portal."""
    async with SignedInCitizen(base_url) as citizen:
        return await citizen.page_texts(f'/oma-asiointi/{number}')


def test_restore_refuses_what_is_not_a_backup(settings_env: Path, tmp_path: Path) -> None:
    not_a_backup = tmp_path / 'portal-backup-20260101-000000.tar.gz'
    not_a_backup.write_bytes(b'hello')
    database_url = f'sqlite:///{tmp_path / "x.db"}'
    for argv, message in ((['restore', str(tmp_path / 'missing.tar.gz')], 'no such backup file'),
                          (['restore', str(not_a_backup)], 'is not a readable backup archive')):
        done = portal_command(settings_env, database_url, *argv)
        assert done.returncode == 1 and message in done.stderr and done.stderr.count('\n') == 1


def test_retention_keeps_the_newest(tmp_path: Path) -> None:
    from portal.backup import prune

    names = [f'portal-backup-202612{day:02d}-031500.tar.gz' for day in range(1, 6)]
    for name in [*names, 'muistiinpanot.txt']:
        (tmp_path / name).write_text('x')
    removed = prune(tmp_path, 2)
    assert [path.name for path in removed] == names[:3]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*names[3:], 'muistiinpanot.txt'])


def test_pg_dump_version_is_read_from_its_banner() -> None:
    from portal.backup import _major

    assert _major('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)') == 15
    assert _major('15.20 (Debian 15.20-0+deb12u1)') == 15
    assert _major('pg_dump (PostgreSQL) 9.6.24') == 9


def test_secrets_from_the_environment_travel_in_the_archive(database: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An IDENTITY_HASH_KEY given in the environment is not in DATA_DIR, yet the archive must carry it; a restore
    under a different one in the environment says that the environment would win."""
    from portal.backup import create_backup, restore_backup

    key = 'ymparistosta-annettu-avain-' + 'k' * 20
    monkeypatch.setenv('IDENTITY_HASH_KEY', key)
    backup = create_backup(config.reload_settings(), tmp_path / 'backups', keep=1)
    with tarfile.open(backup.archive) as opened:
        assert found(opened.extractfile('data/identity_hash_key')).read().decode() == key
    target = tmp_path / 'restored'
    monkeypatch.setenv('DATA_DIR', str(target))
    monkeypatch.setenv('IDENTITY_HASH_KEY', 'jokin-toinen-avain-' + 'x' * 20)
    with fresh_database_url(target) as target_url:  # of the same kind as the backed-up one
        monkeypatch.setenv('DATABASE_URL', target_url)
        result = restore_backup(config.reload_settings(), backup.archive)
    assert (target / 'identity_hash_key').read_text() == key
    assert [w for w in result.warnings if w.startswith('IDENTITY_HASH_KEY is set in the environment and differs')]


def test_saml_keys_kept_outside_data_dir_come_along(database: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from auth.saml_keys import ensure_keypair
    from portal.backup import create_backup, restore_backup

    key, cert = ensure_keypair(tmp_path / 'etc-portal', 'sp-signing', 'asiointi.example.fi SAML signing')
    original = key.read_bytes()
    monkeypatch.setenv('SAML_SIGNING_KEY', str(key))
    monkeypatch.setenv('SAML_SIGNING_CERT', str(cert))
    backup = create_backup(config.reload_settings(), tmp_path / 'backups', keep=1)
    key.unlink()  # the server is lost with its /etc
    cert.write_text('something else')
    target = tmp_path / 'restored'
    monkeypatch.setenv('DATA_DIR', str(target))
    monkeypatch.delenv('SAML_SIGNING_KEY')
    monkeypatch.delenv('SAML_SIGNING_CERT')
    with fresh_database_url(target) as target_url:  # of the same kind as the backed-up one
        monkeypatch.setenv('DATABASE_URL', target_url)
        result = restore_backup(config.reload_settings(), backup.archive)
    assert key.read_bytes() == original and oct(key.stat().st_mode & 0o777) == '0o600'
    assert [w for w in result.warnings if w.startswith(f'{cert} (SAML_SIGNING_CERT) differs from the one')]
