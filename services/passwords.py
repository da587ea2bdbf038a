"""Password hashing (argon2id) and the password policy."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from locales import nt, t

_hasher = PasswordHasher()
MIN_LENGTH = 12
# A dummy hash to verify against when the account does not exist, so both cases take the same time.
_DUMMY_HASH = _hasher.hash('not-a-real-password-but-same-cost')


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)  # raises unless it matches (the dummy costs the same)
        return password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, username: str = '') -> str | None:
    """Why a new password is not acceptable, or None. Length over composition rules (NIST SP 800-63B)."""
    if len(password) < MIN_LENGTH:
        return nt('Salasanassa on oltava vähintään {count} merkki.',
                  'Salasanassa on oltava vähintään {count} merkkiä.', MIN_LENGTH)
    if len(password) > 200:
        return t('Salasana saa olla enintään 200 merkkiä.')
    if len(set(password)) < 5:
        return t('Salasanassa on oltava useampia eri merkkejä.')
    if username and username.lower() in password.lower():
        return t('Salasana ei saa sisältää käyttäjätunnusta.')
    return None
