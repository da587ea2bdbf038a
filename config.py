"""Settings read once from the environment (and `.env` when present).

Every setting is documented in `.env.example`. A wrong value stops start-up with one line that names the setting
(`ConfigError`), so an operator never has to read a stack trace to find a typo.
"""
from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent
SIGN_IN_MODES = ('test-idp', 'suomifi-test', 'production')
SMTP_SECURITY_MODES = ('starttls', 'tls', 'none')
LEVELS_OF_ASSURANCE = ('loa2', 'loa3')


class ConfigError(ValueError):
    """A setting is missing or has a value the portal cannot use."""


@dataclass(frozen=True)
class Settings:
    port: int
    host: str
    base_url: str
    data_dir: Path
    database_url: str
    storage_secret: str
    identity_hash_key: str
    brand_name: str
    default_region: str
    sign_in_mode: str
    saml_idp_metadata: Path | None
    saml_level_of_assurance: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_username: str
    smtp_password: str = field(repr=False)
    mail_from: str
    demo_data: bool
    session_idle_minutes: int
    attachment_max_file_mb: int
    attachment_max_request_mb: int
    attachment_types: tuple[str, ...]
    kiosk_mode: bool
    log_level: str
    kiosk_idle_seconds: int = 180
    draft_retention_days: int = 180
    resolved_retention_days: int = 3650
    trusted_proxies: str = '127.0.0.1'

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith('https://')

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith('sqlite')


def _read_int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, '').strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f'{name} must be a whole number from {low} to {high} (got {raw!r})') from None
    if not low <= value <= high:
        raise ConfigError(f'{name} must be a whole number from {low} to {high} (got {raw!r})')
    return value


def _read_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, '').strip().lower()
    if not raw:
        return default
    if raw in ('1', 'true', 'yes', 'on'):
        return True
    if raw in ('0', 'false', 'no', 'off'):
        return False
    raise ConfigError(f'{name} must be true or false (got {raw!r})')


def _read_choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, '').strip().lower() or default
    if raw not in choices:
        raise ConfigError(f'{name} must be one of {", ".join(choices)} (got {raw!r})')
    return raw


def _secret_from_env_or_file(env: Mapping[str, str], name: str, data_dir: Path, filename: str) -> str:
    """A secret comes from the environment; without one it is generated once and kept in the data folder."""
    value = env.get(name, '').strip()
    if value:
        if len(value) < 16:
            raise ConfigError(f'{name} must be at least 16 characters long')
        return value
    path = data_dir / filename
    if path.exists():
        return path.read_text(encoding='utf-8').strip()
    value = secrets.token_urlsafe(48)
    path.write_text(value, encoding='utf-8')
    path.chmod(0o600)
    return value


def _normalise_database_url(url: str) -> str:
    if url.startswith('postgres://'):
        url = 'postgresql://' + url.removeprefix('postgres://')
    if url.startswith('postgresql://'):
        url = 'postgresql+psycopg://' + url.removeprefix('postgresql://')
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from `env` (default: the process environment after reading `.env`)."""
    if env is None:
        if not os.environ.get('PORTAL_IGNORE_DOTENV'):  # tests must not pick up a developer's .env
            load_dotenv(PROJECT_DIR / '.env', override=False)
        env = os.environ

    port = _read_int(env, 'PORT', 8080, 1, 65535)
    host = env.get('HOST', '').strip() or '127.0.0.1'
    base_url = (env.get('BASE_URL', '').strip() or f'http://localhost:{port}').rstrip('/')
    if not base_url.startswith(('http://', 'https://')):
        raise ConfigError(f'BASE_URL must start with http:// or https:// (got {base_url!r})')

    data_dir = Path(env.get('DATA_DIR', '').strip() or PROJECT_DIR / 'data').resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f'DATA_DIR {str(data_dir)!r} cannot be created: {error.strerror}') from None

    default_database = f'sqlite:///{data_dir / "portal.db"}'
    database_url = _normalise_database_url(env.get('DATABASE_URL', '').strip() or default_database)
    if not database_url.startswith(('sqlite:///', 'postgresql+psycopg://')):
        scheme = database_url.split(':')[0]
        raise ConfigError(f'DATABASE_URL must be an sqlite:/// or postgresql:// URL (got {scheme!r})')

    sign_in_mode = _read_choice(env, 'SIGN_IN_MODE', 'test-idp', SIGN_IN_MODES)
    metadata_raw = env.get('SAML_IDP_METADATA', '').strip()
    saml_idp_metadata = Path(metadata_raw).resolve() if metadata_raw else None
    if sign_in_mode != 'test-idp':
        if saml_idp_metadata is None:
            raise ConfigError(f'SAML_IDP_METADATA must name the IdP metadata file when SIGN_IN_MODE is {sign_in_mode}')
        if not saml_idp_metadata.is_file():
            raise ConfigError(f'SAML_IDP_METADATA file {str(saml_idp_metadata)!r} does not exist')

    smtp_security = _read_choice(env, 'SMTP_SECURITY', 'starttls', SMTP_SECURITY_MODES)
    attachment_types = tuple(
        kind.strip().lower() for kind in (env.get('ATTACHMENT_TYPES', '') or 'pdf,jpg,png,txt,docx,xlsx').split(',')
        if kind.strip()
    )
    log_level = env.get('LOG_LEVEL', '').strip().upper() or 'INFO'
    if log_level not in ('DEBUG', 'INFO', 'WARNING', 'ERROR'):
        raise ConfigError(f'LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR (got {log_level!r})')

    return Settings(
        port=port,
        host=host,
        base_url=base_url,
        data_dir=data_dir,
        database_url=database_url,
        storage_secret=_secret_from_env_or_file(env, 'STORAGE_SECRET', data_dir, 'storage_secret'),
        identity_hash_key=_secret_from_env_or_file(env, 'IDENTITY_HASH_KEY', data_dir, 'identity_hash_key'),
        brand_name=env.get('BRAND_NAME', '').strip() or 'MONETRA',
        default_region=env.get('DEFAULT_REGION', '').strip() or 'Keski-Suomi',
        sign_in_mode=sign_in_mode,
        saml_idp_metadata=saml_idp_metadata,
        saml_level_of_assurance=_read_choice(env, 'SAML_LEVEL_OF_ASSURANCE', 'loa3', LEVELS_OF_ASSURANCE),
        smtp_host=env.get('SMTP_HOST', '').strip(),
        smtp_port=_read_int(env, 'SMTP_PORT', 587 if smtp_security == 'starttls' else 465 if smtp_security == 'tls'
                            else 25, 1, 65535),
        smtp_security=smtp_security,
        smtp_username=env.get('SMTP_USERNAME', '').strip(),
        smtp_password=env.get('SMTP_PASSWORD', ''),
        mail_from=env.get('MAIL_FROM', '').strip() or 'asiakaspalvelu@localhost',
        demo_data=_read_bool(env, 'DEMO_DATA', False),
        session_idle_minutes=_read_int(env, 'SESSION_IDLE_MINUTES', 15, 1, 24 * 60),
        attachment_max_file_mb=_read_int(env, 'ATTACHMENT_MAX_FILE_MB', 10, 1, 100),
        attachment_max_request_mb=_read_int(env, 'ATTACHMENT_MAX_REQUEST_MB', 25, 1, 500),
        attachment_types=attachment_types,
        kiosk_mode=_read_bool(env, 'KIOSK_MODE', False),
        log_level=log_level,
        kiosk_idle_seconds=_read_int(env, 'KIOSK_IDLE_SECONDS', 180, 5, 3600),
        draft_retention_days=_read_int(env, 'DRAFT_RETENTION_DAYS', 180, 8, 3650),
        resolved_retention_days=_read_int(env, 'RESOLVED_RETENTION_DAYS', 3650, 30, 36500),
        trusted_proxies=env.get('TRUSTED_PROXIES', '').strip() or '127.0.0.1',
    )


_settings: Settings | None = None


def get_settings() -> Settings:
    """The settings of this process, loaded on first use."""
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def reload_settings() -> Settings:
    """Read the environment again (tests change it between runs of `main.py`)."""
    global _settings
    _settings = load_settings()
    return _settings


def load_settings_or_exit() -> Settings:
    try:
        return reload_settings()
    except ConfigError as error:
        print(f'Configuration error: {error}', file=sys.stderr)
        raise SystemExit(2) from None
