"""Password hashing with argon2id."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id setting of 19 MiB, two passes, one lane (Password Storage Cheat Sheet). argon2-cffi's
# default (64 MiB, three passes, four lanes in four threads) took both cores of a 2-core server for
# 140 ms per login, stalling every other request meanwhile; this one takes one core for about 25 ms.
# Hashes made with other settings still verify, and are remade with these at the next login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when a hash was made with other settings than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
