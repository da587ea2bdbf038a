"""Settings: defaults, secrets kept in the data folder, and one clear line for a wrong value."""
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_settings

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_defaults_give_a_working_demo_installation(tmp_path: Path) -> None:
    settings = load_settings({'DATA_DIR': str(tmp_path)})
    assert settings.port == 8080
    assert settings.base_url == 'http://localhost:8080'
    assert settings.database_url == f'sqlite:///{tmp_path / "portal.db"}'
    assert settings.brand_name == 'MONETRA'
    assert settings.default_region == 'Keski-Suomi'
    assert settings.sign_in_mode == 'test-idp'
    assert not settings.secure_cookies


def test_storage_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings({'DATA_DIR': str(tmp_path)})
    second = load_settings({'DATA_DIR': str(tmp_path)})
    assert len(first.storage_secret) >= 32
    assert first.storage_secret == second.storage_secret
    assert (tmp_path / 'storage_secret').stat().st_mode & 0o077 == 0
    assert load_settings({'DATA_DIR': str(tmp_path), 'STORAGE_SECRET': 'x' * 20}).storage_secret == 'x' * 20


def test_postgres_urls_use_psycopg(tmp_path: Path) -> None:
    settings = load_settings({'DATA_DIR': str(tmp_path), 'DATABASE_URL': 'postgres://u@h/db'})
    assert settings.database_url == 'postgresql+psycopg://u@h/db'


@pytest.mark.parametrize(('env', 'named'), [
    ({'PORT': 'abc'}, 'PORT'),
    ({'PORT': '70000'}, 'PORT'),
    ({'BASE_URL': 'localhost:8080'}, 'BASE_URL'),
    ({'DATABASE_URL': 'mysql://x'}, 'DATABASE_URL'),
    ({'SIGN_IN_MODE': 'magic'}, 'SIGN_IN_MODE'),
    ({'SIGN_IN_MODE': 'production'}, 'BASE_URL'),
    ({'SIGN_IN_MODE': 'production', 'BASE_URL': 'https://portaali.example.fi'}, 'SAML_IDP_METADATA'),
    ({'SMTP_SECURITY': 'ssl3'}, 'SMTP_SECURITY'),
    ({'DEMO_DATA': 'maybe'}, 'DEMO_DATA'),
    ({'STORAGE_SECRET': 'short'}, 'STORAGE_SECRET'),
])
def test_a_wrong_setting_is_named(tmp_path: Path, env: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings({'DATA_DIR': str(tmp_path), **env})


def test_start_up_stops_with_one_line_naming_the_setting(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, 'main.py'], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60,
                            env={'PATH': '/usr/bin:/bin', 'DATA_DIR': str(tmp_path), 'PORT': 'eighty'})
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: PORT must be a whole number from 1 to 65535 (got 'eighty')"


def test_database_timeouts_have_short_defaults_and_are_checked(tmp_path: Path) -> None:
    settings = load_settings({'DATA_DIR': str(tmp_path)})
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (3, 10)
    settings = load_settings({'DATA_DIR': str(tmp_path), 'DATABASE_CONNECT_TIMEOUT': '5',
                              'DATABASE_STATEMENT_TIMEOUT': '30'})
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (5, 30)
    for name, value in (('DATABASE_CONNECT_TIMEOUT', '1'), ('DATABASE_STATEMENT_TIMEOUT', 'soon')):
        with pytest.raises(ConfigError, match=name):
            load_settings({'DATA_DIR': str(tmp_path), name: value})
