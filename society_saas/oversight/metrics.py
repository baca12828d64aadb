"""The computed metrics of the annual assessment: each one set-based SQL across every society for a year.

A metric is a function (year, on) -> {society_id: value}; it runs its grouped query inside the
read-only cross-society context. A society with no data is absent from the dict and counts as 0.
Shares are percentages (0-100); yes/no metrics are 1 or 0; counts are counts.
"""
import uuid
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import load_only

from society_saas.decisions.models import DecisionEntry, EntryType
from society_saas.decisions.services.rules import follows_rules
from society_saas.extensions import db
from society_saas.governance.models import Meeting, Organ, OrganType
from society_saas.members.models import Member, MemberClass, MemberRequest, MemberStatus
from society_saas.oversight import queries
from society_saas.oversight.models import Activity, ActivityKind, FilingState, ReformTask
from society_saas.tenancy.context import cross_society
from society_saas.tenancy.models import Society

CURRENT = (MemberStatus.active, MemberStatus.grace)
REQUEST_DAYS = 7  # a member's request is answered within 7 days


def _rows(stmt):
    with cross_society():
        return db.session.execute(stmt).all()


def _share(part, whole) -> float:
    return round(100.0 * float(part or 0) / float(whole), 2) if whole else 0.0


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def renewal_on_time(year: int, on: date) -> dict:
    """1 when the council term in office is renewed or not yet overdue (a postponement approved counts), else 0."""
    return {sid: 0.0 if r["status"] == "overdue" else 1.0 for sid, r in queries.renewal_status(on).items()}


def _meetings_of(organ_type: OrganType, year: int) -> dict:
    start, end = _year(year)
    stmt = (select(Meeting.society_id, func.count())
            .join(Organ, and_(Organ.society_id == Meeting.society_id, Organ.id == Meeting.organ_id))
            .where(Organ.type == organ_type, Meeting.held_on >= start, Meeting.held_on <= end)
            .group_by(Meeting.society_id))
    return {sid: float(n) for sid, n in _rows(stmt)}


def council_meetings(year: int, on: date) -> dict:
    """Council meetings held in the year."""
    return _meetings_of(OrganType.council, year)


def standing_council_meetings(year: int, on: date) -> dict:
    """Standing-council meetings held in the year."""
    return _meetings_of(OrganType.standing_council, year)


def decisions_by_rules(year: int, on: date) -> dict:
    """Share of the year's 三重一大 records properly recorded: taken at a meeting on the platform (who attended
    is on record) by a quorum, with a result that follows the vote, under each society's own charter."""
    start, end = _year(year)
    stmt = (select(DecisionEntry.society_id, DecisionEntry.meeting_id, DecisionEntry.kind, DecisionEntry.result,
                   DecisionEntry.members_total, DecisionEntry.present, DecisionEntry.recused, DecisionEntry.votes_for)
            .where(DecisionEntry.entry_type == EntryType.record.value, DecisionEntry.meeting_date >= start,
                   DecisionEntry.meeting_date <= end))
    # The quorum and majority are each society's charter settings: one read of every society's settings,
    # then the rule applied to the year's records as they stream by (one query, whatever the number).
    charters = {s.id: s for s in db.session.scalars(select(Society).options(load_only(Society.id, Society.settings)))}
    counts: dict = {}
    for entry in _rows(stmt):
        total, good = counts.get(entry.society_id, (0, 0))
        counts[entry.society_id] = (total + 1, good + follows_rules(entry, charters[entry.society_id]))
    return {sid: _share(good, total) for sid, (total, good) in counts.items()}


def _individual():
    return and_(MemberClass.society_id == Member.society_id, MemberClass.id == Member.class_id)


def member_growth(year: int, on: date) -> dict:
    """Growth of current individual members in the year, in percent of those who joined before it."""
    start, end = _year(year)
    stmt = (select(Member.society_id,
                   func.sum(case((Member.join_date < start, 1), else_=0)),
                   func.sum(case((and_(Member.join_date >= start, Member.join_date <= end), 1), else_=0)))
            .join(MemberClass, _individual())
            .where(Member.status.in_(CURRENT), MemberClass.code != "institutional")
            .group_by(Member.society_id))
    return {sid: _share(new, before) for sid, before, new in _rows(stmt)}


def _member_share(condition, on: date) -> dict:
    stmt = (select(Member.society_id, func.count(), func.sum(case((condition, 1), else_=0)))
            .join(MemberClass, _individual())
            .where(Member.status.in_(CURRENT), MemberClass.code != "institutional",
                   (Member.join_date.is_(None)) | (Member.join_date <= on))
            .group_by(Member.society_id))
    return {sid: _share(part, total) for sid, total, part in _rows(stmt)}


def share_under_45(year: int, on: date) -> dict:
    """Share of current individual members under 45 on the snapshot date."""
    from society_saas.governance.services.charter import add_years

    return _member_share(Member.birth_date > add_years(on, -45), on)


def share_students(year: int, on: date) -> dict:
    """Share of current individual members in the student class."""
    return _member_share(MemberClass.code == "student", on)


def _days_between(earlier, later):
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def requests_answered(year: int, on: date) -> dict:
    """Share of the year's member requests answered within REQUEST_DAYS days."""
    from datetime import datetime, timezone

    start = datetime(year, 1, 1, tzinfo=timezone.utc) - timedelta(hours=8)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc) - timedelta(hours=8)
    in_time = and_(MemberRequest.replied_at.is_not(None),
                   _days_between(MemberRequest.created_at, MemberRequest.replied_at) <= REQUEST_DAYS)
    stmt = (select(MemberRequest.society_id, func.count(), func.sum(case((in_time, 1), else_=0)))
            .where(MemberRequest.created_at >= start, MemberRequest.created_at < end)
            .group_by(MemberRequest.society_id))
    return {sid: _share(ok, total) for sid, total, ok in _rows(stmt)}


def composition_met(year: int, on: date) -> dict:
    """Share of the association's composition checks met by the society's terms in office."""
    return {sid: _share(c["met"], c["checked"]) for sid, c in queries.composition_met(on).items() if c["checked"]}


def _activities(kind: ActivityKind, year: int) -> dict:
    start, end = _year(year)
    stmt = (select(Activity.society_id, func.count())
            .where(Activity.kind == kind, Activity.starts_on >= start, Activity.starts_on <= end,
                   Activity.filing_state.in_((FilingState.not_required, FilingState.approved)))
            .group_by(Activity.society_id))
    return {sid: float(n) for sid, n in _rows(stmt)}


def brand_events(year: int, on: date) -> dict:
    """Brand academic events held in the year (recorded, or approved when in the association's name)."""
    return _activities(ActivityKind.brand_academic_event, year)


def popular_science(year: int, on: date) -> dict:
    """Popular-science activities held in the year."""
    return _activities(ActivityKind.popular_science, year)


def academic_conferences(year: int, on: date) -> dict:
    """Academic conferences held in the year."""
    return _activities(ActivityKind.academic_conference, year)


def think_tank_reports(year: int, on: date) -> dict:
    """Think-tank reports delivered in the year."""
    return _activities(ActivityKind.think_tank_report, year)


def party_organisation(year: int, on: date) -> dict:
    """1 when the society has an active party organisation."""
    stmt = (select(Organ.society_id).where(Organ.type == OrganType.party_organisation, Organ.active.is_(True))
            .group_by(Organ.society_id))
    return {sid: 1.0 for (sid,) in _rows(stmt)}


def reform_tasks_done(year: int, on: date) -> dict:
    """Share of the reform tasks a society owns that fall due by the year's end and were done by the snapshot
    date (改革实施情况纳入年度考核); a society that owes none has nothing outstanding: 100."""
    _start, end = _year(year)
    done = and_(ReformTask.completed_on.is_not(None), ReformTask.completed_on <= on)
    stmt = (select(ReformTask.owner_society, func.count(), func.sum(case((done, 1), else_=0)))
            .where(ReformTask.owner_society.is_not(None), ReformTask.deadline <= end)
            .group_by(ReformTask.owner_society))
    owed = {sid: _share(ok, total) for sid, total, ok in _rows(stmt)}
    return {sid: owed.get(sid, 100.0) for sid in db.session.scalars(select(Society.id))}


def dues_collection(year: int, on: date) -> dict:
    """Share of the year's dues collected, when the dues area exists."""
    return {sid: d["rate"] for sid, d in queries.dues_collected(year).items()}


METRICS = {
    "renewal_on_time": (renewal_on_time, _l("Renewal on time")),
    "council_meetings": (council_meetings, _l("Council meetings held")),
    "standing_council_meetings": (standing_council_meetings, _l("Standing-council meetings held")),
    "decisions_by_rules": (decisions_by_rules, _l("三重一大 decisions recorded by the rules (%)")),
    "member_growth": (member_growth, _l("Individual-member growth (%)")),
    "share_under_45": (share_under_45, _l("Members under 45 (%)")),
    "share_students": (share_students, _l("Student members (%)")),
    "requests_answered": (requests_answered, _l("Member requests answered in time (%)")),
    "composition_met": (composition_met, _l("Composition rules met (%)")),
    "brand_events": (brand_events, _l("Brand academic events held")),
    "popular_science": (popular_science, _l("Popular-science activities held")),
    "academic_conferences": (academic_conferences, _l("Academic conferences held")),
    "think_tank_reports": (think_tank_reports, _l("Think-tank reports")),
    "party_organisation": (party_organisation, _l("Party organisation set up")),
    "dues_collection": (dues_collection, _l("Dues collection rate (%)")),
    "reform_tasks_done": (reform_tasks_done, _l("Reform tasks done by their year (%)")),
}


def compute(metric: str, year: int, on: date) -> dict[uuid.UUID, float]:
    """One metric for every society (absent societies have no data: 0)."""
    return METRICS[metric][0](year, on)


def compute_all(year: int, on: date, names=None) -> dict[str, dict[uuid.UUID, float]]:
    """Several metrics for every society, one set-based query (or two) each."""
    return {name: compute(name, year, on) for name in (names or METRICS)}
