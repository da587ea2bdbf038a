"""The installable package holds every part of the portal: the subpackages (also folders without __init__.py), the
email templates, the migrations and the translation catalogues. Built offline with setuptools' `build_py`, which
collects exactly the files `pip wheel .` puts in the wheel (the wheel adds only its metadata)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from config import PROJECT_DIR


def test_the_build_holds_every_package_and_data_file(tmp_path: Path) -> None:
    build = tmp_path / 'lib'
    subprocess.run([sys.executable, '-c', 'from setuptools import setup; setup()', '--quiet',
                    'build_py', '--build-lib', str(build), 'egg_info', '--egg-base', str(tmp_path)],
                   cwd=PROJECT_DIR, check=True, capture_output=True)
    built = {path.relative_to(build).as_posix() for path in build.rglob('*') if path.is_file()}

    templates = {path.name for path in (PROJECT_DIR / 'services/email/jinja').glob('*.j2')}
    assert {'base.html.j2', 'base.txt.j2'} <= templates
    assert {f'services/email/jinja/{name}' for name in templates} <= built
    for module in ('main.py', 'config.py', 'services/email/templates.py', 'services/forms/__init__.py',
                   'migrations/env.py', 'migrations/script.py.mako', 'migrations/versions/0001_initial_schema.py',
                   'auth/saml_attribute_maps/suomifi_attributes.py', 'locales/messages.pot',
                   'locales/sv/LC_MESSAGES/messages.po', 'locales/en/LC_MESSAGES/messages.po', 'portal/cli.py'):
        assert module in built, module
    # Every Python file of the product's folders is in it, so a new subpackage cannot be left out.
    for folder in ('pages', 'components', 'models', 'auth', 'services', 'locales', 'migrations', 'portal'):
        for path in (PROJECT_DIR / folder).rglob('*.py'):
            assert path.relative_to(PROJECT_DIR).as_posix() in built, path
    assert not any(name.startswith(('tests/', 'bench/', 'scripts/')) for name in built)
