"""Rules about years: a year is frozen and finalised only once it has ended (today in Asia/Shanghai), and the
watchlist's "failed N years running" counts years that follow one another."""
from datetime import date

import pytest
from sqlalchemy import func, select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import activities, assessment, runs, scoring, watch
from society_saas.oversight.activities import today
from society_saas.oversight.models import (AssessmentResult, AssessmentRun, AssessmentScheme, MetricSnapshot,
                                           SchemeState)
from society_saas.tenancy.context import cross_society, society_context
from tests.conftest import login, post_form
from tests.factories import make_admin, make_society


def _published(year: int, **extra) -> AssessmentScheme:
    scheme = assessment.create_scheme(None, {"year": str(year), **{k: v.isoformat() for k, v in extra.items()}})
    assessment.add_indicator(None, scheme, {"code": "S1", "name": "自评", "weight": "100", "type": "self_reported",
                                            "rule": "yes_no"})
    assessment.publish(None, scheme)
    db.session.commit()
    return scheme


def _count(model) -> int:
    with cross_society():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_year_that_has_not_ended_is_neither_frozen_nor_finalised(app, client, session):
    """A 2027 scheme (snapshot 2027-12-31) was frozen and finalised in 2026."""
    make_society("x", "甲学会")
    make_admin()
    now = today()
    current, future = _published(now.year), _published(now.year + 1)
    for scheme in (current, future):
        with pytest.raises(ServiceError, match=f"{scheme.year} 年度考核须在该年度结束后（{scheme.year + 1}-01-01 起）"):
            assessment.freeze(None, scheme)
        db.session.rollback()
        with pytest.raises(ServiceError):
            runs.request_step(None, scheme, "freeze")
        db.session.rollback()

    login(client, "admin@kx.test")
    page = f"/association/assessment/{future.id}"
    assert post_form(client, f"{page}/step/freeze", {}, page=page).status_code == 302
    assert "年度考核须在该年度结束后" in client.get(page).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AssessmentScheme, future.id).state == SchemeState.self_report
    assert _count(AssessmentRun) == 0 and _count(MetricSnapshot) == 0

    # one frozen before this rule existed is not finalised either
    scheme = db.session.get(AssessmentScheme, future.id)
    scheme.state = SchemeState.frozen
    db.session.commit()
    with pytest.raises(ServiceError, match="年度考核须在该年度结束后"):
        scoring.finalise(None, scheme)
    db.session.rollback()
    with pytest.raises(ServiceError):
        runs.request_step(None, db.session.get(AssessmentScheme, future.id), "finalise")
    db.session.rollback()
    assert _count(AssessmentResult) == 0
    assert db.session.get(AssessmentScheme, future.id).state == SchemeState.frozen


def test_the_snapshot_date_must_have_passed(app, session, monkeypatch):
    monkeypatch.setattr(activities, "today", lambda: date(2026, 6, 15))
    make_society("x", "甲学会")
    early = _published(2026, snapshot_on=date(2026, 5, 31))  # the snapshot has passed, the year has not
    with pytest.raises(ServiceError, match="2026 年度考核须在该年度结束后"):
        assessment.freeze(None, early)
    db.session.rollback()
    late = _published(2025, snapshot_on=date(2026, 7, 1))
    with pytest.raises(ServiceError, match="数据快照日期 2026-07-01 尚未过去") as refused:
        assessment.freeze(None, late)
    assert refused.value.field == "snapshot_on"
    db.session.rollback()
    late = db.session.get(AssessmentScheme, late.id)
    with pytest.raises(ServiceError, match="2026-06-15 尚未过去"):
        assessment.freeze(None, late, date(2026, 6, 15))  # today is not over
    db.session.rollback()
    assert _count(MetricSnapshot) == 0
    late = db.session.get(AssessmentScheme, late.id)
    assessment.freeze(None, late, date(2026, 6, 14))
    scoring.finalise(None, late)
    db.session.commit()
    assert late.state == SchemeState.finalised and late.snapshot_on == date(2026, 6, 14)


def test_the_demo_years_still_run(app, session):
    """The demo finalises last year and leaves this year open for self-reports (refused a freeze until it ends)."""
    from society_saas.oversight.demo import seed_assessment

    societies = [make_society("cs", "示例市计算机学会"), make_society("med", "示例市医学会")]
    seed_assessment(societies)
    seed_assessment(societies)
    db.session.commit()
    years = {s.year: s.state for s in assessment.list_schemes()}
    this_year = today().year
    assert years == {this_year - 1: SchemeState.finalised, this_year: SchemeState.self_report}
    assert _count(AssessmentResult) == 2


def _finalised(year: int, failing: list, passing: list) -> AssessmentScheme:
    scheme = _published(year)
    indicator = assessment.indicators(scheme)[0]
    for society in passing:
        with society_context(society.id):
            assessment.save_self_report(society, None, scheme, indicator, {"value": "1"})
            assessment.flush_all()
    assessment.freeze(None, scheme)
    scoring.finalise(None, scheme)
    db.session.commit()
    return scheme


def test_failed_years_count_as_running_only_when_they_follow_one_another(app, session):
    """2022 and 2024 finalised, 2023 not: not two years running."""
    weak, fine = make_society("w", "不合格学会"), make_society("f", "合格学会")
    _finalised(2022, [weak], [fine])
    middle = _published(2023)
    _finalised(2024, [weak], [fine])
    assert watch.watchlist(date(2026, 3, 1)) == []

    assessment.freeze(None, middle)
    scoring.finalise(None, middle)
    db.session.commit()
    rows = watch.watchlist(date(2026, 3, 1))
    assert [(r["society"].slug, [str(x) for x in r["reasons"]]) for r in rows] == [("w", ["连续 2 年考核不合格"])]
