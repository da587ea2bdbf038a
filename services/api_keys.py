"""API keys of the centre's back-office systems, and the system user each one acts as.

A key is shown once when it is created (`python -m services.api_keys create <name>`); only its SHA-256 hash is
stored, with a short public prefix to find the row. The key itself carries 256 random bits, so a fast hash is as
safe as a slow one here (nobody can guess the input) and checking it costs microseconds on every API call.

Each client acts in the handling services as its own system user (`api:<name>`, role handler, no password, so it
can never sign in through the pages), which is what the audit log names as the actor.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass

from sqlmodel import select

from models import ApiClient, User, UserRole, utcnow
from models.db import session_scope

KEY_PREFIX = 'ak_'
_PREFIX_CHARS = 8


class ApiKeyError(ValueError):
    """A client cannot be created or changed as asked."""


@dataclass(frozen=True)
class CreatedKey:
    name: str
    key: str  # shown once, never stored


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode('utf-8')).hexdigest()


def system_username(name: str) -> str:
    return f'api:{name}'


def create_client(name: str) -> CreatedKey:
    """A new client with a fresh key and its system user."""
    name = name.strip()
    if not name or len(name) > 100 or not name.replace('-', '').replace('_', '').isalnum():
        raise ApiKeyError('The name must be 1–100 letters, digits, "-" or "_".')
    prefix = secrets.token_hex(_PREFIX_CHARS // 2)
    key = f'{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}'
    with session_scope() as db:
        if db.exec(select(ApiClient).where(ApiClient.name == name)).first() is not None:
            raise ApiKeyError(f'A client named {name!r} exists already; revoke it or choose another name.')
        db.add(ApiClient(name=name, key_prefix=prefix, key_hash=_hash(key)))
        user = db.exec(select(User).where(User.username == system_username(name))).first()
        if user is None:
            user = User(username=system_username(name), role=UserRole.HANDLER, display_name=f'{name} (API)',
                        registered_at=utcnow())
        user.active = True
        db.add(user)
    return CreatedKey(name=name, key=key)


def authenticate(key: str | None) -> User | None:
    """The system user of the active client whose key this is, else None."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    prefix = key[len(KEY_PREFIX):len(KEY_PREFIX) + _PREFIX_CHARS]
    digest = _hash(key)
    with session_scope() as db:
        for client in db.exec(select(ApiClient).where(ApiClient.key_prefix == prefix, ApiClient.active)).all():
            if hmac.compare_digest(client.key_hash, digest):
                user = db.exec(select(User).where(User.username == system_username(client.name))).first()
                return user if user is not None and user.active else None
    return None


def revoke_client(name: str) -> None:
    with session_scope() as db:
        client = db.exec(select(ApiClient).where(ApiClient.name == name)).first()
        if client is None:
            raise ApiKeyError(f'No client named {name!r}.')
        db.delete(client)  # the name may be used again; its system user stays for the audit log, inactive
        user = db.exec(select(User).where(User.username == system_username(name))).first()
        if user is not None:
            user.active = False
            db.add(user)


def list_clients() -> list[tuple[str, str, bool]]:
    with session_scope() as db:
        return [(c.name, KEY_PREFIX + c.key_prefix, c.active)
                for c in db.exec(select(ApiClient).order_by(ApiClient.name)).all()]


def main(argv: list[str] | None = None) -> int:
    from config import load_settings_or_exit
    from models.db import migrate

    parser = argparse.ArgumentParser(prog='python -m services.api_keys', description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser('create', help='create a client and print its key once').add_argument('name')
    commands.add_parser('revoke', help='remove a client; its key stops working').add_argument('name')
    commands.add_parser('list', help='list clients and their key prefixes')
    args = parser.parse_args(argv)
    load_settings_or_exit()
    migrate()
    try:
        if args.command == 'create':
            created = create_client(args.name)
            print(created.key)
            print(f'API key of {created.name!r}: shown only now, store it in the system\'s secrets.', file=sys.stderr)
        elif args.command == 'revoke':
            revoke_client(args.name)
            print(f'Revoked {args.name!r}.', file=sys.stderr)
        else:
            for name, prefix, active in list_clients():
                print(f'{name}\t{prefix}…\t{"active" if active else "inactive"}')
    except ApiKeyError as error:
        print(f'Error: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
