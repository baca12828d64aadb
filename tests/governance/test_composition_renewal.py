"""Composition against the association's rules, and the renewal workflow with its deadlines."""
from datetime import date

import pytest

from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import RenewalStatus
from society_saas.governance.services.charter import add_working_days
from society_saas.governance.services.renewals import alert_level, standing
from society_saas.tenancy.context import society_context
from tests.factories import make_society
from tests.governance.helpers import add, council_with_term, person


@pytest.fixture
def society(app, session):
    society = make_society("g")
    with app.test_request_context("/?lang=en"), society_context(society.id):
        yield society
    session.rollback()


def _rules():
    gov.save_rule(None, {"body": "council", "attribute": "front_line", "comparison": ">=", "threshold": "70%"})
    gov.save_rule(None, {"body": "council", "attribute": "under_45", "comparison": ">=", "threshold": "1/3"})


def test_composition_counts_and_thresholds_exactly(society):
    _rules()
    _, term = council_with_term(society, start=date(2022, 1, 1))
    # born 1977-01-01 is 45 on the term start: not under 45
    add(society, term, "甲", birth_date=date(1977, 1, 1), front_line=True)
    add(society, term, "乙", birth_date=date(1977, 1, 2), front_line=True, gender="female")
    add(society, term, "丙", birth_date=date(1990, 1, 1), front_line=False, region="hk")
    counts, results = gov.compliance(society, term)
    assert counts == {"total": 3, "front_line": 2, "under_45": 2, "female": 1, "non_mainland": 1}
    by_attr = {r.rule.attribute.value: r for r in results}
    assert not by_attr["front_line"].ok  # 2/3 < 70%
    assert by_attr["under_45"].ok
    # exactly 7 of 10 meets ">= 70%"
    for name in "丁戊己庚辛壬癸":
        add(society, term, name, front_line=name != "癸", birth_date=date(1960, 1, 1))
    counts, results = gov.compliance(society, term)
    assert (counts["total"], counts["front_line"]) == (10, 8)
    assert {r.rule.attribute.value: r.ok for r in results} == {"front_line": True, "under_45": False}


def test_preview_shows_the_effect_without_saving(society):
    _rules()
    _, term = council_with_term(society)
    add(society, term, "甲", front_line=True)
    add(society, term, "乙", front_line=False)
    counts, results, error = gov.preview_compliance(society, term, add=[person("丙", front_line=True),
                                                                         person("丁", front_line=True)])
    assert error is None and counts["total"] == 4 and counts["front_line"] == 3
    assert gov.roster_counts(society, term)["total"] == 2
    _, _, error = gov.preview_compliance(society, term, add=[person("老", "president", birth_date=date(1900, 1, 1))])
    assert "Age rule" in error
    assert gov.roster_counts(society, term)["total"] == 2


def test_renewal_returned_resubmitted_approved_and_filed(society):
    _, term = council_with_term(society, start=date(2021, 6, 1))
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    assert renewal.plan_due_on == date(2025, 11, 30)
    with pytest.raises(ServiceError):
        gov.review_renewal(society, None, renewal, {"decision": "approve"})
    gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三\n李四"})
    with pytest.raises(ServiceError, match="Say what must change"):
        gov.review_renewal(society, None, renewal, {"decision": "return"})
    gov.review_renewal(society, None, renewal, {"decision": "return", "comment": "青年候选人比例不足"})
    assert renewal.status == RenewalStatus.returned
    gov.submit_plan(society, None, renewal, {"plan": "换届方案（修订）", "candidates": "张三\n李四\n王五"})
    assert renewal.submissions == 2
    gov.review_renewal(society, None, renewal, {"decision": "approve"})
    gov.record_assembly(society, None, renewal, {"held_on": date(2026, 5, 20)})
    assert renewal.results_due_on == add_working_days(date(2026, 5, 20), 30)
    gov.file_results(society, None, renewal, {"filed_on": renewal.results_due_on})
    assert renewal.status == RenewalStatus.filed
    db.session.flush()


def test_thirtieth_working_day_uses_the_official_calendar():
    # After 30 Sep 2026: 1-7 Oct is the National Day holiday, Saturday 10 Oct a 调休 working day.
    # Oct 8, 9, 10 (3), 12-16 (8), 19-23 (13), 26-30 (18), Nov 2-6 (23), 9-13 (28), 16 (29), 17 (30).
    assert add_working_days(date(2026, 9, 30), 30) == date(2026, 11, 17)
    assert add_working_days(date(2026, 9, 30), 29) == date(2026, 11, 16)
    # Monday to Friday alone would give 11 November
    assert add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)


def test_postponement_one_year_allowed_one_year_and_a_day_refused(society):
    _, term = council_with_term(society, start=date(2021, 6, 1))
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    with pytest.raises(ServiceError, match="Postponement rule"):
        gov.request_postponement(society, None, renewal, {"reason": "疫情", "until": date(2027, 6, 1)})
    with pytest.raises(ServiceError):
        gov.request_postponement(society, None, renewal, {"reason": "", "until": date(2027, 5, 31)})
    gov.request_postponement(society, None, renewal, {"reason": "疫情", "until": date(2027, 5, 31)})
    gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    assert standing(term.ends_on, renewal, on=date(2027, 1, 1)) == "postponed"
    assert standing(term.ends_on, renewal, on=date(2027, 6, 1)) == "overdue"


def test_standing_and_alerts():
    end = date(2026, 12, 31)
    assert standing(end, None, on=date(2026, 1, 1)) == "on_time"
    assert standing(end, None, on=date(2026, 7, 5)) == "overdue"  # plan was due 30 June
    assert standing(end, None, on=date(2027, 1, 1)) == "overdue"
    assert alert_level(end, on=date(2026, 7, 4)) == 180
    assert alert_level(end, on=date(2026, 12, 1)) == 30
    assert alert_level(end, on=date(2027, 1, 1)) == 0
    assert alert_level(end, on=date(2026, 1, 1)) is None


def test_another_societys_ids_are_not_found(app, session):
    a, b = make_society("ga"), make_society("gb")
    with app.test_request_context():
        with society_context(b.id):
            _, term = council_with_term(b)
            session.commit()
        with society_context(a.id):
            with pytest.raises(NotFoundError):
                gov.get_term(a, term.id)
            with pytest.raises(NotFoundError):
                gov.add_position(a, None, {"term_id": term.id, **person("甲")})


def test_meeting_quorum_and_frequency(society):
    from fractions import Fraction

    from society_saas.governance.services.meetings import frequency_findings

    organ, term = council_with_term(society, start=date(2021, 1, 1))
    exactly = gov.create_meeting(society, None, {"organ_id": organ.id, "title": "一次会议", "held_on": date(2021, 3, 1),
                                                 "members_count": 30, "present_count": 20})
    short = gov.create_meeting(society, None, {"organ_id": organ.id, "title": "二次会议", "held_on": date(2023, 3, 1),
                                               "members_count": 30, "present_count": 19})
    assert exactly.is_quorate(Fraction(2, 3)) and not short.is_quorate(Fraction(2, 3))
    with pytest.raises(ServiceError, match="proxy"):
        gov.create_meeting(society, None, {"organ_id": organ.id, "title": "三", "held_on": date(2023, 4, 1),
                                           "members_count": 30, "present_count": 19, "proxy_count": 1})
    findings = frequency_findings(society, db.session.get(type(organ), (society.id, organ.id)), term, date(2024, 6, 1))
    assert len(findings) == 1 and findings[0].startswith("2022")  # 2021 and 2023 met; 2024 is not over
    standing_organ = gov.create_organ(society, None, {"type": "standing_council", "name": "常务理事会"})
    standing_term = gov.create_term(society, None, {"organ_id": standing_organ.id, "number": 1,
                                                    "starts_on": date(2021, 1, 1)})
    for held in (date(2021, 7, 1), date(2022, 1, 1), date(2022, 9, 1)):
        gov.create_meeting(society, None, {"organ_id": standing_organ.id, "title": "常务理事会", "held_on": held,
                                           "members_count": 9, "present_count": 9})
    findings = frequency_findings(society, standing_organ, standing_term, date(2023, 1, 1))
    assert findings == ["No standing council meeting between 2022-01-01 and 2022-09-01 (more than 6 months)."]


def test_attendance_list_sets_the_counts_and_quorum(society):
    from fractions import Fraction

    from society_saas.governance.services.meetings import record_attendance

    organ, term = council_with_term(society)
    meeting = gov.create_meeting(society, None, {"organ_id": organ.id, "title": "会议", "held_on": date(2023, 1, 1),
                                                 "members_count": 1, "present_count": 0})
    rows = [{"name": f"理事{i}", "status": "present" if i < 6 else "absent"} for i in range(9)]
    record_attendance(society, None, meeting, rows)
    assert (meeting.members_count, meeting.present_count) == (9, 6)
    assert meeting.is_quorate(Fraction(2, 3))  # exactly 2/3
    rows[5]["status"] = "absent"
    record_attendance(society, None, meeting, rows)
    assert not meeting.is_quorate(Fraction(2, 3))
    with pytest.raises(ServiceError, match="proxy"):
        record_attendance(society, None, meeting, [{"name": "甲", "status": "proxy"}])
    society.settings = {"charter": {"proxy_allowed": True}}
    record_attendance(society, None, meeting, [{"name": "甲", "status": "proxy", "proxy_name": "乙"},
                                               {"name": "丙", "status": "present"}])
    assert (meeting.present_count, meeting.proxy_count) == (1, 1)
    assert meeting.is_quorate(Fraction(2, 3), count_proxies=True)


def test_the_association_judges_the_roster_of_the_term_in_office_not_one_entered_ahead(society):
    _rules()
    organ, current = council_with_term(society, start=date(2022, 1, 1), end=date(2026, 12, 31))
    add(society, current, "甲", front_line=True, birth_date=date(1960, 1, 1))
    upcoming = gov.create_term(society, None, {"organ_id": organ.id, "number": 2, "starts_on": date(2027, 1, 1),
                                               "ends_on": date(2031, 12, 31)})
    db.session.flush()
    [(sid, body, term, counts)] = gov.compliance_overview(date(2026, 6, 1), [society.id])
    assert (sid, body.value, term.id, counts["total"]) == (society.id, "council", current.id, 1)
    [(_sid, _body, term, counts)] = gov.compliance_overview(date(2027, 1, 1), [society.id])
    assert (term.id, counts["total"]) == (upcoming.id, 0)
