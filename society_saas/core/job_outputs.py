"""The files jobs make (a print run's PDF) are kept JOBS_OUTPUT_DAYS days, then removed.

A print job's PDF holds members' names and numbers; kept for ever it piles up on disk and outlives any
use (the secretariat prints again from the ledger when it needs the certificates again). The job's record
stays, so its page says when and why the file went. The worker sweeps every society now and then; the
embedded mode has no worker, so starting a job sweeps its own society.
"""
import time
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from society_saas.core import storage
from society_saas.core.db import utcnow
from society_saas.core.errors import NotFoundError
from society_saas.core.jobs import Job, JobState

SWEEP_EVERY = 3600.0  # seconds between the worker's sweeps: a file may outlive its days by up to this
_last_sweep = float("-inf")  # monotonic time of the worker's last sweep


def kept_days() -> int:
    """How many days a job's file is kept after the job finished."""
    return int(current_app.config.get("JOBS_OUTPUT_DAYS", 30))


def remove_expired(society_id: uuid.UUID | None = None) -> int:
    """Remove the files of jobs finished more than kept_days() ago, of one society or of all (commits);
    each job keeps its record, marked with the day its file went. Returns how many files went."""
    from society_saas.extensions import db
    from society_saas.tenancy.context import cross_society, society_context

    now = utcnow()
    expired = select(Job.society_id, Job.id, Job.result).where(
        Job.state == JobState.done, Job.finished_at < now - timedelta(days=kept_days()),
        Job.result["file"].as_string().is_not(None))
    if society_id is not None:
        with society_context(society_id):
            rows = db.session.execute(expired).all()
    else:
        with cross_society():
            rows = db.session.execute(expired).all()
    db.session.rollback()
    removed = 0
    for owner, job_id, result in rows:
        with society_context(owner):
            # the record first: a file whose record still named it would be offered for download
            db.session.execute(update(Job).where(Job.id == job_id).values(
                result={**result, "file": None, "removed_on": now.date().isoformat()})
                .execution_options(synchronize_session=False))
            db.session.commit()
        _delete(result["file"])
        removed += 1
    return removed


def sweep_now_and_then() -> int:
    """The worker's round: remove expired files of every society at most once every SWEEP_EVERY seconds."""
    global _last_sweep
    if time.monotonic() - _last_sweep < SWEEP_EVERY:
        return 0
    _last_sweep = time.monotonic()
    return remove_expired()


def _delete(key: str) -> None:
    try:
        storage.path_of(key).unlink(missing_ok=True)
    except NotFoundError:  # already gone, or a key outside the storage root: nothing of ours to delete
        pass
