"""Each computed metric on data built here, with society B holding no data at all."""
from datetime import date

import pytest
from sqlalchemy import select

from society_saas.extensions import db
from society_saas.governance.models import CompositionRule, OrganType
from society_saas.members.models import Member, MemberStatus
from society_saas.oversight import metrics
from society_saas.oversight.models import ActivityKind, FilingState
from society_saas.tenancy.context import society_context
from tests.factories import make_society
from tests.oversight import helpers as h

YEAR, ON = 2025, date(2025, 12, 31)


@pytest.fixture
def data(app, session):
    a, b = make_society("a"), make_society("b")
    cls = h.classes(a)
    h.classes(b)  # classes, but no members
    for born in (date(1990, 5, 1), date(1970, 1, 1), date(1960, 1, 1)):
        h.member(a, cls["member"], date(2020, 3, 1), born)
    h.member(a, cls["student"], date(2022, 9, 1), date(1995, 1, 1))
    h.member(a, cls["student"], date(2025, 9, 1), date(2000, 1, 1))
    newcomer = h.member(a, cls["member"], date(2025, 4, 1), date(1985, 1, 1))
    h.member(a, cls["institutional"], date(2025, 4, 1), None, name="某公司")
    h.member(a, cls["member"], date(2019, 1, 1), date(1999, 1, 1), status=MemberStatus.lapsed)
    council, term = h.organ(a, OrganType.council, term=(date(2022, 1, 1), date(2026, 12, 31)))
    standing, _ = h.organ(a, OrganType.standing_council)
    h.organ(a, OrganType.party_organisation, "党支部")
    m1 = h.meeting(a, council, date(2025, 3, 1), term)
    h.meeting(a, council, date(2025, 11, 1), term)
    h.meeting(a, council, date(2024, 11, 1), term)
    for month in (2, 6, 10):
        h.meeting(a, standing, date(2025, month, 1))
    h.decision(a, 1, m1.id, date(2025, 3, 1), 12, 9, 7)
    h.decision(a, 2, m1.id, date(2025, 3, 1), 12, 12, 12)
    h.decision(a, 3, m1.id, date(2025, 3, 1), 12, 6, 6)  # not quorate
    h.decision(a, 4, None, date(2024, 3, 1), 12, 12, 12)  # another year
    h.request(a, newcomer, h.utc(2025, 5, 1), h.utc(2025, 5, 4))
    h.request(a, newcomer, h.utc(2025, 6, 1), h.utc(2025, 6, 11))
    h.request(a, newcomer, h.utc(2024, 6, 1), h.utc(2024, 6, 2))  # another year
    h.activity(a, ActivityKind.brand_academic_event, date(2025, 5, 1))
    h.activity(a, ActivityKind.brand_academic_event, date(2025, 9, 1), FilingState.approved)
    h.activity(a, ActivityKind.brand_academic_event, date(2025, 10, 1), FilingState.draft)
    h.activity(a, ActivityKind.brand_academic_event, date(2024, 10, 1))
    for month in (3, 4, 5):
        h.activity(a, ActivityKind.popular_science, date(2025, month, 1))
    h.activity(a, ActivityKind.academic_conference, date(2025, 7, 1), FilingState.returned)
    h.activity(a, ActivityKind.think_tank_report, date(2025, 7, 1))
    for front in (True, True, False):
        h.position(a, term, front)
    db.session.add(CompositionRule(body=OrganType.council, attribute="front_line", comparison=">=",
                                   threshold_num=1, threshold_den=2))
    db.session.add(CompositionRule(body=OrganType.council, attribute="under_45", comparison=">=",
                                   threshold_num=1, threshold_den=2))
    db.session.commit()
    return a, b


EXPECTED_A = {
    "renewal_on_time": 1.0, "council_meetings": 2.0, "standing_council_meetings": 3.0,
    "decisions_by_rules": 66.67, "member_growth": 50.0, "share_under_45": 66.67, "share_students": 33.33,
    "requests_answered": 50.0, "composition_met": 50.0, "brand_events": 2.0, "popular_science": 3.0,
    "academic_conferences": 0.0, "think_tank_reports": 1.0, "party_organisation": 1.0,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_A))
def test_metric(data, name):
    a, b = data
    values = metrics.compute(name, YEAR, ON)
    assert values.get(a.id, 0.0) == pytest.approx(EXPECTED_A[name], abs=0.01)
    assert values.get(b.id, 0.0) == 0.0  # society with no data


def test_renewal_overdue_counts_zero(data):
    a, _ = data
    assert metrics.compute("renewal_on_time", 2027, date(2027, 3, 1))[a.id] == 0.0


def test_dues_collection_rate(data):
    from society_saas.dues.models import Invoice

    a, b = data
    with society_context(a.id):
        members = db.session.scalars(select(Member).limit(2)).all()
        for m, paid in zip(members, (10000, 0)):
            db.session.add(Invoice(society_id=a.id, member_id=m.id, class_id=m.class_id, dues_year=YEAR,
                                   amount_fen=10000, paid_fen=paid, due_date=date(2025, 3, 31),
                                   grace_until=date(2025, 6, 30)))
        db.session.commit()
    values = metrics.compute("dues_collection", YEAR, ON)
    assert values[a.id] == 50.0 and values.get(b.id, 0.0) == 0.0


def test_at_least_twelve_metrics():
    assert len(metrics.METRICS) >= 12


def _by_rules(society, *decisions) -> float:
    """decisions_by_rules for `society` after recording the given (total, present, for, result, recused) in 2025."""
    council, term = h.organ(society, OrganType.council, term=(date(2022, 1, 1), date(2026, 12, 31)))
    held = h.meeting(society, council, date(2025, 3, 1), term)
    for seq, (total, present, votes_for, result, recused) in enumerate(decisions, start=1):
        h.decision(society, seq, held.id, date(2025, 3, 1), total, present, votes_for, result, recused)
    return metrics.compute("decisions_by_rules", YEAR, ON)[society.id]


def test_a_rejection_the_vote_called_for_is_by_the_rules(app, session):
    a = make_society("a")
    # 5 of 12 present voted for: short of 2/3, rightly rejected; 9 of 12 for but recorded as rejected is wrong
    assert _by_rules(a, (12, 12, 5, "rejected", None), (12, 12, 9, "rejected", None)) == 50.0


def test_recused_members_do_not_count_among_the_voters(app, session):
    a = make_society("a")
    # 6 of the 9 present and not recused is 2/3; without the recusal 6 of 12 would not be
    assert _by_rules(a, (12, 12, 6, "adopted", ["甲", "乙", "丙"])) == 100.0


def test_the_societys_own_charter_sets_quorum_and_majority(app, session):
    a = make_society("a")
    a.settings = {**(a.settings or {}), "charter": {"quorum": "1/2", "majority": "1/2"}}
    db.session.commit()
    # 7 of 12 attend (quorate at 1/2, not at 2/3), 4 of 7 vote for (a majority at 1/2, not at 2/3)
    assert _by_rules(a, (12, 7, 4, "adopted", None)) == 100.0
    b = make_society("b")
    assert _by_rules(b, (12, 7, 4, "adopted", None)) == 0.0  # the default 2/3 charter


def test_a_record_without_its_meeting_on_the_platform_is_not_by_the_rules(app, session):
    a = make_society("a")
    h.decision(a, 1, None, date(2025, 3, 1), 12, 12, 12)
    assert metrics.compute("decisions_by_rules", YEAR, ON)[a.id] == 0.0


def test_reform_tasks_done_by_their_year(app, session):
    from society_saas.oversight.models import ReformTask

    a, b = make_society("a"), make_society("b")
    for code, deadline, completed in (("R1", date(2025, 6, 30), date(2025, 6, 1)), ("R2", date(2025, 9, 30), None),
                                      ("R3", date(2024, 12, 31), date(2025, 3, 1)),
                                      ("R4", date(2026, 6, 30), None),  # due next year: not yet owed
                                      ("R5", date(2025, 3, 31), date(2026, 1, 5))):  # done after the snapshot
        db.session.add(ReformTask(code=code, title=code, owner_society=a.id, deadline=deadline, progress=0,
                                  completed_on=completed))
    db.session.add(ReformTask(code="D1", title="部门任务", owner_department="学会部", deadline=date(2025, 1, 1)))
    db.session.commit()
    values = metrics.compute("reform_tasks_done", YEAR, ON)
    assert values[a.id] == pytest.approx(50.0)  # R1 and R3 of R1, R2, R3, R5
    assert values[b.id] == 100.0  # owes nothing
