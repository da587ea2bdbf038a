"""Fixtures shared by the domain tests: the demo installation, and for the SAML tests real keys (made once per run)
and the bundled test IdP."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

import config
from auth.test_idp import TestIdentityProvider
from models import User
from models.db import session_scope


@pytest.fixture(scope='session')
def key_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keys made once for the run (3072-bit RSA takes a moment); each test copies them into its own data folder."""
    from auth.saml_keys import ensure_keypair

    folder = tmp_path_factory.mktemp('saml-keys')
    for name in ('sp-signing', 'sp-encryption', 'test-idp', 'rogue-idp'):
        ensure_keypair(folder, name, name)
    return folder


@pytest.fixture
def idp(database: str, key_folder: Path) -> Iterator[TestIdentityProvider]:
    settings = config.get_settings()
    shutil.copytree(key_folder, settings.data_dir / 'saml', dirs_exist_ok=True)
    yield TestIdentityProvider.for_settings(settings)


@pytest.fixture
def demo(database: str) -> dict[str, User]:
    """The demo installation loaded into the test's database: its users by username."""
    from services.catalogue import sync_services
    from services.demo_data import load_demo_data

    sync_services()
    load_demo_data()
    with session_scope() as db:
        # Users without a username (signed in only through Suomi.fi) have no key here.
        return {user.username: user for user in db.exec(select(User)).all() if user.username is not None}
