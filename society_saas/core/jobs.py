"""Long work as jobs: a tenant table of queued work and the worker that claims and runs it.

A job belongs to one society (its params and results are that society's data), so the table is
tenant-scoped. The worker finds queued jobs in the read-only cross-society context, then claims
each inside its own society's context with `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite
serialises writers, so a plain conditional UPDATE is enough there). A job whose process dies
(killed, out of memory, the machine restarted) stays `running`; `recover_dead`, run by every
worker round, puts it back in the queue once its process is known to be gone (same machine: the
pid no longer exists; another machine: it started more than JOBS_STALE_AFTER ago). Every handler
must therefore be safe to run again: its writes are one transaction, or idempotent.
"""
import enum
import os
import socket
import traceback
import uuid
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import Enum, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import TenantScoped, UTCDateTime, json_type, utcnow


class JobState(str, enum.Enum):
    """Where a job stands."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(TenantScoped):
    """One piece of long work for a society: its kind, parameters, progress and result."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_society_state", "society_id", "state"),)
    __audited__ = False

    kind: Mapped[str] = mapped_column(String(60))
    state: Mapped[JobState] = mapped_column(Enum(JobState, native_enum=False, length=20,
                                                 values_callable=lambda e: [m.value for m in e]),
                                            default=JobState.queued)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    params: Mapped[dict] = mapped_column(json_type(), default=dict)
    result: Mapped[dict | None] = mapped_column(json_type())
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[uuid.UUID | None] = mapped_column()
    # "host:pid" of the process that claimed it, so that a dead worker's job is noticed and run again
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# kind -> handler(society, job) returning a JSON-able result
HANDLERS: dict[str, Callable] = {}
# Work that belongs to no single society (the association's assessment runs): each runner claims and
# runs its own queued rows and returns how many ran; the worker calls them after the societies' jobs.
GLOBAL_RUNNERS: list[Callable[[], int]] = []


def register_global_runner(fn: Callable[[], int]) -> Callable[[], int]:
    """Have the worker call `fn` each round (once per function, however often this is called)."""
    if fn not in GLOBAL_RUNNERS:
        GLOBAL_RUNNERS.append(fn)
    return fn


# a job whose process died this many times is failed rather than run again (it may be what kills it)
MAX_ATTEMPTS = 3


def process_id() -> str:
    """This process as "host:pid" (computed per call: gunicorn forks workers after import)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def handler(kind: str):
    """Register the function that runs jobs of one kind."""
    def deco(fn):
        HANDLERS[kind] = fn
        return fn
    return deco


def enqueue(society, actor, kind: str, params: dict | None = None) -> Job:
    """Queue a job for the society (flushed, not committed)."""
    from society_saas.extensions import db

    job = Job(society_id=society.id, kind=kind, params=params or {}, requested_by=getattr(actor, "id", None))
    db.session.add(job)
    db.session.flush()
    return job


def start(job: Job) -> Job:
    """Commit a queued job and, in the embedded mode (JOBS_RUN_INLINE), run it at once; the job as it then stands."""
    from flask import current_app

    from society_saas.core import job_outputs
    from society_saas.extensions import db

    db.session.commit()
    if current_app.config.get("JOBS_RUN_INLINE", True):
        claimed = claim(job.society_id, job.id)
        if claimed is not None:
            job = run_job(claimed)
        job_outputs.remove_expired(job.society_id)  # no worker sweeps in this mode
    return job


def set_progress(job: Job, percent: int) -> None:
    """Record progress (0-100) and commit it so pages polling the job see it."""
    from society_saas.extensions import db

    job.progress = max(0, min(100, int(percent)))
    db.session.commit()


def set_progress_aside(job: Job, percent: int) -> None:
    """Record progress on a connection of its own, leaving the job's open transaction (its uncommitted writes)
    alone, so that pages see a long all-or-nothing write move. PostgreSQL only: SQLite has one writer at a
    time, and the job's transaction holds it; there the progress waits for the end."""
    from sqlalchemy.orm import Session

    from society_saas.extensions import db

    if not db.is_postgres:
        return
    percent = max(0, min(100, int(percent)))
    with Session(db.engine) as side:  # scoped to the current society like every session
        side.execute(update(Job).where(Job.id == job.id).values(progress=percent)
                     .execution_options(synchronize_session=False))
        side.commit()


def _queued_refs() -> list[tuple[uuid.UUID, uuid.UUID]]:
    from society_saas.extensions import db
    from society_saas.tenancy.context import cross_society

    with cross_society():
        rows = db.session.execute(select(Job.society_id, Job.id).where(Job.state == JobState.queued)
                                  .order_by(Job.id).limit(100)).all()
    db.session.rollback()  # leave the read-only context's transaction behind
    return [tuple(r) for r in rows]


def claim(society_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
    """Take a queued job for this worker, or None when another worker got it first (commits)."""
    from society_saas.extensions import db

    stmt = select(Job).where(Job.id == job_id, Job.state == JobState.queued)
    if db.is_postgres:
        stmt = stmt.with_for_update(skip_locked=True)
    job = db.session.scalar(stmt)
    if job is None:
        db.session.rollback()
        return None
    job.state, job.started_at, job.attempts = JobState.running, utcnow(), job.attempts + 1
    job.claimed_by = process_id()
    db.session.commit()
    return job


def run_job(job: Job) -> Job:
    """Run one claimed job to done or failed (commits)."""
    from society_saas.extensions import db
    from society_saas.tenancy.models import Society

    society = db.session.get(Society, job.society_id)
    fn = HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        result = fn(society, job)
    except Exception:  # a job's failure is recorded on the job, never lost
        db.session.rollback()
        job = db.session.get(Job, (job.society_id, job.id))
        job.state, job.error, job.finished_at = JobState.failed, traceback.format_exc()[-4000:], utcnow()
        db.session.commit()
        return job
    job.state, job.result, job.progress, job.finished_at = JobState.done, result, 100, utcnow()
    db.session.commit()
    return job


def run_pending(limit: int | None = None) -> int:
    """Claim and run queued jobs of every society until none is left (or `limit` ran), then the global
    runners' work; return how many ran."""
    ran = _run_society_jobs(limit)
    if limit is not None and ran >= limit:
        return ran
    return ran + sum(runner() for runner in GLOBAL_RUNNERS)


def _run_society_jobs(limit: int | None) -> int:
    from society_saas.tenancy.context import society_context

    ran = 0
    recover_dead()
    while True:
        refs = _queued_refs()
        if not refs:
            return ran
        progressed = False
        for society_id, job_id in refs:
            with society_context(society_id):
                job = claim(society_id, job_id)
                if job is None:
                    continue
                run_job(job)
            ran += 1
            progressed = True
            if limit is not None and ran >= limit:
                return ran
        if not progressed:
            return ran


def requeue_stale(society_id: uuid.UUID, older_than: timedelta = timedelta(hours=1)) -> int:
    """Put back jobs of one society left `running` by a worker that died (commits)."""
    from society_saas.extensions import db
    from society_saas.tenancy.context import society_context

    with society_context(society_id):
        n = db.session.execute(update(Job).where(Job.state == JobState.running, Job.started_at < utcnow() - older_than)
                               .values(state=JobState.queued).execution_options(synchronize_session=False)).rowcount
        db.session.commit()
    return n


def _is_gone(claimed_by: str | None, started_at: datetime | None, stale_after: timedelta) -> bool:
    host, _sep, pid = (claimed_by or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return False
        try:
            os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except PermissionError:  # exists, under another user
            return False
        return False
    return started_at is None or started_at < utcnow() - stale_after


def recover_dead(stale_after: timedelta | None = None) -> int:
    """Queue again the running jobs whose process is gone (failed after MAX_ATTEMPTS deaths); return how many."""
    from flask import current_app, has_app_context

    from society_saas.extensions import db
    from society_saas.tenancy.context import cross_society, society_context

    if stale_after is None:
        seconds = current_app.config.get("JOBS_STALE_AFTER", 3600) if has_app_context() else 3600
        stale_after = timedelta(seconds=int(seconds))
    with cross_society():
        rows = db.session.execute(select(Job.society_id, Job.id, Job.claimed_by, Job.started_at, Job.attempts)
                                  .where(Job.state == JobState.running)).all()
    db.session.rollback()
    recovered = 0
    for society_id, job_id, claimed_by, started_at, attempts in rows:
        if not _is_gone(claimed_by, started_at, stale_after):
            continue
        values = {"state": JobState.queued, "claimed_by": None}
        if attempts >= MAX_ATTEMPTS:
            values = {"state": JobState.failed, "finished_at": utcnow(),
                      "error": f"the process running this job died {attempts} times; not retried"}
        with society_context(society_id):
            # only if nobody else recovered or finished it meanwhile
            recovered += db.session.execute(
                update(Job).where(Job.id == job_id, Job.state == JobState.running,
                                 Job.claimed_by == claimed_by if claimed_by is not None else Job.claimed_by.is_(None))
                .values(**values).execution_options(synchronize_session=False)).rowcount
            db.session.commit()
    return recovered


def resume_if_orphaned(job: Job) -> Job:
    """Embedded mode (JOBS_RUN_INLINE): a job whose process died (the web server was killed while it
    ran) is run again at once when its page is looked at, since no worker may be running; return it."""
    from flask import current_app

    if job.state != JobState.running or not current_app.config.get("JOBS_RUN_INLINE", True):
        return job
    stale = timedelta(seconds=int(current_app.config.get("JOBS_STALE_AFTER", 3600)))
    if not _is_gone(job.claimed_by, job.started_at, stale) or not recover_dead(stale):
        return job
    claimed = claim(job.society_id, job.id)
    return run_job(claimed) if claimed is not None else job
