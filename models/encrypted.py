"""Secrets stored encrypted (TOTP keys): Fernet (AES-128-CBC with HMAC-SHA256) under a key from the environment or
generated once into DATA_DIR (`TOTP_ENCRYPTION_KEY`, like IDENTITY_HASH_KEY). A copy of the database alone does not
give anyone the staff's second factor. Stored values read `enc1:<token>`.
"""
from __future__ import annotations

import base64
import hashlib
import logging

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

from config import get_settings

PREFIX = 'enc1:'
log = logging.getLogger(__name__)


def _fernet(key: str | None = None) -> Fernet:
    secret = (key or get_settings().totp_encryption_key).encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b'portal-totp:' + secret).digest()))


def encrypt_secret(plain: str, key: str | None = None) -> str:
    return PREFIX + _fernet(key).encrypt(plain.encode()).decode()


def decrypt_secret(stored: str, key: str | None = None) -> str | None:
    """The plain secret, or None when it cannot be read with this key (a lost or changed key: the person needs a new
    secret from the admin)."""
    if not stored.startswith(PREFIX):
        return None
    try:
        return _fernet(key).decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken:
        log.error('an encrypted secret cannot be read with TOTP_ENCRYPTION_KEY (was the key changed?)')
        return None


class EncryptedString(sa.TypeDecorator):
    """A string column whose value is encrypted on the way in and decrypted on the way out."""

    impl = sa.String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else encrypt_secret(value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else decrypt_secret(value)
