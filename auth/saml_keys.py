"""Keys and certificates for SAML: self-signed ones made on first start into the data folder for the test modes
(never committed), and the checks an operator's own key and certificate must pass.

A generated pair is made once and then kept, because changing it means registering the metadata again. Production
names its CA-issued key and certificate in settings (SAML_SIGNING_KEY …), checked at start-up.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
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


def _is_self_signed(certificate: x509.Certificate) -> bool:
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def check_key_and_certificate(key_path: Path, cert_path: Path, *, require_ca_issued: bool) -> str | None:
    """Why this key and certificate cannot sign and decrypt for the portal, or None.

    Suomi.fi's production environment accepts only CA-issued certificates; self-signed ones are for the test modes.
    """
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        return f'the key {key_path} cannot be read as an unencrypted PEM private key ({error})'
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except ValueError as error:
        return f'{cert_path} is not a PEM certificate ({error})'
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        return 'the key must be an RSA key of at least 2048 bits'
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(serialization.Encoding.DER, public) != \
            key.public_key().public_bytes(serialization.Encoding.DER, public):
        return f'the certificate {cert_path} does not belong to the key {key_path}'
    now = datetime.datetime.now(datetime.UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        return f'the certificate {cert_path} is not valid now (valid {certificate.not_valid_before_utc:%Y-%m-%d} ' \
               f'to {certificate.not_valid_after_utc:%Y-%m-%d})'
    if require_ca_issued and _is_self_signed(certificate):
        return f'the certificate {cert_path} is self-signed; production needs one issued by a certificate authority'
    return None
