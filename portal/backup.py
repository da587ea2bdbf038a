"""Backups the portal can be restored from: the database and DATA_DIR's keys and secrets in one dated archive.

A backup is taken while the portal serves: SQLite through its online backup API (a consistent copy even while
requests are being written), PostgreSQL with `pg_dump` (one snapshot transaction). The archive also carries the
secrets as the portal uses them — the identity hash key (without it nobody is recognised at the next Suomi.fi
sign-in), the session secret, the SAML keys and whatever else lives in DATA_DIR — so it is itself secret: it is
written readable by its owner only.

Archive layout (`portal-backup-YYYYMMDD-HHMMSS.tar.gz`):
    manifest.json           when, which database kind, schema revision, file list
    database.sqlite3        SQLite copy   — or —   database.pgdump   pg_dump custom format
    data/…                  DATA_DIR without the database file, logs and the backups folder
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from config import Settings

ARCHIVE_PATTERN = re.compile(r'^portal-backup-\d{8}-\d{6}(-\d+)?\.tar\.gz$')
FORMAT_VERSION = 1
_SKIPPED_SUFFIXES = ('.log', '-wal', '-shm', '-journal')


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says why in one line."""


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    size: int
    removed: list[Path]


@dataclass(frozen=True)
class RestoreResult:
    database_kind: str
    revision: str | None
    files: int
    created_at: str
    warnings: list[str]


def generated_secrets(settings: Settings) -> dict[str, str]:
    """The secrets config.py takes from the environment or else from a file of the same name in DATA_DIR
    (`STORAGE_SECRET` → DATA_DIR/storage_secret, `IDENTITY_HASH_KEY`, any later `…_KEY`/`…_SECRET`): the archive
    holds the values in effect, so it is complete even when they come from the environment."""
    return {item.name: value for item in dataclasses.fields(settings)
            if item.name.endswith(('_secret', '_key')) and isinstance(value := getattr(settings, item.name), str)
            and value}


def external_key_files(settings: Settings) -> dict[str, Path]:
    """Key and certificate files named in the settings (SAML_SIGNING_KEY …) that live outside DATA_DIR."""
    found = {}
    for item in dataclasses.fields(settings):
        path = getattr(settings, item.name)
        if (item.name.endswith(('_key', '_cert')) and isinstance(path, Path) and path.is_file()
                and settings.data_dir.resolve() not in path.resolve().parents):
            found[item.name] = path.resolve()
    return found


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix('sqlite:///'))


def _libpq_url(settings: Settings) -> str:
    return settings.database_url.replace('postgresql+psycopg://', 'postgresql://', 1)


def _schema_revision(settings: Settings) -> str | None:
    from models.db import get_engine

    with get_engine(settings.database_url).connect() as connection:
        if not inspect(connection).has_table('alembic_version'):
            return None
        return connection.execute(text('SELECT version_num FROM alembic_version')).scalar()


def _major(version_text: str) -> int:
    found = re.search(r'(\d+)(?:\.\d+)?', version_text)
    if found is None:
        raise BackupError(f'cannot read a version number from {version_text!r}')
    return int(found.group(1))


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    except FileNotFoundError:
        raise BackupError(f'{command[0]} is not installed (Debian: apt-get install postgresql-client)') from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ['no message'])[-1]
        raise BackupError(f'{what} failed: {last}')
    return done.stdout


def check_pg_tools(settings: Settings) -> str:
    """pg_dump must be at least as new as the server (an older one refuses or writes an incomplete dump)."""
    from models.db import get_engine

    client = _run(['pg_dump', '--version'], 'pg_dump --version')
    with get_engine(settings.database_url).connect() as connection:
        server = str(connection.execute(text('SHOW server_version')).scalar())
    if _major(client) < _major(server):
        raise BackupError(f'pg_dump is older than the server ({client.strip()} against server {server}); '
                          'install the postgresql-client of the server\'s major version')
    return f'{client.strip()}, server {server}'


def _data_files(settings: Settings) -> list[Path]:
    """DATA_DIR's files worth keeping: keys and secrets, not the live database, logs or earlier backups."""
    skipped = {settings.backup_dir.resolve()}
    if settings.is_sqlite:
        skipped.add(_sqlite_path(settings).resolve())
    files = []
    for path in sorted(settings.data_dir.rglob('*')):
        resolved = path.resolve()
        if not path.is_file() or path.is_symlink() or any(resolved == s or s in resolved.parents for s in skipped):
            continue
        if path.name.endswith(_SKIPPED_SUFFIXES) or path.name.startswith('.'):
            continue
        files.append(path)
    return files


def _archive_name(now: datetime, folder: Path) -> Path:
    base = f'portal-backup-{now:%Y%m%d-%H%M%S}'
    candidate, counter = folder / f'{base}.tar.gz', 1
    while candidate.exists():  # two backups in one second must not overwrite each other
        candidate, counter = folder / f'{base}-{counter}.tar.gz', counter + 1
    return candidate


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _copy_sqlite(source_path: Path, target_path: Path) -> None:
    """SQLite's online backup in one step: one read transaction gives one consistent snapshot, and in WAL mode the
    portal's writers go on meanwhile (copying in steps would start again after every write they make)."""
    source, target = sqlite3.connect(source_path, timeout=30), sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _dump_database(settings: Settings, folder: Path) -> Path:
    if settings.is_sqlite:
        source_path = _sqlite_path(settings)
        if not source_path.is_file():
            raise BackupError(f'the database file {source_path} does not exist')
        target_path = folder / 'database.sqlite3'
        _copy_sqlite(source_path, target_path)
        return target_path
    check_pg_tools(settings)
    target_path = folder / 'database.pgdump'
    _run(['pg_dump', '--format=custom', '--no-owner', '--no-privileges', f'--file={target_path}',
          f'--dbname={_libpq_url(settings)}'], 'pg_dump')
    return target_path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `folder` (only files named like ours)."""
    archives = sorted((p for p in folder.glob('portal-backup-*.tar.gz') if ARCHIVE_PATTERN.match(p.name)),
                      key=lambda p: p.name)
    removed = archives[:-keep] if keep > 0 else archives
    for path in removed:
        path.unlink()
    return removed


def create_backup(settings: Settings, target_dir: Path | None = None, keep: int | None = None) -> BackupResult:
    """Write one archive into `target_dir` (default BACKUP_DIR) and keep the newest `keep` (default BACKUP_KEEP)."""
    target_dir = (target_dir or settings.backup_dir).resolve()
    keep = settings.backup_keep if keep is None else keep
    if keep < 1:
        raise BackupError('--keep must be at least 1')
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise BackupError(f'cannot create the backup folder {target_dir}: {error.strerror}') from None
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix='.portal-backup-', dir=target_dir) as work:
        work_dir = Path(work)
        dump = _dump_database(settings, work_dir)
        secrets_in_effect = generated_secrets(settings)
        # A file of a secret given in the environment is not the one in use: the value in effect goes in instead.
        files = [p for p in _data_files(settings) if str(p.relative_to(settings.data_dir)) not in secrets_in_effect]
        manifest = {
            'format': FORMAT_VERSION,
            'created_at': now.isoformat(timespec='seconds'),
            'database_kind': 'sqlite' if settings.is_sqlite else 'postgresql',
            'database_file': dump.name,
            'schema_revision': _schema_revision(settings),
            'data_files': sorted([str(p.relative_to(settings.data_dir)) for p in files] + list(secrets_in_effect)),
            'external_files': {name: str(path) for name, path in external_key_files(settings).items()},
        }
        partial = work_dir / 'archive.tar.gz'
        with tarfile.open(partial, 'w:gz') as archive:
            _add_bytes(archive, 'manifest.json', json.dumps(manifest, indent=2).encode())
            archive.add(dump, dump.name)
            for path in files:
                archive.add(path, f'data/{path.relative_to(settings.data_dir)}')
            for filename, value in secrets_in_effect.items():
                _add_bytes(archive, f'data/{filename}', value.encode())
            for name, path in external_key_files(settings).items():
                archive.add(path, f'external/{name}')
        partial.chmod(0o600)
        final = _archive_name(now, target_dir)
        partial.rename(final)  # whole or not at all: a half-written archive never carries the final name
    removed = prune(target_dir, keep)
    return BackupResult(final, final.stat().st_size, removed)


# ------------------------------------------------------------------------------------------------------ restore

def database_is_empty(settings: Settings) -> bool:
    """No tables at all (a file that does not exist yet counts as empty)."""
    from models.db import get_engine

    if settings.is_sqlite and not _sqlite_path(settings).exists():
        return True
    with get_engine(settings.database_url).connect() as connection:
        return not inspect(connection).get_table_names()


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile('manifest.json')
    except KeyError:
        raise BackupError('this is not a portal backup (no manifest.json)') from None
    assert member is not None
    manifest = json.loads(member.read())
    if manifest.get('format') != FORMAT_VERSION:
        raise BackupError(f'backup format {manifest.get("format")} is not known to this version')
    return manifest


def _clear_database(settings: Settings) -> None:
    from models.db import dispose_engines, get_engine

    if settings.is_sqlite:
        dispose_engines(settings.database_url)
        for suffix in ('', '-wal', '-shm'):
            Path(f'{_sqlite_path(settings)}{suffix}').unlink(missing_ok=True)
        return
    with get_engine(settings.database_url).begin() as connection:
        connection.execute(text('DROP SCHEMA public CASCADE'))
        connection.execute(text('CREATE SCHEMA public'))
    dispose_engines(settings.database_url)


def _restore_database(settings: Settings, dump: Path) -> None:
    from models.db import dispose_engines

    if settings.is_sqlite:
        target_path = _sqlite_path(settings)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(dump, target_path)
        target_path.chmod(0o600)
    else:
        check_pg_tools(settings)
        _run(['pg_restore', '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction',
              f'--dbname={_libpq_url(settings)}', str(dump)], 'pg_restore')
    dispose_engines(settings.database_url)


def _put_back_external_files(originals: dict[str, str], folder: Path) -> list[str]:
    """Key files that lived outside DATA_DIR go back where they were, unless something else is there now."""
    warnings = []
    for name, original in originals.items():
        source, target = folder / name, Path(original)
        if target.exists():
            if target.read_bytes() != source.read_bytes():
                warnings.append(f'{target} ({name.upper()}) differs from the one in the backup; left as it is')
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o600)
    return warnings


def _safe_member(name: str) -> bool:
    path = Path(name)
    return not path.is_absolute() and '..' not in path.parts


def restore_backup(settings: Settings, archive_path: Path, *, force: bool = False) -> RestoreResult:
    """Put an archive's database and DATA_DIR files in place. Refuses a database that has tables unless `force`
    (then its contents are replaced). The portal must be stopped meanwhile."""
    if not archive_path.is_file():
        raise BackupError(f'no such backup file: {archive_path}')
    try:
        archive = tarfile.open(archive_path, 'r:gz')  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f'{archive_path.name} is not a readable backup archive ({error})') from None
    with archive, tempfile.TemporaryDirectory(prefix='portal-restore-') as work:
        manifest = _read_manifest(archive)
        kind = 'sqlite' if settings.is_sqlite else 'postgresql'
        if manifest['database_kind'] != kind:
            raise BackupError(f'the backup holds a {manifest["database_kind"]} database but DATABASE_URL is {kind}')
        if not database_is_empty(settings):
            if not force:
                raise BackupError('the database is not empty; restore into an empty one, or add --force to '
                                  'replace everything in it')
            _clear_database(settings)
        members = [m for m in archive.getmembers() if m.isfile() and _safe_member(m.name)]
        archive.extractall(work, members=members, filter='data')
        _restore_database(settings, Path(work) / manifest['database_file'])
        data_root = Path(work) / 'data'
        copied = 0
        for source in sorted(p for p in data_root.rglob('*') if p.is_file()):
            target = settings.data_dir / source.relative_to(data_root)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(source, target)
            target.chmod(0o600)
            copied += 1
        warnings = _put_back_external_files(manifest.get('external_files', {}), Path(work) / 'external')
    for filename in generated_secrets(settings):
        name, restored = filename.upper(), settings.data_dir / filename
        if os.environ.get(name) and restored.is_file() and restored.read_text().strip() != os.environ[name].strip():
            warnings.append(f'{name} is set in the environment and differs from the restored '
                            f'DATA_DIR/{filename}: the environment wins, so unset it or set it to the restored value')
    return RestoreResult(kind, manifest.get('schema_revision'), copied, manifest['created_at'], warnings)
