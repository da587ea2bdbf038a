"""Settings read once from the environment (and `.env` when present).

Every setting is documented in `.env.example`. A wrong value stops start-up with one line that names the setting
(`ConfigError`), so an operator never has to read a stack trace to find a typo.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent
SIGN_IN_MODES = ('test-idp', 'suomifi-test', 'production')
SMTP_SECURITY_MODES = ('starttls', 'tls', 'none')
LOG_FORMATS = ('text', 'json')
LEVELS_OF_ASSURANCE = ('loa2', 'loa3')
# Signature algorithms a SAML message may be signed with (SHA-256 or stronger only); the setting names a subset.
SIGNATURE_ALGORITHMS = {
    'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'rsa-sha384': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
    'rsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
}
# The explicit opt-in for a demo or kiosk installation on a LAN: the test IdP signs anyone in as any identity number,
# and the demo accounts' passwords and TOTP secret are published in the README.
ALLOW_INSECURE_DEMO_SETTING = 'ALLOW_INSECURE_DEMO_ON_NETWORK'


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
    saml_sp_entity_id: str = ''
    saml_idp_metadata_url: str = ''
    saml_idp_metadata_signing_cert: Path | None = None
    saml_idp_metadata_refresh_hours: int = 6
    saml_signing_key: Path | None = None
    saml_signing_cert: Path | None = None
    saml_encryption_key: Path | None = None
    saml_encryption_cert: Path | None = None
    saml_signature_algorithms: tuple[str, ...] = (SIGNATURE_ALGORITHMS['rsa-sha256'],)
    saml_organization_name: str = ''
    saml_organization_url: str = ''
    saml_technical_contact: tuple[str, str] = ('', '')  # (name, email)
    saml_support_contact: tuple[str, str] = ('', '')
    log_format: str = 'text'
    metrics_token: str = field(default='', repr=False)
    metrics_port: int = 0
    backup_dir: Path = Path('backups')
    backup_keep: int = 14
    allow_insecure_demo_on_network: bool = False
    attachment_max_count: int = 20
    totp_encryption_key: str = field(default='', repr=False)
    # Seconds: a database that stops answering must fail a page quickly instead of freezing the instance.
    database_connect_timeout: int = 3
    database_statement_timeout: int = 10

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


def is_loopback_host(host: str) -> bool:
    """Whether a URL's host can only be reached from this machine (by its literal form; no DNS lookup)."""
    host = host.strip('[]').lower().rstrip('.')
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse_demo_on_network(env: Mapping[str, str], base_url: str, sign_in_mode: str, demo_data: bool) -> bool:
    """Refuse the test IdP and demo data at a non-loopback BASE_URL unless the opt-in is set; returns the opt-in."""
    allowed = _read_bool(env, ALLOW_INSECURE_DEMO_SETTING, False)
    unsafe = [what for what, on in (('SIGN_IN_MODE=test-idp lets anyone sign in as anyone', sign_in_mode == 'test-idp'),
                                    ('DEMO_DATA=true loads accounts with published passwords', demo_data)) if on]
    host = urlsplit(base_url).hostname or ''
    if unsafe and not allowed and not is_loopback_host(host):
        raise ConfigError(f'BASE_URL {base_url!r} is not on this machine, but {" and ".join(unsafe)}; turn them off, '
                          f'or set {ALLOW_INSECURE_DEMO_SETTING}=true for a demo on a network')
    return allowed


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
    if sign_in_mode == 'production' and not base_url.startswith('https://'):
        raise ConfigError(f'BASE_URL must be an https:// address when SIGN_IN_MODE is production (got {base_url!r})')
    saml = _read_saml_settings(env, sign_in_mode, base_url, _read_mail_from(env))

    smtp_security = _read_choice(env, 'SMTP_SECURITY', 'starttls', SMTP_SECURITY_MODES)
    attachment_types = tuple(
        kind.strip().lower() for kind in (env.get('ATTACHMENT_TYPES', '') or 'pdf,jpg,png,txt,docx,xlsx').split(',')
        if kind.strip()
    )
    demo_data = _read_bool(env, 'DEMO_DATA', False)
    allow_insecure_demo = _refuse_demo_on_network(env, base_url, sign_in_mode, demo_data)
    log_level = env.get('LOG_LEVEL', '').strip().upper() or 'INFO'
    if log_level not in ('DEBUG', 'INFO', 'WARNING', 'ERROR'):
        raise ConfigError(f'LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR (got {log_level!r})')

    metrics_token = env.get('METRICS_TOKEN', '').strip()
    if metrics_token and len(metrics_token) < 16:
        raise ConfigError('METRICS_TOKEN must be at least 16 characters long')
    backup_raw = env.get('BACKUP_DIR', '').strip()

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
        saml_level_of_assurance=_read_choice(env, 'SAML_LEVEL_OF_ASSURANCE', 'loa3', LEVELS_OF_ASSURANCE),
        smtp_host=env.get('SMTP_HOST', '').strip(),
        smtp_port=_read_int(env, 'SMTP_PORT', 587 if smtp_security == 'starttls' else 465 if smtp_security == 'tls'
                            else 25, 1, 65535),
        smtp_security=smtp_security,
        smtp_username=env.get('SMTP_USERNAME', '').strip(),
        smtp_password=env.get('SMTP_PASSWORD', ''),
        mail_from=_read_mail_from(env),
        demo_data=demo_data,
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
        **saml,
        log_format=_read_choice(env, 'LOG_FORMAT', 'text', LOG_FORMATS),
        metrics_token=metrics_token,
        metrics_port=_read_int(env, 'METRICS_PORT', 0, 0, 65535),
        backup_dir=Path(backup_raw).resolve() if backup_raw else data_dir / 'backups',
        backup_keep=_read_int(env, 'BACKUP_KEEP', 14, 1, 1000),
        allow_insecure_demo_on_network=allow_insecure_demo,
        attachment_max_count=_read_int(env, 'ATTACHMENT_MAX_COUNT', 20, 1, 1000),
        totp_encryption_key=_secret_from_env_or_file(env, 'TOTP_ENCRYPTION_KEY', data_dir, 'totp_encryption_key'),
        # libpq takes no connect timeout below 2 s.
        database_connect_timeout=_read_int(env, 'DATABASE_CONNECT_TIMEOUT', 3, 2, 60),
        database_statement_timeout=_read_int(env, 'DATABASE_STATEMENT_TIMEOUT', 10, 1, 3600),
    )


def _read_mail_from(env: Mapping[str, str]) -> str:
    return env.get('MAIL_FROM', '').strip() or 'asiakaspalvelu@localhost'


def _read_path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, '').strip()
    if not raw:
        return None
    path = Path(raw).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(f'{name} file {str(path)!r} does not exist')
    return path


def _read_contact(env: Mapping[str, str], name: str, default: tuple[str, str]) -> tuple[str, str]:
    """A contact as 'Name <address>' (or only an address)."""
    raw = env.get(name, '').strip()
    if not raw:
        return default
    contact_name, address = parseaddr(raw)
    if '@' not in address:
        raise ConfigError(f'{name} must be "Name <email address>" (got {raw!r})')
    return contact_name, address


def _read_saml_settings(env: Mapping[str, str], mode: str, base_url: str, mail_from: str) -> dict:
    """SAML service-provider settings. The test modes fill gaps with defaults (keys are generated into DATA_DIR);
    production refuses to start without each setting Suomi.fi registers, so nothing changes by accident."""
    production = mode == 'production'
    metadata_raw = env.get('SAML_IDP_METADATA', '').strip()
    metadata_file, metadata_url = None, ''
    if metadata_raw.startswith('https://'):
        metadata_url = metadata_raw
    elif metadata_raw.startswith('http://'):
        raise ConfigError('SAML_IDP_METADATA must be a file or an https:// address (metadata over http could be '
                          'altered on the way)')
    elif metadata_raw:
        metadata_file = _read_path(env, 'SAML_IDP_METADATA')
    elif mode != 'test-idp':
        raise ConfigError(f'SAML_IDP_METADATA must name the IdP metadata file or https address when SIGN_IN_MODE '
                          f'is {mode}')
    signing_cert = _read_path(env, 'SAML_IDP_METADATA_SIGNING_CERT')
    if production and signing_cert is None:
        raise ConfigError('SAML_IDP_METADATA_SIGNING_CERT must name the certificate that signs the IdP metadata '
                          'when SIGN_IN_MODE is production')

    entity_id = env.get('SAML_SP_ENTITY_ID', '').strip()
    if production and not entity_id:
        raise ConfigError('SAML_SP_ENTITY_ID must be set when SIGN_IN_MODE is production (the entityID registered '
                          'at Suomi.fi; it must not follow BASE_URL)')
    keys = {name: _read_path(env, name) for name in
            ('SAML_SIGNING_KEY', 'SAML_SIGNING_CERT', 'SAML_ENCRYPTION_KEY', 'SAML_ENCRYPTION_CERT')}
    for pair in (('SAML_SIGNING_KEY', 'SAML_SIGNING_CERT'), ('SAML_ENCRYPTION_KEY', 'SAML_ENCRYPTION_CERT')):
        given = [name for name in pair if keys[name]]
        if (production and len(given) < 2) or len(given) == 1:
            missing = ' and '.join(name for name in pair if not keys[name])
            raise ConfigError(f'{missing} must be set{" when SIGN_IN_MODE is production" if production else ""} '
                              f'(a key and its certificate go together)')
        key, certificate = keys[pair[0]], keys[pair[1]]
        if key and certificate:
            from auth.saml_keys import check_key_and_certificate

            problem = check_key_and_certificate(key, certificate, require_ca_issued=production)
            if problem:
                raise ConfigError(f'{pair[1]}: {problem}')

    algorithms_raw = env.get('SAML_SIGNATURE_ALGORITHMS', '').strip().lower() or 'rsa-sha256,rsa-sha384,rsa-sha512'
    algorithms = tuple(name.strip() for name in algorithms_raw.split(',') if name.strip())
    unknown = [name for name in algorithms if name not in SIGNATURE_ALGORITHMS]
    if unknown or not algorithms:
        raise ConfigError(f'SAML_SIGNATURE_ALGORITHMS must list some of {", ".join(SIGNATURE_ALGORITHMS)} '
                          f'(got {algorithms_raw!r})')

    organisation = env.get('SAML_ORGANIZATION_NAME', '').strip()
    technical = _read_contact(env, 'SAML_TECHNICAL_CONTACT', ('', mail_from))
    support = _read_contact(env, 'SAML_SUPPORT_CONTACT', ('', mail_from))
    if production:
        for name in ('SAML_ORGANIZATION_NAME', 'SAML_TECHNICAL_CONTACT', 'SAML_SUPPORT_CONTACT'):
            if not env.get(name, '').strip():
                raise ConfigError(f'{name} must be set when SIGN_IN_MODE is production (it goes into the SP metadata)')
    return {
        'saml_idp_metadata': metadata_file,
        'saml_idp_metadata_url': metadata_url,
        'saml_idp_metadata_signing_cert': signing_cert,
        'saml_idp_metadata_refresh_hours': _read_int(env, 'SAML_IDP_METADATA_REFRESH_HOURS', 6, 1, 24 * 7),
        'saml_sp_entity_id': entity_id or f'{base_url}/saml/metadata',
        'saml_signing_key': keys['SAML_SIGNING_KEY'],
        'saml_signing_cert': keys['SAML_SIGNING_CERT'],
        'saml_encryption_key': keys['SAML_ENCRYPTION_KEY'],
        'saml_encryption_cert': keys['SAML_ENCRYPTION_CERT'],
        'saml_signature_algorithms': tuple(SIGNATURE_ALGORITHMS[name] for name in algorithms),
        'saml_organization_name': organisation or env.get('BRAND_NAME', '').strip() or 'MONETRA',
        'saml_organization_url': env.get('SAML_ORGANIZATION_URL', '').strip() or base_url,
        'saml_technical_contact': technical,
        'saml_support_contact': support,
    }


_settings: Settings | None = None


def get_settings() -> Settings:
    """The settings of this process, loaded on first use."""
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def loaded_settings() -> Settings | None:
    """The settings if this process has loaded them (code given a database URL need not load them)."""
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
