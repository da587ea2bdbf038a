"""Personal identity numbers: recognised by a keyed hash, shown masked, never stored in clear."""
import hashlib
import hmac

from config import get_settings


def normalise_identity_number(number: str) -> str:
    return number.strip().upper()


def identity_hash(number: str) -> str:
    """HMAC-SHA256 under the installation's secret key: equal numbers match, a stolen table reveals none."""
    key = get_settings().identity_hash_key.encode()
    return hmac.new(key, normalise_identity_number(number).encode(), hashlib.sha256).hexdigest()


def mask_identity_number(number: str) -> str:
    """'210281-9988' → '210281-****': the birth date stays readable, the personal part is hidden."""
    number = normalise_identity_number(number)
    return number[:7] + '****' if len(number) == 11 else '****'
