"""The systemd units in deploy/ pass `systemd-analyze verify` (with the paths pointed at this checkout) and keep
their hardening."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.server import PROJECT_DIR

UNITS = ('portal.service', 'portal-backup.service', 'portal-backup.timer')


def _unit(name: str) -> str:
    return (PROJECT_DIR / 'deploy' / name).read_text(encoding='utf-8')


@pytest.mark.skipif(shutil.which('systemd-analyze') is None, reason='systemd-analyze is not installed here')
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    venv = PROJECT_DIR / '.venv'
    if not (venv / 'bin' / 'portal').exists():
        pytest.skip('the portal console script is not installed in .venv (make .venv/.installed-run)')
    environment_file = tmp_path / 'portal.env'
    environment_file.write_text('BASE_URL=https://asiointi.example.fi\n')
    for name in UNITS:
        text = _unit(name).replace('/opt/portal', str(PROJECT_DIR)).replace('/etc/portal/portal.env',
                                                                            str(environment_file))
        (tmp_path / name).write_text(text, encoding='utf-8')
    done = subprocess.run(['systemd-analyze', 'verify', *(str(tmp_path / name) for name in UNITS)],
                          capture_output=True, text=True, timeout=120)
    # verify prints problems of our units on stderr even when it exits 0; the container notes are not ours.
    ours = [line for line in done.stderr.splitlines() if any(name in line for name in UNITS) or str(tmp_path) in line]
    assert done.returncode == 0 and not ours, done.stderr


def test_service_is_hardened() -> None:
    unit = _unit('portal.service')
    for line in ('DynamicUser=yes', 'User=portal', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/portal',
                 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'ProtectHome=yes', 'CapabilityBoundingSet=\n',
                 'StateDirectory=portal'):
        assert line in unit
    assert 'DATA_DIR=/var/lib/portal' in unit
    backup = _unit('portal-backup.service')
    # The same made-up user: a different one would take the state directory away from the portal.
    assert 'User=portal\n' in backup and 'ExecStart=/opt/portal/.venv/bin/portal backup' in backup
    assert 'OnCalendar=' in _unit('portal-backup.timer')
