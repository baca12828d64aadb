"""Personal data at rest: Fernet encryption, a keyed blind index for lookups, and masking."""
import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _key_material() -> bytes:
    cfg = current_app.config
    return (cfg.get("DATA_KEY") or cfg["SECRET_KEY"]).encode()


def _fernet() -> Fernet:
    return _fernet_for(_key_material())


@functools.lru_cache(maxsize=8)
def _fernet_for(raw: bytes) -> Fernet:
    # cached by key: a roster import encrypts 100,000 ID numbers and would otherwise derive the key each time
    try:
        return Fernet(raw)  # DATA_KEY may already be a Fernet key
    except ValueError:
        # Derived keys are for development; production sets DATA_KEY to a real Fernet key.
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"society-saas/data-key|" + raw).digest()))


def encrypt(plain: str | None) -> str | None:
    """Encrypt a string for storage; None stays None."""
    if plain is None or plain == "":
        return None
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str | None) -> str | None:
    """Decrypt a stored value; None for none, a readable marker when the key has changed."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def blind_index(plain: str | None) -> str | None:
    """A keyed hash that finds a record by an exact value without storing the value."""
    if not plain:
        return None
    return hmac.new(_index_key(_key_material()), plain.strip().upper().encode(), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=8)
def _index_key(raw: bytes) -> bytes:
    return hashlib.sha256(b"society-saas/blind-index|" + raw).digest()


def bulk() -> tuple:
    """encrypt and blind_index bound to the current key once, for loops over many values (a roster import)."""
    fernet, key = _fernet(), _index_key(_key_material())

    def encrypt_one(plain: str | None) -> str | None:
        return fernet.encrypt(plain.encode()).decode() if plain else None

    def index_one(plain: str | None) -> str | None:
        return hmac.new(key, plain.strip().upper().encode(), hashlib.sha256).hexdigest() if plain else None

    return encrypt_one, index_one


def mask(value: str | None, head: int = 3, tail: int = 4) -> str:
    """Show only the first and last characters of an identifier."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return value[0] + "*" * (len(value) - 1)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
