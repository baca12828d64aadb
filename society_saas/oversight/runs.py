"""The assessment's long steps (freeze the metrics, finalise the grades) as runs of the worker, with progress.

These steps read and write every society, so they are not one society's `core.jobs.Job`: an
`AssessmentRun` (a global row) is queued by the console, claimed by a conditional UPDATE (one worker
wins), and run with its progress committed after each batch of societies. The steps are safe to run
again: the freeze skips societies already frozen, the finalise overwrites each society's result; a
run that dies stays `running` until `requeue_stale` puts it back.
"""
import traceback
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from society_saas.core import jobs
from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import assessment, scoring
from society_saas.oversight.models import AssessmentRun, AssessmentScheme, SchemeState

STEPS = {"freeze": (assessment.SELF_REPORT_OPEN, assessment.freeze),
         "finalise": ((SchemeState.frozen, SchemeState.scoring), scoring.finalise)}
STEP_LABELS = {"freeze": _l("Freezing the computed metrics"), "finalise": _l("Finalising grades and ranking")}
STATE_LABELS = {"queued": _l("queued"), "running": _l("running"), "done": _l("done"), "failed": _l("failed")}
ACTIVE = ("queued", "running")


def latest_run(scheme: AssessmentScheme) -> AssessmentRun | None:
    """The scheme's most recent run, if any."""
    return db.session.scalars(select(AssessmentRun).where(AssessmentRun.scheme_id == scheme.id)
                              .order_by(AssessmentRun.created_at.desc(), AssessmentRun.id.desc()).limit(1)).first()


def request_step(actor, scheme: AssessmentScheme, step: str, on: date | None = None) -> AssessmentRun:
    """Queue a freeze or finalise of the scheme (flushed, not committed); refused in the wrong state or twice."""
    states, _verb = STEPS[step]
    if scheme.state not in states:
        raise ServiceError(_("This step is not possible in the scheme's current state."))
    assessment.check_year_over(scheme, on if step == "freeze" else None)
    current = latest_run(scheme)
    if current is not None and current.state in ACTIVE:
        raise ServiceError(_("A run of this scheme is already queued or running; wait for it to end."))
    run = AssessmentRun(scheme_id=scheme.id, step=step, state="queued", progress=0,
                        requested_by=getattr(actor, "id", None), snapshot_on=on)
    db.session.add(run)
    db.session.flush()
    return run


def claim(run_id) -> AssessmentRun | None:
    """Take a queued run for this worker (commits); None when another worker took it first."""
    taken = db.session.execute(update(AssessmentRun).where(AssessmentRun.id == run_id, AssessmentRun.state == "queued")
                               .values(state="running", started_at=utcnow(), progress=1)
                               .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return db.session.get(AssessmentRun, run_id) if taken == 1 else None


def execute(run: AssessmentRun) -> AssessmentRun:
    """Run a claimed run to done or failed, committing its progress as societies are done (commits)."""
    from society_saas.accounts.models import User

    run_id = run.id

    def report(done: int, total: int) -> None:
        row = db.session.get(AssessmentRun, run_id)
        row.progress = max(1, min(99, int(100 * done / total))) if total else 99
        db.session.commit()

    try:
        scheme = db.session.get(AssessmentScheme, run.scheme_id)
        actor = db.session.get(User, run.requested_by) if run.requested_by else None
        _states, verb = STEPS[run.step]
        if run.step == "freeze":
            verb(actor, scheme, run.snapshot_on, progress=report)
        else:
            verb(actor, scheme, progress=report)
        run = db.session.get(AssessmentRun, run_id)
        run.state, run.progress, run.finished_at = "done", 100, utcnow()
        db.session.commit()
    except Exception as exc:  # recorded on the run, never lost
        db.session.rollback()
        run = db.session.get(AssessmentRun, run_id)
        run.state, run.finished_at = "failed", utcnow()
        run.error = exc.message if isinstance(exc, ServiceError) else traceback.format_exc()[-4000:]
        db.session.commit()
    return run


def run_pending() -> int:
    """Claim and run every queued run, oldest first; return how many ran (the worker calls this each round)."""
    ran = 0
    while True:
        run_id = db.session.scalar(select(AssessmentRun.id).where(AssessmentRun.state == "queued")
                                   .order_by(AssessmentRun.created_at, AssessmentRun.id).limit(1))
        db.session.rollback()
        if run_id is None:
            return ran
        run = claim(run_id)
        if run is not None:
            execute(run)
            ran += 1


def requeue_stale(older_than: timedelta = timedelta(hours=1)) -> int:
    """Put back runs left `running` by a worker that died (commits)."""
    n = db.session.execute(update(AssessmentRun).where(AssessmentRun.state == "running",
                                                       AssessmentRun.started_at < utcnow() - older_than)
                           .values(state="queued").execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return n


jobs.register_global_runner(run_pending)
