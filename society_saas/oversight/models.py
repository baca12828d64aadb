"""The association's oversight: activities and their filing, the annual assessment, the watchlist, reform tasks.

Schemes, indicators and reform tasks are the association's own (global tables); a society's
activities, self-reports, frozen metrics, assessor assignments and scores, results and the
watchlist follow-ups are tenant rows, written inside `society_context(society.id)`.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, Enum, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import GlobalModel, TenantScoped, UTCDateTime, json_type


def _enum(cls, length: int = 30):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class ActivityKind(str, enum.Enum):
    """What a society's activity is (DOMAIN.md, indicators)."""

    academic_conference = "academic_conference"  # 学术会议
    brand_academic_event = "brand_academic_event"  # 品牌学术活动
    popular_science = "popular_science"  # 科普活动
    training = "training"  # 培训
    think_tank_report = "think_tank_report"  # 智库报告
    group_standard = "group_standard"  # 团体标准
    award = "award"  # 奖项
    journal_issue = "journal_issue"  # 期刊出版


class FilingState(str, enum.Enum):
    """Review and filing (审核报备) of an activity held in the association's name."""

    not_required = "not_required"  # not in the association's name: recorded only
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    returned = "returned"


# States in which an activity counts as held for the computed metrics.
COUNTED_FILING_STATES = (FilingState.not_required.value, FilingState.approved.value)


class Activity(TenantScoped):
    """An activity of a society; those in the association's name are filed ahead for review."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_society_kind_starts", "society_id", "kind", "starts_on"),
        Index("ix_activity_society_filing", "society_id", "filing_state"),
    )

    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind))
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    in_association_name: Mapped[bool] = mapped_column(Boolean, default=False)
    filing_state: Mapped[FilingState] = mapped_column(_enum(FilingState, 20), default=FilingState.not_required)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    review_comment: Mapped[str | None] = mapped_column(Text)


class SchemeState(str, enum.Enum):
    """The assessment year's workflow."""

    draft = "draft"
    published = "published"
    self_report = "self_report"
    frozen = "frozen"
    scoring = "scoring"
    finalised = "finalised"


class IndicatorType(str, enum.Enum):
    """Where an indicator's value comes from."""

    computed = "computed"
    self_reported = "self_reported"
    assessor = "assessor"


class ScoringRule(str, enum.Enum):
    """How a value becomes points."""

    linear = "linear"  # 0 at the floor, the full weight at the target, linear between
    bands = "bands"  # [[min value, share of the weight], ...]
    yes_no = "yes_no"  # the full weight for a value >= 1


DEFAULT_THRESHOLDS = {"excellent": 90.0, "good": 75.0, "pass": 60.0}


class AssessmentScheme(GlobalModel):
    """The annual assessment (年度工作考核) of one year: indicators, deadlines and grade thresholds."""

    __tablename__ = "assessment_scheme"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[SchemeState] = mapped_column(_enum(SchemeState, 20), default=SchemeState.draft)
    self_report_due: Mapped[date | None] = mapped_column(Date)
    snapshot_on: Mapped[date | None] = mapped_column(Date)
    scoring_due: Mapped[date | None] = mapped_column(Date)
    thresholds: Mapped[dict] = mapped_column(json_type(), default=lambda: dict(DEFAULT_THRESHOLDS))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Indicator(GlobalModel):
    """One indicator (指标) of a scheme, with its weight (points) and scoring rule."""

    __tablename__ = "assessment_indicator"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_scheme.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(60))
    weight: Mapped[float] = mapped_column(Float)
    type: Mapped[IndicatorType] = mapped_column(_enum(IndicatorType, 20))
    metric: Mapped[str | None] = mapped_column(String(40))  # for computed indicators: a key of metrics.METRICS
    rule: Mapped[ScoringRule] = mapped_column(_enum(ScoringRule, 10), default=ScoringRule.linear)
    floor: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    bands: Mapped[list | None] = mapped_column(json_type())
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


def _scheme_fk():
    return ForeignKey("assessment_scheme.id", ondelete="CASCADE")


class SelfReport(TenantScoped):
    """A society's self-reported value (自评) for one indicator, with its evidence file."""

    __tablename__ = "assessment_self_report"
    __table_args__ = (UniqueConstraint("society_id", "indicator_id"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(_scheme_fk())
    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_indicator.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict | None] = mapped_column(json_type())  # storage metadata: key, name, type, size
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MetricSnapshot(TenantScoped):
    """A computed metric's value for one society, frozen at the scheme's snapshot date."""

    __tablename__ = "assessment_metric_snapshot"
    __audited__ = False  # written in bulk by the freeze; the scheme's own change is audited
    __table_args__ = (UniqueConstraint("society_id", "scheme_id", "metric"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(_scheme_fk())
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    taken_on: Mapped[date] = mapped_column(Date)


class AssessorAssignment(TenantScoped):
    """An assessor (评审专家) assigned to a society for a year; recused (回避) where there is a conflict."""

    __tablename__ = "assessment_assignment"
    __table_args__ = (UniqueConstraint("society_id", "scheme_id", "assessor_id"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(_scheme_fk())
    assessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    recused: Mapped[bool] = mapped_column(Boolean, default=False)
    recusal_reason: Mapped[str | None] = mapped_column(Text)


class AssessorScore(TenantScoped):
    """One assessor's points for one assessor-scored indicator of one society."""

    __tablename__ = "assessment_score"
    __table_args__ = (UniqueConstraint("society_id", "indicator_id", "assessor_id"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(_scheme_fk())
    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_indicator.id", ondelete="CASCADE"))
    assessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    points: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)


class AssessmentResult(TenantScoped):
    """A society's finalised result for a year: total, grade, rank and the breakdown by indicator."""

    __tablename__ = "assessment_result"
    __table_args__ = (UniqueConstraint("society_id", "scheme_id"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(_scheme_fk())
    total: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)
    breakdown: Mapped[list] = mapped_column(json_type(), default=list)


class AssessmentRun(GlobalModel):
    """A freeze or finalise of a scheme run by the worker, with its progress (the association's long work)."""

    __tablename__ = "assessment_run"
    __table_args__ = (Index("ix_assessment_run_state", "state"),)

    scheme_id: Mapped[uuid.UUID] = mapped_column(_scheme_fk())
    step: Mapped[str] = mapped_column(String(20))  # freeze, finalise
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued, running, done, failed
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[uuid.UUID | None] = mapped_column()
    snapshot_on: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WatchAction(TenantScoped):
    """A follow-up action the association took about a weak society (软弱涣散)."""

    __tablename__ = "watch_action"
    __table_args__ = (Index("ix_watch_action_society_taken", "society_id", "taken_on"),)

    taken_on: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(40))  # talk, rectification notice, suspension proposal, other
    note: Mapped[str] = mapped_column(Text)
    actor_label: Mapped[str | None] = mapped_column(String(200))


class ReformTask(GlobalModel):
    """A reform task (改革任务) with its owner, deadline, progress and evidence."""

    __tablename__ = "reform_task"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_department: Mapped[str | None] = mapped_column(String(100))
    owner_society: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("society.id", ondelete="SET NULL"))
    deadline: Mapped[date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    evidence: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)


__all__ = ["Activity", "ActivityKind", "AssessmentResult", "AssessmentRun", "AssessmentScheme", "AssessorAssignment", "AssessorScore",
           "FilingState", "Indicator", "IndicatorType", "MetricSnapshot", "ReformTask", "SchemeState", "ScoringRule",
           "SelfReport", "WatchAction"]
