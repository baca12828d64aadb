"""One roster import in a process of its own, as `society-saas worker` runs the import job: the bench's
`import_100k_*` time and the peak memory of a process that does nothing else.

    python -m society_saas.perf.bench_import_run FILE SOCIETY_ID [DUMP_FOLDER]

reads FILE (a roster, .csv or .xlsx) as the job reads the stored upload, imports it into the society
after a 1,000-row warm-up, rolls everything back and prints one JSON line: the import's seconds, the
rows created, the resident memory before the import and the process's peak. With DUMP_FOLDER, before
the rollback it also writes the ledger and history rows the import made, as COPY text (member.copy,
member_event.copy): the bench's baseline copies these very rows into the same tables.
"""
import json
import resource
import sys
import time
import uuid
from pathlib import Path

DUMPED = ("member", "member_event")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dump_created(cursor, folder: Path, since) -> None:
    """Write the rows of the dumped tables created since `since` (this import's) to FOLDER/<table>.copy."""
    from psycopg import sql

    for table in DUMPED:
        query = sql.SQL("COPY (SELECT * FROM {} WHERE created_at >= {}) TO STDOUT").format(
            sql.Identifier(table), sql.Literal(since))
        with open(folder / f"{table}.copy", "wb") as out, cursor.copy(query) as copy:
            for chunk in copy:
                out.write(chunk)


def main(path: str, society_id: str, dump_folder: str | None = None) -> dict:
    """Import the file into the society once (after a warm-up), roll back, and say how it went."""
    from society_saas import create_app
    from society_saas.core.db import utcnow
    from society_saas.extensions import db
    from society_saas.members.io import import_rows, read_rows
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.models import Society

    app = create_app()
    with app.test_request_context("/"):
        society = db.session.get(Society, uuid.UUID(society_id))
        with society_context(society.id):
            with open(path, "rb") as fh:
                warm = b"".join(fh.readline() for _ in range(1001)) if path.endswith(".csv") else None
            if warm is not None:
                import_rows(society, None, read_rows(path, warm), dry_run=False)
                db.session.rollback()
            before, since = _peak_mb(), utcnow()
            started = time.perf_counter()
            with open(path, "rb") as fh:
                content = fh.read()
            result = import_rows(society, None, read_rows(path, content), dry_run=False)
            seconds = time.perf_counter() - started
            if dump_folder:
                dump_created(db.session.connection().connection.driver_connection.cursor(), Path(dump_folder), since)
            db.session.rollback()
    return {"seconds": round(seconds, 4), "created": result["created"], "errors": len(result["errors"]),
            "rss_before_mb": round(before, 1), "peak_rss_mb": round(_peak_mb(), 1)}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
