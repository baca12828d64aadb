"""File storage for uploads: a folder under instance/, generated names, type checked from the content."""
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from society_saas.core.errors import NotFoundError, ServiceError

MAX_BYTES = 5 * 1024 * 1024
# magic bytes -> (mime type, extension)
SIGNATURES = ((b"%PDF-", ("application/pdf", "pdf")), (b"\xff\xd8\xff", ("image/jpeg", "jpg")),
              (b"\x89PNG\r\n\x1a\n", ("image/png", "png")))


def sniff(head: bytes) -> tuple[str, str] | None:
    """The (mime type, extension) of an allowed file, judged from its first bytes; None otherwise."""
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def _root() -> Path:
    return Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")


def save(society_id, stream, original_name: str, max_bytes: int = MAX_BYTES) -> dict:
    """Store an uploaded PDF/JPEG/PNG under a generated name; return its metadata for the database."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(_("The file is larger than %(n)d MB.", n=max_bytes // (1024 * 1024)), field="attachment")
    if not data:
        raise ServiceError(_("The file is empty."), field="attachment")
    kind = sniff(data[:16])
    if kind is None:
        raise ServiceError(_("Only PDF, JPEG and PNG files are accepted."), field="attachment")
    mime, ext = kind
    return {"key": _write(society_id, data, ext), "name": (original_name or "")[-120:], "type": mime, "size": len(data)}


def save_generated(society_id, data: bytes, ext: str) -> str:
    """Store a file the application made (a PDF to print) under a generated name; return its key."""
    return _write(society_id, data, ext)


def _write(society_id, data: bytes, ext: str) -> str:
    key = f"{society_id}/{uuid.uuid4().hex}.{ext}"
    path = _root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def path_of(key: str) -> Path:
    """The local path of a stored file; a key outside the storage root, or a file that is gone, is NotFoundError (404)."""
    root = _root().resolve()
    path = (root / key).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFoundError(_("No such file."))
    return path
