"""The roster import as a job: the upload kept between steps, the column mapping (the last one remembered)
and the progress a page can poll. The checks and the all-or-nothing write are in members/io.py."""
import re
import time
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core import jobs
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members import io as roster

KIND = "members.import"
KEEP_SECONDS = 24 * 3600  # a roster (ID numbers in clear) stays on disk at most a day, or until imported
KEY = re.compile(r"^[0-9a-f]{32}\.(xlsx|csv)$")
FIELDS = tuple(f for f, _zh in roster.COLUMNS)


def _folder(society_id) -> Path:
    root = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    return root / "imports" / uuid.UUID(str(society_id)).hex


def store_upload(society, filename: str, content: bytes) -> dict:
    """Keep an uploaded roster for the mapping step and the job; return its key, name and first-row headers."""
    table = roster.read_table(filename, content, limit=4)
    ext = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    key = f"{uuid.uuid4().hex}.{ext}"
    folder = _folder(society.id)
    folder.mkdir(parents=True, exist_ok=True)
    _forget_old(folder)
    (folder / key).write_bytes(content)
    return {"key": key, "name": (filename or "")[-120:], "headers": roster.headers_of(table),
            "samples": [[roster._cell(v) for v in row] for row in table[1:4]]}


def _forget_old(folder: Path) -> None:
    """Delete rosters uploaded more than a day ago (checked and left, never imported)."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def forget_upload(society, key: str) -> None:
    """Delete a stored roster once it has been imported."""
    if KEY.match(key or ""):
        (_folder(society.id) / key).unlink(missing_ok=True)


def load_upload(society, key: str) -> bytes:
    """The stored roster of this society under `key`; another society's key or a made-up one is not found."""
    path = _folder(society.id) / key if KEY.match(key or "") else None
    if path is None or not path.is_file():
        raise ServiceError(_("The uploaded file is no longer available; upload it again."), field="file")
    return path.read_bytes()


def uploaded(society, key: str, name: str) -> dict:
    """A stored roster's headers and first rows again (for the mapping page), read from the file itself."""
    filename = f"x.{key.rsplit('.', 1)[-1]}" if KEY.match(key or "") else ""
    table = roster.read_table(filename, load_upload(society, key), limit=4)
    return {"key": key, "name": name, "headers": roster.headers_of(table),
            "samples": [[roster._cell(v) for v in row] for row in table[1:4]]}


def remembered_mapping() -> dict[str, str]:
    """Column name -> field of the society's last import ("" for a column it chose to ignore)."""
    params = db.session.scalar(select(jobs.Job.params).where(jobs.Job.kind == KIND).order_by(jobs.Job.id.desc()).limit(1))
    return dict((params or {}).get("mapping") or {})


def propose_columns(headers: list[str], remembered: dict[str, str]) -> tuple[list[str], list[int]]:
    """Each column's field: as last time, else recognised by its name; and the positions of columns
    neither knows (the secretariat must say what they hold)."""
    columns, unknown = [], []
    for i, header in enumerate(headers):
        if header in remembered:
            columns.append(remembered[header])
        elif roster.guess_field(header):
            columns.append(roster.guess_field(header))
        else:
            columns.append("")
            if header.strip():
                unknown.append(i)
    return columns, unknown


def check_columns(headers: list[str], columns: list[str]) -> None:
    """A mapping must name the name column and use each field at most once."""
    if len(columns) != len(headers) or any(c and c not in FIELDS for c in columns):
        raise ServiceError(_("Choose a field or “ignore” for every column."), field="columns")
    if "name" not in columns:
        raise ServiceError(_("Say which column holds the name."), field="columns")
    used = [c for c in columns if c]
    twice = sorted({c for c in used if used.count(c) > 1})
    if twice:
        names = dict(roster.COLUMNS)
        raise ServiceError(_("Each field can come from one column only: %(f)s.", f="、".join(names[c] for c in twice)),
                           field="columns")


def enqueue_import(society, actor, upload: dict, columns: list[str], dry_run: bool) -> jobs.Job:
    """Queue the check (dry run) or the import of a stored roster with its mapping (flushed, not committed)."""
    check_columns(upload["headers"], columns)
    load_upload(society, upload["key"])
    mapping = {h: c for h, c in zip(upload["headers"], columns) if h.strip()}
    return jobs.enqueue(society, actor, KIND, {"key": upload["key"], "name": upload["name"], "columns": columns,
                                               "mapping": mapping, "dry_run": bool(dry_run)})


@jobs.handler(KIND)
def import_job(society, job) -> dict:
    """Read the stored roster with its mapping, check every row, then import all rows or none."""
    from society_saas.accounts.models import User

    params = job.params
    actor = db.session.get(User, job.requested_by) if job.requested_by else None
    content = load_upload(society, params["key"])
    rows = roster.read_rows(params["key"], content, columns=params["columns"])
    jobs.set_progress(job, 5)

    def progress(done: int, total: int, writing: bool = False) -> None:
        percent = 5 + 90 * done // max(total, 1)
        if writing:  # the import's transaction holds its writes: the progress goes through a connection of its own
            jobs.set_progress_aside(job, percent)
        else:  # nothing is written yet: committing is harmless
            jobs.set_progress(job, percent)

    result = roster.import_rows(society, actor, rows, dry_run=bool(params.get("dry_run")), progress=progress)
    if not result["imported"]:
        db.session.rollback()
    else:
        forget_upload(society, params["key"])
    return {"dry_run": bool(params.get("dry_run")), "rows": result["rows"], "created": result["created"],
            "updated": result["updated"], "unchanged": result["unchanged"], "imported": result["imported"],
            "errors": [list(e) for e in result["errors"]]}
