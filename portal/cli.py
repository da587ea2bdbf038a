"""The administrator's command line: `portal <command>` (or `python -m portal <command>`).

Every command reads the same settings as the portal (environment and `.env`), acts through the same services as the
pages (changes are audited as the user `cli:operator`), prints what it did in plain words and exits non-zero with one
line on stderr when it cannot.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from config import Settings, load_settings_or_exit

DESCRIPTION = """\
Look after a customer-service portal installation from the server's shell.

The commands read the same settings as the portal itself (the environment, then .env in the project folder), so run
them as the user the portal runs as, with its environment. For the systemd unit in deploy/ the README ("Running it
for real") gives an alias that does this with systemd-run.
"""
EPILOG = """\
examples:
  portal check                                  is everything in place? (non-zero exit if not)
  portal create-staff --role admin --username maija.paakayttaja --given-name Maija --surname Pääkäyttäjä \\
         --email maija@example.fi               asks for a password; prints the TOTP key and a QR code
  portal reset-totp kaisa.kasittelija           a lost authenticator: new key and QR code, the old one stops working
  portal unlock kaisa.kasittelija               lift a lockout after too many wrong passwords
  portal end-sessions 150585-958J               sign a person out everywhere (username, identity number or id:N)
  portal backup                                 database + keys into BACKUP_DIR, keep the newest BACKUP_KEEP
  portal restore /var/backups/portal/portal-backup-20261202-031500.tar.gz
"""


class CommandError(Exception):
    """What went wrong, in one line for the operator."""


def _fail(message: str) -> int:
    print(f'portal: {message}', file=sys.stderr)
    return 1


def _settings() -> Settings:
    return load_settings_or_exit()


def _prepared_database(settings: Settings) -> None:
    """Bring the schema to this version as a start would, so the commands work before the first start too."""
    from sqlalchemy.exc import OperationalError

    from models.db import migrate, startup_lock

    try:
        with startup_lock(settings.database_url):
            migrate(settings.database_url)
    except OperationalError as error:
        raise CommandError(f'cannot use DATABASE_URL ({str(error.orig).strip().splitlines()[0]})') from None


def _person(reference: str):
    from services.admin import find_person

    person = find_person(reference)
    if person is None:
        raise CommandError(f'no person matches {reference!r} (give a username, an identity number or id:N)')
    return person


def _print_totp(username: str, secret: str, uri: str) -> None:
    import qrcode

    print(f'TOTP key for {username}: {secret}')
    print('Scan this with the authenticator app, or type the key in. It is shown only now.')
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(uri)
    code.print_ascii(out=sys.stdout, invert=True)
    print(uri)


# --------------------------------------------------------------------------------------------------- commands

def cmd_create_staff(args: argparse.Namespace) -> int:
    from models import UserRole
    from services.admin import AdminInvalid, command_line_operator, create_staff_account

    settings = _settings()
    _prepared_database(settings)
    password = sys.stdin.readline().rstrip('\n') if args.password_stdin else _ask_password()
    try:
        created = create_staff_account(command_line_operator(), username=args.username, given_name=args.given_name,
                                       surname=args.surname, email=args.email, role=UserRole(args.role),
                                       password=password)
    except AdminInvalid as invalid:
        raise CommandError(' '.join(invalid.errors.values())) from None
    print(f'Created {args.role} {created.username} (id {created.user_id}).')
    _print_totp(created.username, created.totp_secret, created.otpauth_uri)
    return 0


def _ask_password() -> str:
    if not sys.stdin.isatty():
        raise CommandError('no terminal to ask the password on: pipe it in with --password-stdin')
    first = getpass.getpass('Password: ')
    if getpass.getpass('Password again: ') != first:
        raise CommandError('the two passwords differ')
    return first


def cmd_reset_totp(args: argparse.Namespace) -> int:
    from services.admin import command_line_operator, reset_staff_totp

    _prepared_database(_settings())
    person = _person(args.person)
    if not person.is_staff:
        raise CommandError(f'{args.person} is not a handler or admin: only staff sign in with TOTP')
    reset = reset_staff_totp(command_line_operator(), person.id)
    print(f'New TOTP key for {reset.username}; the old one no longer works.')
    _print_totp(reset.username, reset.totp_secret, reset.otpauth_uri)
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from auth.password_login import unlock_account

    _prepared_database(_settings())
    person = _person(args.person)
    lifted = unlock_account(person.id)
    print(f'Unlocked {person.username or f"id:{person.id}"}: {lifted} lock(s) lifted.' if lifted else
          f'{person.username or f"id:{person.id}"} was not locked; failure counts cleared.')
    return 0


def cmd_end_sessions(args: argparse.Namespace) -> int:
    from auth.session import end_sessions_of_user

    _prepared_database(_settings())
    person = _person(args.person)
    ended = end_sessions_of_user(person.id)
    who = person.username or f'id:{person.id}'
    print(f'Ended {ended} session(s) of {who}; their open pages go to the sign-in page at their next action.')
    return 0


SECRET_WORDS = ('secret', 'key', 'password', 'token')  # a setting named with one of these is never shown


def settings_lines(settings: Settings) -> list[str]:
    """`NAME = value` per setting as the portal reads it; secrets show only whether they are set, and where from."""
    import dataclasses
    import os
    import re

    lines = []
    for item in dataclasses.fields(settings):
        value = getattr(settings, item.name)
        name = item.name.upper()
        if any(word in item.name.split('_') for word in SECRET_WORDS) and not isinstance(value, Path | None):
            origin = 'environment' if os.environ.get(name) else f'DATA_DIR/{item.name}' \
                if (settings.data_dir / item.name).exists() else ''
            shown = f'******** (set{", from " + origin if origin else ""})' if value else '(not set)'
        elif item.name == 'database_url':
            shown = re.sub(r'://([^:/@]+):[^@]*@', r'://\1:********@', value)
        elif isinstance(value, tuple):
            shown = ','.join(value)
        else:
            shown = '' if value is None else str(value)
        lines.append(f'{name} = {shown}')
    return lines


def cmd_show_config(args: argparse.Namespace) -> int:
    for line in settings_lines(_settings()):
        print(line)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from portal.checks import run_checks

    results = run_checks(_settings())
    for result in results:
        print(result.line())
    return 0 if all(result.passed for result in results) else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from portal.backup import create_backup

    settings = _settings()
    result = create_backup(settings, Path(args.to) if args.to else None, args.keep)
    size = f'{result.size / 1024 / 1024:.1f} MiB' if result.size >= 1024 * 1024 else f'{result.size / 1024:.0f} KiB'
    print(f'Backup written: {result.archive} ({size})')
    for path in result.removed:
        print(f'Removed old backup: {path.name}')
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from portal.backup import restore_backup

    settings = _settings()
    result = restore_backup(settings, Path(args.archive), force=args.force)
    print(f'Restored the backup of {result.created_at} ({result.database_kind}, schema {result.revision}) and '
          f'{result.files} file(s) into {settings.data_dir}. Start the portal: it migrates the schema if needed.')
    for warning in result.warnings:
        print(f'warning: {warning}', file=sys.stderr)
    return 0


# ------------------------------------------------------------------------------------------------------ parser

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='portal', description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', metavar='command', required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int], summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        sub.set_defaults(handler=handler)
        return sub

    person_help = 'the person: a username, an identity number (looked up by its hash) or id:N'
    sub = command('create-staff', cmd_create_staff, 'Create a handler or admin account with a password and TOTP.')
    sub.add_argument('--role', choices=('handler', 'admin'), required=True, help='handler or admin')
    sub.add_argument('--username', required=True, help='3-63 characters: a-z, 0-9 and . _ -')
    sub.add_argument('--given-name', required=True)
    sub.add_argument('--surname', required=True)
    sub.add_argument('--email', required=True)
    sub.add_argument('--password-stdin', action='store_true',
                     help='read the password from the first line of standard input instead of asking')
    command('reset-totp', cmd_reset_totp, 'Give a handler or admin a new TOTP key (lost phone); prints it and '
            'a QR code.').add_argument('person', help=person_help)
    command('unlock', cmd_unlock, 'Lift the lockout after too many wrong passwords or codes.').add_argument(
        'person', help=person_help)
    command('end-sessions', cmd_end_sessions, 'Sign a person out on every device at once.').add_argument(
        'person', help=person_help)
    command('show-config', cmd_show_config, 'Show the settings as the portal sees them, secrets masked.')
    command('check', cmd_check, 'Check the installation: database, migrations, SAML metadata, SMTP. One line '
            'each; exit status 1 if any fails.')
    sub = command('backup', cmd_backup, 'Back up the database and DATA_DIR\'s keys into one dated archive, while '
                  'the portal runs.')
    sub.add_argument('--to', metavar='FOLDER', help='where to write it (default: BACKUP_DIR)')
    sub.add_argument('--keep', type=int, metavar='N', help='keep the newest N archives there (default: BACKUP_KEEP)')
    sub = command('restore', cmd_restore, 'Restore an archive into an empty installation (stop the portal first).')
    sub.add_argument('archive', help='the .tar.gz written by "portal backup"')
    sub.add_argument('--force', action='store_true',
                     help='replace the contents of a database that is not empty (everything in it is lost)')
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from locales import using_language
    from portal.backup import BackupError

    args = build_parser().parse_args(argv)
    try:
        with using_language('en'):  # the services' messages in the language of this help
            return args.handler(args)
    except (CommandError, BackupError) as error:
        return _fail(str(error))
    except LookupError as error:
        return _fail(f'not found: {error}')
    except KeyboardInterrupt:
        return _fail('interrupted')
