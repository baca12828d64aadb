"""The job table and the worker: queued jobs of every society are claimed once and run."""
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from society_saas.cli import main
from society_saas.core import jobs
from society_saas.core.jobs import Job, JobState
from society_saas.dues.models import Invoice
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society
from tests.factories import make_society


def test_worker_runs_each_societys_jobs_once(app, session, monkeypatch):
    societies = [make_society(s) for s in ("a", "b")]
    ids = []
    for s in societies:
        dues_society(s, members=2)
        with society_context(s.id):
            ids.append((s.id, jobs.enqueue(s, None, "dues.invoice_run", {"year": YEAR}).id))
            jobs.enqueue(s, None, "no.such.kind")
            db.session.commit()
    society_id, job_id = ids[0]
    with society_context(society_id):
        assert jobs.claim(society_id, job_id) is not None
        assert jobs.claim(society_id, job_id) is None  # claimed once only
        db.session.execute(Job.__table__.update().where(Job.id == job_id).values(state="queued"))
        db.session.commit()
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "ran 4 job(s)" in result.output
    for sid, _job in ids:
        with society_context(sid):
            db.session.expire_all()
            states = sorted(j.state.value for j in db.session.scalars(select(Job)))
            assert states == ["done", "failed"]
            assert db.session.scalar(select(func.count()).select_from(Invoice)) == 2


@pytest.mark.postgres
def test_progress_set_aside_is_seen_while_the_jobs_own_writes_are_not(app, session):
    """An all-or-nothing job reports progress on a connection of its own: other readers see the progress
    at once, and none of the job's uncommitted writes; a rollback of the job leaves the progress."""
    from sqlalchemy import create_engine, text

    from tests.dues.helpers import add_members
    from tests.factories import two_societies
    from tests.members.helpers import with_classes

    a, _people = two_societies()["a"]
    with_classes(a)
    with society_context(a.id):
        job = jobs.enqueue(a, None, "members.import", {})
        db.session.commit()
        add_members(a, 3)  # the job's writes, flushed, not committed
        jobs.set_progress_aside(job, 90)
        reader = create_engine(app.config["DATABASE_OWNER_URL"])
        with reader.connect() as conn:
            conn.execute(text("SELECT set_config('app.society_id', :s, false)"), {"s": str(a.id)})
            assert conn.scalar(text("SELECT progress FROM job WHERE id = :j"), {"j": job.id}) == 90
            assert conn.scalar(text("SELECT count(*) FROM member")) == 0
        db.session.rollback()
        with reader.connect() as conn:
            conn.execute(text("SELECT set_config('app.society_id', :s, false)"), {"s": str(a.id)})
            assert conn.scalar(text("SELECT progress FROM job WHERE id = :j"), {"j": job.id}) == 90
        reader.dispose()
