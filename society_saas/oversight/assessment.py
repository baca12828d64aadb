"""The annual assessment (年度工作考核): the scheme, self-reports, frozen metrics and assessors.

Scores, grades and the ranking are in `scoring`.

Verbs take (actor, ...), add and flush, never commit. Tenant rows are written inside
`society_context(society.id)`; reading across societies uses `cross_society()` and set-based queries.
"""
import unicodedata
import uuid
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import inputs, metrics
from society_saas.oversight.models import (
    DEFAULT_THRESHOLDS, AssessmentScheme, AssessorAssignment, Indicator,
    IndicatorType, MetricSnapshot, SchemeState, ScoringRule, SelfReport,
)
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society, SocietyStatus

STATE_LABELS = {
    SchemeState.draft: _l("Draft"), SchemeState.published: _l("Published"),
    SchemeState.self_report: _l("Self-reporting"), SchemeState.frozen: _l("Metrics frozen"),
    SchemeState.scoring: _l("Scoring"), SchemeState.finalised: _l("Finalised"),
}
TYPE_LABELS = {IndicatorType.computed: _l("Computed"), IndicatorType.self_reported: _l("Self-reported"),
               IndicatorType.assessor: _l("Assessor")}
RULE_LABELS = {ScoringRule.linear: _l("Linear from floor to target"), ScoringRule.bands: _l("Bands"),
               ScoringRule.yes_no: _l("Yes or no")}
SELF_REPORT_OPEN = (SchemeState.published, SchemeState.self_report)
THRESHOLD_LABELS = {"excellent": _l("Excellent from"), "good": _l("Good from"), "pass": _l("Pass from")}
DATE_LABELS = {"self_report_due": _l("Self-reports due"), "snapshot_on": _l("Snapshot date"),
               "scoring_due": _l("Scoring due")}


def flush_all() -> None:
    """Flush, then flush the audit rows the first flush added, while still in one society's context."""
    db.session.flush()
    db.session.flush()


def _expect(scheme: AssessmentScheme, *states) -> None:
    if scheme.state not in states:
        raise ServiceError(_("This step is not possible in the scheme's current state."))


def list_schemes() -> list[AssessmentScheme]:
    """Every year's scheme, newest first."""
    return list(db.session.scalars(select(AssessmentScheme).order_by(AssessmentScheme.year.desc())))


def get_scheme(scheme_id) -> AssessmentScheme | None:
    """One scheme by id."""
    return db.session.get(AssessmentScheme, scheme_id)


def indicators(scheme: AssessmentScheme) -> list[Indicator]:
    """The scheme's indicators in order."""
    return list(db.session.scalars(select(Indicator).where(Indicator.scheme_id == scheme.id)
                                   .order_by(Indicator.sort_order, Indicator.code)))


def create_scheme(actor, data: dict) -> AssessmentScheme:
    """A draft scheme for a year, with grade thresholds (defaults 90/75/60)."""
    year = inputs.whole(data.get("year"), "year", _l("Year"), low=2000, high=2100)
    title = inputs.text(data.get("title"), "title", _l("Title"), required=False, max_length=200)
    thresholds = {}
    for key, label in THRESHOLD_LABELS.items():
        value = inputs.number(data.get(key), key, label, required=False, high=inputs.POINTS_MAX)
        thresholds[key] = DEFAULT_THRESHOLDS[key] if value is None else value
    if not thresholds["excellent"] > thresholds["good"] > thresholds["pass"] >= 0:
        raise ServiceError(_("The thresholds must fall: excellent > good > pass."), field="excellent")
    dates = {key: inputs.day(data.get(key), key, label, required=False) for key, label in DATE_LABELS.items()}
    if db.session.scalar(select(AssessmentScheme).where(AssessmentScheme.year == year)):
        raise ServiceError(_("There is already a scheme for this year."), field="year")
    scheme = AssessmentScheme(year=year, title=title or _("Annual assessment %(year)d", year=year),
                              thresholds=thresholds, **dates)
    db.session.add(scheme)
    db.session.flush()
    return scheme


def add_indicator(actor, scheme: AssessmentScheme, data: dict) -> Indicator:
    """Add an indicator to a draft scheme."""
    _expect(scheme, SchemeState.draft)
    code = inputs.text(data.get("code"), "code", _l("Code"), max_length=20)
    name = inputs.text(data.get("name"), "name", _l("Indicator"), max_length=200)
    category = inputs.text(data.get("category"), "category", _l("Category"), required=False, max_length=60)
    try:
        kind = IndicatorType(data.get("type"))
    except ValueError:
        raise ServiceError(_("Choose the indicator's type."), field="type") from None
    try:
        rule = ScoringRule(data.get("rule") or "linear")
    except ValueError:
        raise ServiceError(_("Choose the scoring rule."), field="rule") from None
    weight = inputs.number(data.get("weight"), "weight", _l("Weight"), high=inputs.POINTS_MAX, above_low=True)
    metric = data.get("metric") or None
    if kind == IndicatorType.computed and metric not in metrics.METRICS:
        raise ServiceError(_("Choose the metric a computed indicator reads."), field="metric")
    floor = inputs.number(data.get("floor"), "floor", _l("Floor"), required=False)
    target = inputs.number(data.get("target"), "target", _l("Target"), required=False)
    bands = _bands(data.get("bands"))
    if rule == ScoringRule.linear and kind != IndicatorType.assessor:
        if floor is None or target is None or target == floor:
            raise ServiceError(_("A linear rule needs a floor and a different target."), field="target")
    if rule == ScoringRule.bands and not bands:
        raise ServiceError(_("Give the bands as value:share, one per line."), field="bands")
    sort_order = inputs.whole(data.get("sort_order"), "sort_order", _l("Sort order"), required=False,
                              high=inputs.SORT_MAX)
    if db.session.scalar(select(Indicator).where(Indicator.scheme_id == scheme.id, Indicator.code == code)):
        raise ServiceError(_("This code is already used in the scheme."), field="code")
    indicator = Indicator(scheme_id=scheme.id, code=code, name=name, category=category or _("General"),
                          weight=weight, type=kind, metric=metric if kind == IndicatorType.computed else None,
                          rule=rule, floor=floor, target=target, bands=bands,
                          sort_order=len(indicators(scheme)) if sort_order is None else sort_order)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def delete_indicator(actor, scheme: AssessmentScheme, indicator_id) -> None:
    """Remove an indicator while the scheme is a draft."""
    _expect(scheme, SchemeState.draft)
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None or indicator.scheme_id != scheme.id:
        raise LookupError(indicator_id)
    db.session.delete(indicator)
    db.session.flush()


def _bands(given) -> list | None:
    """[[value, share], ...] from "value:share" lines (or pairs), highest value first; shares from 0 to 1."""
    if given in (None, "", []):
        return None
    if isinstance(given, str):
        pairs = []
        for line in unicodedata.normalize("NFKC", given).replace(",", "\n").splitlines():
            if line.strip():
                parts = line.split(":")
                if len(parts) != 2:
                    raise ServiceError(_("Give the bands as value:share, one per line."), field="bands")
                pairs.append(parts)
    elif isinstance(given, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in given):
        pairs = given
    else:
        raise ServiceError(_("Give the bands as value:share, one per line."), field="bands")
    bands = []
    for n, (value, share) in enumerate(pairs, start=1):
        bands.append([inputs.number(value, "bands", _("Bands, line %(n)d: value", n=n)),
                      inputs.number(share, "bands", _("Bands, line %(n)d: share", n=n), high=1)])
    return sorted(bands, reverse=True) or None


def publish(actor, scheme: AssessmentScheme) -> AssessmentScheme:
    """Publish a draft scheme with indicators: the societies may now self-report."""
    _expect(scheme, SchemeState.draft)
    if not indicators(scheme):
        raise ServiceError(_("Add indicators before publishing."))
    scheme.state, scheme.published_at = SchemeState.self_report, utcnow()
    db.session.flush()
    return scheme


def save_self_report(society, actor, scheme: AssessmentScheme, indicator: Indicator, data: dict,
                     upload=None) -> SelfReport:
    """A society's value and evidence for a self-reported indicator, while self-reporting is open."""
    from society_saas.core import storage

    from society_saas.oversight.activities import today

    _expect(scheme, *SELF_REPORT_OPEN)
    if scheme.self_report_due and today() > scheme.self_report_due:
        raise ServiceError(_("The self-report deadline has passed."))
    if indicator.scheme_id != scheme.id or indicator.type != IndicatorType.self_reported:
        raise ServiceError(_("This indicator is not self-reported."))
    value = inputs.number(data.get("value"), "value", _l("Value"))
    note = inputs.text(data.get("note"), "note", _l("Note"), required=False)
    report = db.session.scalar(select(SelfReport).where(SelfReport.indicator_id == indicator.id))
    if report is None:
        report = SelfReport(society_id=society.id, scheme_id=scheme.id, indicator_id=indicator.id, value=value)
        db.session.add(report)
    report.value, report.note, report.submitted_at = value, note, utcnow()
    if upload is not None and getattr(upload, "filename", None):
        report.evidence = storage.save(society.id, upload.stream, upload.filename)
    db.session.flush()
    return report


def snapshot_date(scheme: AssessmentScheme, on: date | None = None) -> date:
    """The date the computed metrics are frozen at: the one given, the scheme's, else the year's last day."""
    return on or scheme.snapshot_on or date(scheme.year, 12, 31)


def check_year_over(scheme: AssessmentScheme, on: date | None = None) -> None:
    """Refuse to freeze or finalise a year that has not ended, or at a snapshot date that has not passed."""
    from society_saas.oversight.activities import today

    # The metrics count the whole calendar year (meetings, activities), so a year still running would be
    # frozen half-counted, with planned activities counted as held.
    now = today()
    if now.year <= scheme.year:
        raise ServiceError(_("The %(year)d assessment can be frozen and finalised only after the year has ended, "
                             "from %(day)s.", year=scheme.year, day=date(scheme.year + 1, 1, 1).isoformat()))
    when = snapshot_date(scheme, on)
    if when >= now:
        raise ServiceError(_("The snapshot date %(day)s has not passed yet.", day=when.isoformat()),
                           field="snapshot_on")


def active_societies() -> list[Society]:
    """The societies assessed: every active one, by name."""
    return list(db.session.scalars(select(Society).where(Society.status == SocietyStatus.active)
                                   .order_by(Society.name)))


def freeze(actor, scheme: AssessmentScheme, on: date | None = None, progress=None) -> int:
    """Compute every metric the scheme reads for every society (set-based) and freeze the values.

    `progress(done, total)` is called after each society (the worker's run commits there); societies
    frozen by an earlier, interrupted run are skipped, so running it again finishes the job.
    """
    _expect(scheme, *SELF_REPORT_OPEN)
    check_year_over(scheme, on)
    on = snapshot_date(scheme, on)
    scheme_id = scheme.id
    names = sorted({i.metric for i in indicators(scheme) if i.type == IndicatorType.computed})
    values = metrics.compute_all(scheme.year, on, names)
    with cross_society():
        frozen = set(db.session.scalars(select(MetricSnapshot.society_id)
                                        .where(MetricSnapshot.scheme_id == scheme_id).distinct()))
    societies = [s.id for s in active_societies()]
    rows = 0
    for done, society_id in enumerate(societies, start=1):
        if society_id not in frozen:
            with society_context(society_id):
                for name in names:
                    db.session.add(MetricSnapshot(society_id=society_id, scheme_id=scheme_id, metric=name,
                                                  value=float(values[name].get(society_id, 0.0)), taken_on=on))
                    rows += 1
                flush_all()
        if progress is not None:
            progress(done, len(societies))
    scheme = db.session.get(AssessmentScheme, scheme_id)
    scheme.state, scheme.snapshot_on, scheme.frozen_at = SchemeState.frozen, on, utcnow()
    db.session.flush()
    return rows


def assign_assessor(actor, scheme: AssessmentScheme, society: Society, assessor, recused: bool = False,
                    reason: str | None = None) -> AssessorAssignment:
    """Assign an assessor to a society for the year; a conflict of interest recuses them (回避)."""
    from society_saas.accounts.models import AssociationRoleName
    from society_saas.core.permissions import association_roles

    if AssociationRoleName.assessor not in association_roles(assessor):
        raise ServiceError(_("This account is not an assessor."), field="assessor")
    if recused and not (reason or "").strip():
        raise ServiceError(_("Say why the assessor is recused."), field="reason")
    reason = inputs.text(reason, "reason", _l("Reason"), required=False)
    with society_context(society.id):
        assignment = db.session.scalar(select(AssessorAssignment).where(
            AssessorAssignment.scheme_id == scheme.id, AssessorAssignment.assessor_id == assessor.id))
        if assignment is None:
            assignment = AssessorAssignment(society_id=society.id, scheme_id=scheme.id, assessor_id=assessor.id)
            db.session.add(assignment)
        assignment.recused, assignment.recusal_reason = bool(recused), (reason or None)
        flush_all()
    return assignment


def assignment_of(scheme, society, assessor_id) -> AssessorAssignment | None:
    """The assessor's assignment to this society for the year, if any."""
    with society_context(society.id):
        return db.session.scalar(select(AssessorAssignment).where(
            AssessorAssignment.scheme_id == scheme.id, AssessorAssignment.assessor_id == assessor_id))


def self_reports_of(society, scheme) -> dict[uuid.UUID, SelfReport]:
    """The society's self-reports for a scheme by indicator id (run in the society's context)."""
    return {r.indicator_id: r for r in db.session.scalars(select(SelfReport).where(
        SelfReport.scheme_id == scheme.id, SelfReport.society_id == society.id))}


def evidence_file(society, scheme, indicator_id):
    """(path, download name, mime type) of a self-report's evidence, or None (run in the society's context)."""
    from society_saas.core import storage

    report = self_reports_of(society, scheme).get(indicator_id)
    if report is None or not report.evidence:
        return None
    return storage.path_of(report.evidence["key"]), report.evidence.get("name") or "evidence", report.evidence["type"]


def assignments(scheme) -> list[tuple[AssessorAssignment, Society]]:
    """Every assessor assignment of the year (read-only, one query)."""
    with cross_society():
        return [(a, s) for a, s in db.session.execute(
            select(AssessorAssignment, Society).join(Society, Society.id == AssessorAssignment.society_id)
            .where(AssessorAssignment.scheme_id == scheme.id).order_by(Society.name))]
