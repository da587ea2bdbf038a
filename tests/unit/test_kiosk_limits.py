"""Kiosk time limits: a sign-in waiting at the IdP lives no longer than the kiosk's idle limit, and the full-screen
warning starts late enough that it is never shown (or spoken) as a page opens."""
from datetime import timedelta
from pathlib import Path

from auth.saml_sp import PENDING_LIFETIME, pending_lifetime
from components.kiosk import warning_seconds
from config import load_settings


def test_a_pending_sign_in_expires_with_the_kiosk_limit(tmp_path: Path) -> None:
    kiosk = load_settings({'DATA_DIR': str(tmp_path), 'KIOSK_MODE': 'true', 'KIOSK_IDLE_SECONDS': '180'})
    assert pending_lifetime(kiosk) == timedelta(seconds=180)
    long_kiosk = load_settings({'DATA_DIR': str(tmp_path), 'KIOSK_MODE': 'true', 'KIOSK_IDLE_SECONDS': '3600'})
    assert pending_lifetime(long_kiosk) == PENDING_LIFETIME == timedelta(minutes=15)
    desk = load_settings({'DATA_DIR': str(tmp_path), 'KIOSK_MODE': 'false', 'KIOSK_IDLE_SECONDS': '180'})
    assert pending_lifetime(desk) == PENDING_LIFETIME


def test_the_warning_takes_at_most_a_third_of_the_limit() -> None:
    assert warning_seconds(180) == 30
    assert warning_seconds(60) == 20
    assert warning_seconds(20) == 6
    assert warning_seconds(5) == 1
