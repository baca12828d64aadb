"""The annual assessment's scores: assessors' points, points per indicator, totals, grades, the ranking
(学会创新影响力排行) and each society's published breakdown.

Verbs take (actor, ...), add and flush, never commit; the scheme's workflow is in `assessment`.
"""
import uuid
from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import inputs
from society_saas.oversight.assessment import (_expect, active_societies, assignment_of, check_year_over, flush_all,
                                              indicators)
from society_saas.oversight.models import (
    DEFAULT_THRESHOLDS, AssessmentResult, AssessmentScheme, AssessorAssignment, AssessorScore, Indicator,
    IndicatorType, MetricSnapshot, SchemeState, ScoringRule, SelfReport,
)
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society

GRADES = ("excellent", "good", "pass", "fail")
GRADE_LABELS = {"excellent": _l("Excellent"), "good": _l("Good"), "pass": _l("Pass"), "fail": _l("Fail")}


def score(actor, scheme: AssessmentScheme, society: Society, points: dict[uuid.UUID, float],
          comments: dict | None = None) -> list[AssessorScore]:
    """An assigned, non-recused assessor scores the assessor indicators of one society (0..weight)."""
    from society_saas.oversight.activities import today

    _expect(scheme, SchemeState.frozen, SchemeState.scoring)
    if scheme.scoring_due and today() > scheme.scoring_due:
        raise ServiceError(_("The scoring deadline has passed."))
    assignment = assignment_of(scheme, society, actor.id)
    if assignment is None:
        raise ServiceError(_("You are not assigned to this society."))
    if assignment.recused:
        raise ServiceError(_("You are recused from assessing this society."))
    by_id = {i.id: i for i in indicators(scheme) if i.type == IndicatorType.assessor}
    # every value is checked before any is written: a refused form changes nothing
    given = {}
    for indicator_id, value in points.items():
        indicator = by_id.get(indicator_id)
        if indicator is not None:
            given[indicator_id] = inputs.number(value, f"points-{indicator_id}", f"{indicator.code} {indicator.name}",
                                                high=indicator.weight)
    saved = []
    with society_context(society.id):
        for indicator_id, value in given.items():
            row = db.session.scalar(select(AssessorScore).where(AssessorScore.indicator_id == indicator_id,
                                                                AssessorScore.assessor_id == actor.id))
            if row is None:
                row = AssessorScore(society_id=society.id, scheme_id=scheme.id, indicator_id=indicator_id,
                                    assessor_id=actor.id, points=value)
                db.session.add(row)
            row.points, row.comment = value, (comments or {}).get(indicator_id)
            saved.append(row)
        flush_all()
    scheme.state = SchemeState.scoring
    db.session.flush()
    return saved



def points_for(indicator: Indicator, value: float | None) -> float:
    """Apply the indicator's rule to a value: linear floor-target, bands, or yes/no; 0..weight, 2 decimals."""
    if value is None:
        return 0.0
    if indicator.rule == ScoringRule.yes_no:
        share = 1.0 if value >= 1 else 0.0
    elif indicator.rule == ScoringRule.bands:
        share = next((s for threshold, s in sorted(indicator.bands or [], reverse=True) if value >= threshold), 0.0)
    else:
        span = (indicator.target or 0) - (indicator.floor or 0)
        share = (value - (indicator.floor or 0)) / span if span else 0.0
    return round(indicator.weight * min(1.0, max(0.0, share)), 2)



def grade_of(total: float, thresholds: dict) -> str:
    """excellent, good, pass or fail by the scheme's thresholds."""
    for grade in ("excellent", "good", "pass"):
        if total >= float(thresholds.get(grade, DEFAULT_THRESHOLDS[grade])):
            return grade
    return "fail"



def tabulate(scheme: AssessmentScheme) -> list[dict]:
    """Every society's breakdown and total from frozen metrics, self-reports and non-recused assessors' scores.

    Four set-based queries across societies (snapshots, self-reports, assignments, scores)."""
    inds = indicators(scheme)
    with cross_society():
        snaps = db.session.execute(select(MetricSnapshot.society_id, MetricSnapshot.metric, MetricSnapshot.value)
                                   .where(MetricSnapshot.scheme_id == scheme.id)).all()
        reports = db.session.execute(select(SelfReport.society_id, SelfReport.indicator_id, SelfReport.value)
                                     .where(SelfReport.scheme_id == scheme.id)).all()
        recused = {(sid, aid) for sid, aid in db.session.execute(
            select(AssessorAssignment.society_id, AssessorAssignment.assessor_id)
            .where(AssessorAssignment.scheme_id == scheme.id, AssessorAssignment.recused.is_(True)))}
        scores = db.session.execute(select(AssessorScore.society_id, AssessorScore.indicator_id,
                                           AssessorScore.assessor_id, AssessorScore.points)
                                    .where(AssessorScore.scheme_id == scheme.id)).all()
    snap = {(sid, m): v for sid, m, v in snaps}
    reported = {(sid, iid): v for sid, iid, v in reports}
    given = defaultdict(list)
    for sid, iid, aid, pts in scores:
        if (sid, aid) not in recused:
            given[(sid, iid)].append(pts)
    table = []
    for society in active_societies():
        lines, total = [], 0.0
        for ind in inds:
            if ind.type == IndicatorType.computed:
                value = snap.get((society.id, ind.metric))
                pts = points_for(ind, value if value is not None else 0.0)
            elif ind.type == IndicatorType.self_reported:
                value = reported.get((society.id, ind.id))
                pts = points_for(ind, value)
            else:
                marks = given.get((society.id, ind.id), [])
                value = round(sum(marks) / len(marks), 2) if marks else None
                pts = min(ind.weight, value) if value is not None else 0.0
            total += pts
            lines.append({"code": ind.code, "name": ind.name, "category": ind.category, "type": ind.type.value,
                          "weight": ind.weight, "value": value, "points": pts})
        table.append({"society": society, "total": round(total, 2), "lines": lines,
                      "grade": grade_of(round(total, 2), scheme.thresholds or DEFAULT_THRESHOLDS)})
    table.sort(key=lambda r: (-r["total"], r["society"].name))
    rank, previous = 0, None
    for position, row in enumerate(table, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        row["rank"] = rank
    return table



def finalise(actor, scheme: AssessmentScheme, progress=None) -> list[dict]:
    """Freeze the grades and the ranking (学会创新影响力排行) and publish each society its breakdown.

    `progress(done, total)` is called after each society; running it again overwrites the same results.
    """
    _expect(scheme, SchemeState.frozen, SchemeState.scoring)
    check_year_over(scheme)
    scheme_id = scheme.id
    table = tabulate(scheme)
    for done, row in enumerate(table, start=1):
        society_id = row["society"].id
        with society_context(society_id):
            result = db.session.scalar(select(AssessmentResult).where(AssessmentResult.scheme_id == scheme_id))
            if result is None:
                result = AssessmentResult(society_id=society_id, scheme_id=scheme_id, total=0, grade="", rank=0)
                db.session.add(result)
            result.total, result.grade, result.rank, result.breakdown = (row["total"], row["grade"], row["rank"],
                                                                         row["lines"])
            flush_all()
        if progress is not None:
            progress(done, len(table))
    scheme = db.session.get(AssessmentScheme, scheme_id)
    scheme.state, scheme.finalised_at = SchemeState.finalised, utcnow()
    db.session.flush()
    return table



def ranking(scheme: AssessmentScheme) -> list[tuple[AssessmentResult, Society]]:
    """The finalised ranking across societies (one read-only query)."""
    with cross_society():
        return [(r, s) for r, s in db.session.execute(
            select(AssessmentResult, Society).join(Society, Society.id == AssessmentResult.society_id)
            .where(AssessmentResult.scheme_id == scheme.id).order_by(AssessmentResult.rank, Society.name))]



def result_of(society, scheme) -> AssessmentResult | None:
    """A society's own finalised result (scoped to the current society)."""
    return db.session.scalar(select(AssessmentResult).where(AssessmentResult.scheme_id == scheme.id,
                                                            AssessmentResult.society_id == society.id))



def breakdown_chart(result: AssessmentResult | None) -> dict | None:
    """A finalised result's points and weights per indicator, as the data of its bar chart."""
    if result is None or not result.breakdown:
        return None
    lines = result.breakdown
    return {"names": [f"{line['code']} {line['name']}" for line in lines],
            "points": [line["points"] for line in lines], "weights": [line["weight"] for line in lines]}



def results_for_society(society_id) -> list[tuple[AssessmentResult, AssessmentScheme]]:
    """A society's finalised results, newest year first (current society or cross-society context)."""
    return [(r, s) for r, s in db.session.execute(
        select(AssessmentResult, AssessmentScheme).join(AssessmentScheme, AssessmentScheme.id == AssessmentResult.scheme_id)
        .where(AssessmentResult.society_id == society_id).order_by(AssessmentScheme.year.desc()))]
