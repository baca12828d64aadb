"""Freeze and finalise as runs of the worker: queued by the console, run by `society-saas worker`, with progress,
refused twice, resumed after a crash without duplicates."""
from datetime import date

import pytest
from sqlalchemy import func, select

from society_saas.core import jobs
from society_saas.extensions import db
from society_saas.governance.models import OrganType
from society_saas.oversight import assessment, runs, scoring
from society_saas.oversight.models import (ActivityKind, AssessmentResult, AssessmentRun, AssessmentScheme,
                                           MetricSnapshot, SchemeState)
from society_saas.tenancy.context import cross_society
from tests.conftest import login, post_form
from tests.factories import make_admin, make_society
from tests.oversight import helpers as h


@pytest.fixture
def world(app, session):
    app.config["JOBS_RUN_INLINE"] = False  # a worker runs the steps, as in production
    x, y, z = make_society("x", "甲学会"), make_society("y", "乙学会"), make_society("z", "丙学会")
    for society, events in ((x, 2), (y, 1), (z, 0)):
        for i in range(events):
            h.activity(society, ActivityKind.brand_academic_event, date(2025, 3 + i, 1))
    h.organ(x, OrganType.party_organisation, "党支部")
    make_admin()
    scheme = assessment.create_scheme(None, {"year": "2025"})
    for data in ({"code": "C1", "name": "品牌学术活动", "weight": "60", "type": "computed", "metric": "brand_events",
                  "rule": "linear", "floor": "0", "target": "2"},
                 {"code": "C2", "name": "党组织", "weight": "40", "type": "computed", "metric": "party_organisation",
                  "rule": "yes_no"}):
        assessment.add_indicator(None, scheme, data)
    assessment.publish(None, scheme)
    db.session.commit()
    return {"x": x, "y": y, "z": z, "scheme_id": scheme.id}


def _scheme(world):
    db.session.expire_all()
    return db.session.get(AssessmentScheme, world["scheme_id"])


def _snapshots():
    with cross_society():
        return db.session.scalar(select(func.count()).select_from(MetricSnapshot))


def test_freeze_and_finalise_are_run_by_the_worker_with_progress(world, client):
    login(client, "admin@kx.test")
    page = f"/association/assessment/{world['scheme_id']}"
    assert post_form(client, f"{page}/step/freeze", {}, page=page).status_code == 302
    assert _scheme(world).state == SchemeState.self_report  # queued, not done in the request
    shown = client.get(page).get_data(as_text=True)
    assert "冻结计算指标" in shown and "排队中" in shown and 'hx-trigger="every 2s"' in shown
    assert "step/freeze" not in shown  # no second freeze offered while one is queued
    again = post_form(client, f"{page}/step/freeze", {}, page="/association/assessment/")  # a stale page
    assert again.status_code == 302 and _snapshots() == 0
    assert "正在排队或运行" in client.get(page).get_data(as_text=True)

    assert jobs.run_pending() == 1  # what `society-saas worker` calls each round
    run = db.session.scalars(select(AssessmentRun)).one()
    assert (run.step, run.state, run.progress) == ("freeze", "done", 100)
    assert _scheme(world).state == SchemeState.frozen and _snapshots() == 6  # 3 societies x 2 metrics
    fragment = client.get(f"{page}/run?polling=1")
    assert fragment.headers.get("HX-Refresh") == "true" and "已完成" in fragment.get_data(as_text=True)

    assert post_form(client, f"{page}/step/finalise", {}, page=page).status_code == 302
    assert jobs.run_pending() == 1 and jobs.run_pending() == 0
    assert _scheme(world).state == SchemeState.finalised
    with cross_society():
        totals = {r.society_id: (r.total, r.rank) for r in db.session.scalars(select(AssessmentResult))}
    # by hand: X 60 + 40 = 100, Y 30 + 0 = 30, Z 0
    assert totals == {world["x"].id: (100.0, 1), world["y"].id: (30.0, 2), world["z"].id: (0.0, 3)}


def test_progress_is_reported_society_by_society(world):
    seen = []
    assessment.freeze(None, _scheme(world), date(2025, 12, 31), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    seen.clear()
    scoring.finalise(None, _scheme(world), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_crashed_run_fails_and_the_next_one_finishes_without_duplicates(world, monkeypatch):
    run = runs.request_step(None, _scheme(world), "freeze", date(2025, 12, 31))
    db.session.commit()
    real = assessment.freeze

    def dies_after_the_first_society(actor, scheme, on=None, progress=None):
        def report(done, total):
            progress(done, total)  # commits the first society's snapshot
            raise RuntimeError("the worker lost its database connection")
        return real(actor, scheme, on, progress=report)

    monkeypatch.setitem(runs.STEPS, "freeze", (assessment.SELF_REPORT_OPEN, dies_after_the_first_society))
    failed = runs.execute(runs.claim(run.id))
    assert failed.state == "failed" and "lost its database connection" in failed.error
    assert _scheme(world).state == SchemeState.self_report and _snapshots() == 2
    monkeypatch.setitem(runs.STEPS, "freeze", (assessment.SELF_REPORT_OPEN, real))
    runs.request_step(None, _scheme(world), "freeze", date(2025, 12, 31))
    db.session.commit()
    assert runs.run_pending() == 1
    assert _scheme(world).state == SchemeState.frozen and _snapshots() == 6


def test_steps_refused_in_the_wrong_state_and_stale_runs_requeued(world):
    from datetime import timedelta

    from society_saas.core.db import utcnow
    from society_saas.core.errors import ServiceError

    with pytest.raises(ServiceError, match="当前状态下不能执行"):
        runs.request_step(None, _scheme(world), "finalise")
    run = runs.request_step(None, _scheme(world), "freeze")
    db.session.commit()
    assert runs.claim(run.id) is not None and runs.claim(run.id) is None  # one worker wins
    run = db.session.get(AssessmentRun, run.id)
    run.started_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    assert runs.requeue_stale() == 1 and runs.run_pending() == 1
    assert _scheme(world).state == SchemeState.frozen
