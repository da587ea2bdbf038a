"""The demo reset deletes what people did in the demo and loads the demo data again; never without DEMO_DATA."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlmodel import select

import config
from models import AccessibilityFeedback, RequestStatus, ServiceRequest, User, saved_id
from models.db import session_scope
from services.demo_data import load_demo_data
from services.demo_reset import NotADemoInstallation, reset_demo_data
from tests.support.rows import found
from tests.support.server import PROJECT_DIR

pytestmark = pytest.mark.db


def test_reset_refuses_without_demo_data(database: str) -> None:
    with session_scope() as db:
        db.add(AccessibilityFeedback(body='oikea palaute'))
    with pytest.raises(NotADemoInstallation):
        reset_demo_data()
    with session_scope() as db:
        assert len(db.exec(select(AccessibilityFeedback)).all()) == 1
    command = subprocess.run([sys.executable, '-m', 'services.demo_reset'], cwd=PROJECT_DIR, capture_output=True,
                             text=True, env={**_env(), 'DEMO_DATA': 'false'}, timeout=60)
    assert command.returncode == 2 and 'DEMO_DATA is off' in command.stderr


def _env() -> dict[str, str]:
    import os

    settings = config.get_settings()
    return {**{k: v for k, v in os.environ.items() if not k.startswith('PYTEST')},
            'DATABASE_URL': settings.database_url, 'DATA_DIR': str(settings.data_dir)}


def test_reset_deletes_changes_and_reloads_the_demo(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('DEMO_DATA', 'true')
    config.reload_settings()
    load_demo_data()
    with session_scope() as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        db.add(ServiceRequest(service_code='verokortti', owner_id=saved_id(onni), answers={'first_name': 'Kokeilu'}))
        db.add(AccessibilityFeedback(body='demopalaute'))
        found(db.get(ServiceRequest, 5474)).status = RequestStatus.SENT
        onni.email = 'muutettu@example.fi'
    command = subprocess.run([sys.executable, '-m', 'services.demo_reset'], cwd=PROJECT_DIR, capture_output=True,
                             text=True, env={**_env(), 'DEMO_DATA': 'true'}, timeout=60)
    assert command.returncode == 0, command.stderr
    with session_scope() as db:
        onni = db.exec(select(User).where(User.username == 'onni.korhonen')).one()
        assert onni.email == '645516@generated.invalid'
        assert db.exec(select(AccessibilityFeedback)).all() == []
        requests = db.exec(select(ServiceRequest).where(ServiceRequest.owner_id == onni.id)).all()
        assert len(requests) == 7 and found(db.get(ServiceRequest, 5474)).status == RequestStatus.DRAFT
