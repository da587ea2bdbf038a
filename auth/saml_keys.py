"""Keys and self-signed certificates for SAML, made on first start into the data folder and never committed.

A Suomi.fi service provider registers its certificates in its metadata, so a self-signed certificate is what is
expected; it is made once and then kept, because changing it means registering the metadata again.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_BITS = 3072
VALID_DAYS = 5 * 365


def ensure_keypair(folder: Path, name: str, common_name: str) -> tuple[Path, Path]:
    """`<folder>/<name>.key` and `<name>.crt`, generated when missing; returns their paths."""
    key_path, cert_path = folder / f'{name}.key', folder / f'{name}.crt'
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
                   .sign(key, hashes.SHA256()))
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption())
    # Written to a temporary name and renamed, so two processes starting at once never see half a key.
    temporary_key = key_path.with_suffix(f'.key.{os.getpid()}')
    temporary_key.write_bytes(key_bytes)
    temporary_key.chmod(0o600)
    temporary_cert = cert_path.with_suffix(f'.crt.{os.getpid()}')
    temporary_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    os.replace(temporary_key, key_path)
    os.replace(temporary_cert, cert_path)
    return key_path, cert_path
