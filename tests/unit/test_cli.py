"""The administrator's command line (`portal …`): every command does what it says through the services, and wrong
input gives one clear line on stderr and a non-zero exit."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

import config
from auth.password_login import LoginOutcome, authenticate, verify_second_factor
from models import AuditEvent, LoginThrottle, User, UserSession, saved_id, utcnow
from models.db import session_scope
from portal.cli import main
from tests.conftest import HeldClock
from tests.support.rows import found
from tests.support.server import PROJECT_DIR

pytestmark = pytest.mark.db

DEMO_PASSWORD = 'Demo-salasana-2026'
ONNI_IDENTITY_NUMBER = '150585-958J'


@pytest.fixture
def demo(database: str) -> str:
    from services.catalogue import sync_services
    from services.demo_data import load_demo_data

    sync_services()
    load_demo_data()
    return database


def _run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = '',
         monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if monkeypatch is not None:
        monkeypatch.setattr(sys, 'stdin', io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _user(username: str) -> User:
    with session_scope() as db:
        return db.exec(select(User).where(User.username == username)).one()


def _env() -> dict[str, str]:
    settings = config.get_settings()
    return {**{k: v for k, v in os.environ.items() if not k.startswith('PYTEST')},
            'DATABASE_URL': settings.database_url, 'DATA_DIR': str(settings.data_dir)}


def test_help_in_plain_words_from_the_console_script_and_python_m(settings_env) -> None:
    script = PROJECT_DIR / '.venv' / 'bin' / 'portal'
    runs = [[sys.executable, '-m', 'portal', '--help']] + ([[str(script), '--help']] if script.exists() else [])
    for command in runs:
        done = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60, env=_env())
        assert done.returncode == 0, done.stderr
        for name in ('create-staff', 'reset-totp', 'unlock', 'end-sessions', 'show-config', 'check', 'backup',
                     'restore'):
            assert name in done.stdout
        assert 'Look after a customer-service portal installation' in done.stdout


def test_unknown_command_and_missing_argument_exit_non_zero(settings_env) -> None:
    for argv, expected in ((['frobnicate'], 'invalid choice'), (['unlock'], 'the following arguments are required')):
        done = subprocess.run([sys.executable, '-m', 'portal', *argv], cwd=PROJECT_DIR, capture_output=True,
                              text=True, timeout=60, env=_env())
        assert done.returncode == 2 and expected in done.stderr and not done.stdout


def test_create_staff_makes_an_admin_who_signs_in_with_password_and_the_printed_totp(
        demo: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _run(capsys, 'create-staff', '--role', 'admin', '--username', 'maija.yllapito', '--given-name',
                          'Maija', '--surname', 'Ylläpito', '--email', 'maija@example.fi', '--password-stdin',
                          stdin='Vahva-salasana-2026\n', monkeypatch=monkeypatch)
    assert code == 0, err
    secret = next(line.split(': ')[1] for line in out.splitlines() if line.startswith('TOTP key for maija.yllapito'))
    assert '█' in out and 'otpauth://totp/' in out  # the QR code, drawn in the terminal
    result = authenticate('maija.yllapito', 'Vahva-salasana-2026', '203.0.113.5')
    assert result.outcome == LoginOutcome.NEEDS_SECOND_FACTOR
    second_factor = verify_second_factor(found(result.user_id), pyotp.TOTP(secret).now(), '203.0.113.5')
    assert second_factor.outcome == LoginOutcome.OK
    with session_scope() as db:
        event = db.exec(select(AuditEvent).where(AuditEvent.action == 'staff_created')).one()
        actor = found(db.get(User, event.actor_id))
    assert actor.username == 'cli:operator'  # audited as the command line, which can never sign in
    assert authenticate('cli:operator', '', '203.0.113.5').outcome == LoginOutcome.INVALID


def test_create_staff_wrong_input_gives_one_line(demo: str, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _run(capsys, 'create-staff', '--role', 'handler', '--username', 'kaisa.kasittelija',
                          '--given-name', 'K', '--surname', 'K', '--email', 'k@example.fi', '--password-stdin',
                          stdin='Vahva-salasana-2026\n', monkeypatch=monkeypatch)
    assert code == 1 and not out and err.count('\n') == 1 and 'already' in err
    code, out, err = _run(capsys, 'create-staff', '--role', 'handler', '--username', 'uusi.kasittelija',
                          '--given-name', 'U', '--surname', 'K', '--email', 'not-an-address', '--password-stdin',
                          stdin='lyhyt\n', monkeypatch=monkeypatch)
    assert code == 1 and not out and err.count('\n') == 1 and err.startswith('portal: ')
    code, out, err = _run(capsys, 'create-staff', '--role', 'handler', '--username', 'uusi.kasittelija',
                          '--given-name', 'U', '--surname', 'K', '--email', 'u@example.fi', stdin='',
                          monkeypatch=monkeypatch)
    assert code == 1 and 'no terminal' in err


def test_reset_totp_prints_a_new_key_and_the_old_one_stops_working(demo: str, capsys) -> None:
    old_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    code, out, err = _run(capsys, 'reset-totp', 'kaisa.kasittelija')
    assert code == 0, err
    secret = next(line.split(': ')[1] for line in out.splitlines() if line.startswith('New TOTP key') is False
                  and line.startswith('TOTP key for kaisa.kasittelija'))
    assert secret != old_secret and '█' in out
    kaisa_id = saved_id(_user('kaisa.kasittelija'))
    assert verify_second_factor(kaisa_id, pyotp.TOTP(secret).now(), '203.0.113.6').outcome == LoginOutcome.OK
    assert verify_second_factor(kaisa_id, pyotp.TOTP(old_secret).now(), '203.0.113.6').outcome == LoginOutcome.INVALID


def test_reset_totp_refuses_a_citizen_and_an_unknown_name(demo: str, capsys) -> None:
    code, out, err = _run(capsys, 'reset-totp', 'onni.korhonen')
    assert code == 1 and not out and 'not a handler or admin' in err and err.count('\n') == 1
    code, out, err = _run(capsys, 'reset-totp', 'ei.ketaan')
    assert code == 1 and "no person matches 'ei.ketaan'" in err


def test_unlock_lifts_a_lockout(demo: str, capsys, clock: HeldClock) -> None:
    for number in range(10):  # guesses from many addresses: the account-wide delay
        authenticate('kaisa.kasittelija', 'väärä', f'203.0.113.{100 + number}')
    assert authenticate('kaisa.kasittelija', DEMO_PASSWORD, '203.0.113.8').outcome == LoginOutcome.DELAYED
    code, out, err = _run(capsys, 'unlock', 'kaisa.kasittelija')
    assert code == 0 and 'Unlocked kaisa.kasittelija: 1 lock(s) lifted.' in out, err
    assert authenticate('kaisa.kasittelija', DEMO_PASSWORD, '203.0.113.8').outcome == \
        LoginOutcome.NEEDS_SECOND_FACTOR
    code, out, _ = _run(capsys, 'unlock', 'kaisa.kasittelija')
    assert code == 0 and 'was not locked' in out
    with session_scope() as db:
        assert db.get(LoginThrottle, 'account:kaisa.kasittelija') is None
    code, _, err = _run(capsys, 'unlock', 'id:999999')
    assert code == 1 and 'no person matches' in err


def test_end_sessions_by_identity_number_ends_every_session(demo: str, capsys) -> None:
    onni_id = saved_id(_user('onni.korhonen'))
    with session_scope() as db:
        for index in range(2):
            db.add(UserSession(id=f'onni-{index}', user_id=onni_id, auth_method='saml'))
        db.add(UserSession(id='onni-old', user_id=onni_id, auth_method='saml', ended_at=utcnow() - timedelta(days=1)))
    code, out, err = _run(capsys, 'end-sessions', ONNI_IDENTITY_NUMBER)
    assert code == 0 and 'Ended 2 session(s) of onni.korhonen' in out, err
    assert ONNI_IDENTITY_NUMBER not in out
    with session_scope() as db:
        assert all(row.ended_at is not None for row in db.exec(select(UserSession)).all())
    code, _, err = _run(capsys, 'end-sessions', '010280-952L')  # valid, but no such person here
    assert code == 1 and 'no person matches' in err


def test_show_config_masks_secrets(demo: str, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('SMTP_PASSWORD', 'salainen-smtp-salasana')
    monkeypatch.setenv('METRICS_TOKEN', 'salainen-mittaritunnus')
    monkeypatch.setenv('DATABASE_URL', 'postgresql://portal:salainen-kantasalasana@db.example.fi/portal')
    code, out, err = _run(capsys, 'show-config')
    assert code == 0, err
    settings = config.get_settings()
    for secret in ('salainen-smtp-salasana', 'salainen-mittaritunnus', 'salainen-kantasalasana',
                   settings.storage_secret, settings.identity_hash_key):
        assert secret not in out
    lines = dict(line.split(' = ', 1) for line in out.splitlines())
    assert lines['IDENTITY_HASH_KEY'] == '******** (set, from DATA_DIR/identity_hash_key)'
    assert lines['SMTP_PASSWORD'] == '******** (set, from environment)'
    assert lines['DATABASE_URL'] == 'postgresql+psycopg://portal:********@db.example.fi/portal'
    assert lines['PORT'] == '8080' and lines['SIGN_IN_MODE'] == 'test-idp'


def test_show_config_with_a_wrong_setting_gives_one_line(settings_env, monkeypatch: pytest.MonkeyPatch) -> None:
    done = subprocess.run([sys.executable, '-m', 'portal', 'show-config'], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=60, env={**_env(), 'PORT': 'eighty'})
    assert done.returncode == 2 and done.stderr.strip().count('\n') == 0
    assert "PORT must be a whole number from 1 to 65535 (got 'eighty')" in done.stderr


def test_check_passes_on_a_good_installation(demo: str, capsys) -> None:
    code, out, err = _run(capsys, 'check')
    assert code == 0, out + err
    lines = out.splitlines()
    assert [line.split(':')[0] for line in lines] == ['ok    database', 'ok    migrations', 'ok    SAML metadata',
                                                     'ok    SMTP']


def test_check_reports_each_failure_on_its_line(demo: str, capsys, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from models.db import downgrade

    downgrade(config.get_settings().database_url, '-1')
    monkeypatch.setenv('SMTP_HOST', '127.0.0.1')
    monkeypatch.setenv('SMTP_PORT', str(_closed_port()))
    monkeypatch.setenv('SMTP_SECURITY', 'none')
    broken = tmp_path / 'idp-metadata.xml'
    broken.write_text('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>')
    monkeypatch.setenv('SIGN_IN_MODE', 'suomifi-test')
    monkeypatch.setenv('SAML_IDP_METADATA', str(broken))
    code, out, _ = _run(capsys, 'check')
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith('ok    database')
    assert lines[1].startswith('FAIL  migrations: the database is at')
    assert lines[2].startswith('FAIL  SAML metadata:')
    assert lines[3].startswith('FAIL  SMTP:')


def test_check_with_an_unreachable_database(settings_env, tmp_path) -> None:
    done = subprocess.run([sys.executable, '-m', 'portal', 'check'], cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=60, env={**_env(), 'DATABASE_URL': f'postgresql://nobody@127.0.0.1:{_closed_port()}/x'})
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith('FAIL  database:') and lines[1] == \
        'FAIL  migrations: not checked: the database check failed'


def _closed_port() -> int:
    from tests.support.server import free_port

    return free_port()  # nothing listens there once the probe socket is closed



def test_check_reaches_a_real_smtp_server(demo: str, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.smtp import SmtpTestServer

    server = SmtpTestServer()
    server.start()
    try:
        monkeypatch.setenv('SMTP_HOST', server.host)
        monkeypatch.setenv('SMTP_PORT', str(server.port))
        monkeypatch.setenv('SMTP_SECURITY', 'none')
        code, out, _ = _run(capsys, 'check')
    finally:
        server.stop()
    assert code == 0, out
    assert f'ok    SMTP: reachable at 127.0.0.1:{server.port} (none)' in out
    assert server.received == []  # greeted and left: nothing was sent
