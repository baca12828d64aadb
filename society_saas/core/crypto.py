"""Personal data at rest: Fernet encryption, a keyed blind index for lookups, and masking."""
import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _key_material() -> bytes:
    cfg = current_app.config
    return (cfg.get("DATA_KEY") or cfg["SECRET_KEY"]).encode()


def _fernet() -> Fernet:
    raw = _key_material()
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
    key = hashlib.sha256(b"society-saas/blind-index|" + _key_material()).digest()
    return hmac.new(key, plain.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str | None, head: int = 3, tail: int = 4) -> str:
    """Show only the first and last characters of an identifier."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return value[0] + "*" * (len(value) - 1)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
