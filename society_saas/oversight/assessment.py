"""The annual assessment (年度工作考核): the scheme, self-reports, frozen metrics and assessors.

Scores, grades and the ranking are in `scoring`.

Verbs take (actor, ...), add and flush, never commit. Tenant rows are written inside
`society_context(society.id)`; reading across societies uses `cross_society()` and set-based queries.
"""
import uuid
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import metrics
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


def flush_all() -> None:
    """Flush, then flush the audit rows the first flush added, while still in one society's context."""
    db.session.flush()
    db.session.flush()


def _expect(scheme: AssessmentScheme, *states) -> None:
    if scheme.state not in states:
        raise ServiceError(_("This step is not possible in the scheme's current state."))


def _float(value, field, required=True):
    if value in (None, ""):
        if required:
            raise ServiceError(_("This field is required."), field=field)
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter a number."), field=field) from None


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
    try:
        year = int(data.get("year") or 0)
    except ValueError:
        year = 0
    if year < 2000 or year > 2100:
        raise ServiceError(_("Enter a year."), field="year")
    if db.session.scalar(select(AssessmentScheme).where(AssessmentScheme.year == year)):
        raise ServiceError(_("There is already a scheme for this year."), field="year")
    thresholds = {}
    for key in ("excellent", "good", "pass"):
        value = _float(data.get(key), key, required=False)
        thresholds[key] = DEFAULT_THRESHOLDS[key] if value is None else value
    if not thresholds["excellent"] > thresholds["good"] > thresholds["pass"] >= 0:
        raise ServiceError(_("The thresholds must fall: excellent > good > pass."), field="excellent")
    dates = {}
    for key in ("self_report_due", "snapshot_on", "scoring_due"):
        value = data.get(key)
        try:
            dates[key] = value if isinstance(value, date) or not value else date.fromisoformat(value)
        except ValueError:
            raise ServiceError(_("Enter a date as YYYY-MM-DD."), field=key) from None
    scheme = AssessmentScheme(year=year, title=(data.get("title") or "").strip() or _("Annual assessment %(year)d",
                                                                                        year=year),
                              thresholds=thresholds, **{k: v or None for k, v in dates.items()})
    db.session.add(scheme)
    db.session.flush()
    return scheme


def add_indicator(actor, scheme: AssessmentScheme, data: dict) -> Indicator:
    """Add an indicator to a draft scheme."""
    _expect(scheme, SchemeState.draft)
    code, name = (data.get("code") or "").strip(), (data.get("name") or "").strip()
    if not code:
        raise ServiceError(_("This field is required."), field="code")
    if not name:
        raise ServiceError(_("This field is required."), field="name")
    try:
        kind = IndicatorType(data.get("type"))
    except ValueError:
        raise ServiceError(_("Choose the indicator's type."), field="type") from None
    try:
        rule = ScoringRule(data.get("rule") or "linear")
    except ValueError:
        raise ServiceError(_("Choose the scoring rule."), field="rule") from None
    weight = _float(data.get("weight"), "weight")
    if weight <= 0:
        raise ServiceError(_("The weight must be positive."), field="weight")
    metric = data.get("metric") or None
    if kind == IndicatorType.computed and metric not in metrics.METRICS:
        raise ServiceError(_("Choose the metric a computed indicator reads."), field="metric")
    floor, target = _float(data.get("floor"), "floor", False), _float(data.get("target"), "target", False)
    bands = data.get("bands")
    if isinstance(bands, str):
        bands = _parse_bands(bands)
    if rule == ScoringRule.linear and kind != IndicatorType.assessor:
        if floor is None or target is None or target == floor:
            raise ServiceError(_("A linear rule needs a floor and a different target."), field="target")
    if rule == ScoringRule.bands and not bands:
        raise ServiceError(_("Give the bands as value:share, one per line."), field="bands")
    if db.session.scalar(select(Indicator).where(Indicator.scheme_id == scheme.id, Indicator.code == code)):
        raise ServiceError(_("This code is already used in the scheme."), field="code")
    count = len(indicators(scheme))
    indicator = Indicator(scheme_id=scheme.id, code=code[:20], name=name[:200],
                          category=(data.get("category") or "").strip()[:60] or _("General"), weight=weight,
                          type=kind, metric=metric if kind == IndicatorType.computed else None, rule=rule,
                          floor=floor, target=target, bands=bands, sort_order=int(data.get("sort_order") or count))
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


def _parse_bands(text: str) -> list:
    bands = []
    for line in text.replace(",", "\n").splitlines():
        if not line.strip():
            continue
        try:
            value, share = line.split(":")
            bands.append([float(value), float(share)])
        except ValueError:
            raise ServiceError(_("Give the bands as value:share, one per line."), field="bands") from None
    return sorted(bands, reverse=True)


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
    value = _float(data.get("value"), "value")
    report = db.session.scalar(select(SelfReport).where(SelfReport.indicator_id == indicator.id))
    if report is None:
        report = SelfReport(society_id=society.id, scheme_id=scheme.id, indicator_id=indicator.id, value=value)
        db.session.add(report)
    report.value, report.note, report.submitted_at = value, (data.get("note") or None), utcnow()
    if upload is not None and getattr(upload, "filename", None):
        report.evidence = storage.save(society.id, upload.stream, upload.filename)
    db.session.flush()
    return report


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
    on = on or scheme.snapshot_on or date(scheme.year, 12, 31)
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
