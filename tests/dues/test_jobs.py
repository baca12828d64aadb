"""The job table and the worker: queued jobs of every society are claimed once and run."""
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
