"""Backup and restore of the embedded SQLite database with SQLite's online backup API.

The backup API copies a consistent snapshot page by page while the application keeps working
(readers and writers are not stopped; pages changed during the copy are copied again). Each copy is
checked (`PRAGMA integrity_check`, the schema revision) before it is trusted. PostgreSQL has its own
tools (pg_dump / pg_restore, see the README); these functions refuse a PostgreSQL URL.
"""
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup or restore could not be done; the message says why (nothing was overwritten)."""


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite URL; BackupError for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("backup and restore are for the embedded SQLite database; on PostgreSQL use "
                          "pg_dump / pg_restore (README, Operations)")
    return Path(url.database)


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    src.backup(dst, pages=1024, sleep=0.005)  # in steps, so writers are not held up for long


def check(path: Path) -> dict:
    """Integrity and contents of a database file: {"integrity": "ok", "revision": ..., "tables": {name: rows}}."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        tables = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            if "alembic_version" in names else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a readable SQLite database ({exc})") from None
    finally:
        conn.close()
    return {"integrity": integrity, "revision": revision, "tables": tables}


def backup(database_url: str, target: Path) -> dict:
    """Copy the live database to `target` (a new file), check the copy, and return check()'s answer."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"{source}: no database to back up")
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(str(source), timeout=30)
    dst = sqlite3.connect(str(partial))
    try:
        _copy(src, dst)
    finally:
        dst.close()
        src.close()
    report = check(partial)
    if report["integrity"] != "ok" or report["revision"] is None:
        partial.unlink()
        raise BackupError(f"the copy failed its check ({report['integrity']}); nothing was kept")
    os.replace(partial, target)  # only a checked copy ever carries the final name
    return report


def restore(database_url: str, source: Path) -> dict:
    """Replace the database's contents with a checked backup, after saving the current database beside it.

    Stop the application (and the worker) first: connections open during the restore would keep
    working on pages that change under them. Returns check()'s answer for the restored database and
    the path of the saved copy of what was there before.
    """
    target = sqlite_path(database_url)
    report = check(Path(source))
    if report["integrity"] != "ok" or report["revision"] is None:
        raise BackupError(f"{source} is not a sound backup ({report['integrity']}); nothing was changed")
    saved = None
    if target.is_file():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        saved = target.with_name(f"{target.name}.before-restore-{stamp}")
        backup(database_url, saved)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target), timeout=30)
    try:
        _copy(src, dst)  # one copy into the live file, under SQLite's own locking
    finally:
        dst.close()
        src.close()
    result = check(target)
    if result["tables"] != report["tables"]:
        raise BackupError(f"the restored database differs from {source}; the previous one is in {saved}")
    return {**result, "saved": str(saved) if saved else None}
