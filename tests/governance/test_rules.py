"""The charter's rules on organs, terms and positions, each refused with its message, at its edge."""
from datetime import date

import pytest

from society_saas.core.errors import ServiceError
from society_saas.governance import services as gov
from society_saas.tenancy.context import society_context
from tests.factories import make_society
from tests.governance.helpers import add, appointment, council_with_term


@pytest.fixture
def society(app, session):
    society = make_society("g")
    with app.test_request_context("/?lang=en"), society_context(society.id):
        yield society
    session.rollback()


def test_branch_needs_subtype_and_party_needs_type(society):
    with pytest.raises(ServiceError) as err:
        gov.create_organ(society, None, {"type": "branch", "name": "专委会"})
    assert err.value.field == "branch_subtype"
    with pytest.raises(ServiceError) as err:
        gov.create_organ(society, None, {"type": "party_organisation", "name": "党支部"})
    assert err.value.field == "party_type"
    organ = gov.create_organ(society, None, {"type": "party_organisation", "name": "党支部", "party_type": "A"})
    assert organ.party_type.value == "A"


def test_term_defaults_to_charter_length_and_max_is_refused(society):
    organ = gov.create_organ(society, None, {"type": "council", "name": "理事会"})
    term = gov.create_term(society, None, {"organ_id": organ.id, "number": 1, "starts_on": date(2021, 6, 1)})
    assert term.ends_on == date(2026, 5, 31)
    # exactly five years is allowed; a day more is not
    gov.create_term(society, None, {"organ_id": organ.id, "number": 2, "starts_on": date(2026, 6, 1),
                                    "ends_on": date(2031, 6, 1)})
    with pytest.raises(ServiceError, match="Term length rule") as err:
        gov.create_term(society, None, {"organ_id": organ.id, "number": 3, "starts_on": date(2031, 6, 2),
                                        "ends_on": date(2036, 6, 3)})
    assert err.value.field == "ends_on"


def test_term_length_follows_the_charter_setting(society):
    society.settings = {"charter": {"term_max_years": 4}}
    organ = gov.create_organ(society, None, {"type": "council", "name": "理事会"})
    with pytest.raises(ServiceError, match="at most 4 years"):
        gov.create_term(society, None, {"organ_id": organ.id, "number": 1, "starts_on": date(2021, 1, 1),
                                        "ends_on": date(2025, 6, 1)})


def test_age_seventy_on_the_day_is_allowed_and_a_day_older_refused(society):
    _, term = council_with_term(society, start=date(2026, 5, 1))
    add(society, term, "张一", "president", birth_date=date(1956, 5, 1))  # 70 on the day
    with pytest.raises(ServiceError, match="Age rule") as err:
        add(society, term, "张二", "vice_president", birth_date=date(1955, 4, 30))  # 71
    assert err.value.field == "birth_date"


def test_age_limit_is_configurable(society):
    society.settings = {"charter": {"max_age_at_office": 65}}
    _, term = council_with_term(society, start=date(2026, 5, 1))
    with pytest.raises(ServiceError, match="over 65"):
        add(society, term, "张一", "president", birth_date=date(1960, 1, 1))


def test_president_at_most_two_consecutive_terms(society):
    organ = gov.create_organ(society, None, {"type": "council", "name": "理事会"})
    terms = [gov.create_term(society, None, {"organ_id": organ.id, "number": n, "starts_on": date(2006 + 5 * n, 1, 1)})
             for n in (1, 2, 3, 4)]
    add(society, terms[0], "李四", "president")
    add(society, terms[1], "李四", "president")
    with pytest.raises(ServiceError, match="Consecutive terms rule"):
        add(society, terms[2], "李四", "president")
    # someone else in term 3, then the first president may come back in term 4
    add(society, terms[2], "王五", "president")
    add(society, terms[3], "李四", "president")


def test_secretary_general_needs_the_council_decision(society):
    _, term = council_with_term(society)
    with pytest.raises(ServiceError, match="Appointment rule") as err:
        add(society, term, "赵六", "secretary_general")
    assert err.value.field == "appointment_decision_ref"

    def refused(ref, match):
        with pytest.raises(ServiceError, match=match) as err:
            add(society, term, "赵六", "secretary_general", appointment_decision_ref=ref)
        assert err.value.field == "appointment_decision_ref"

    refused("四届三次理事会决议第2号", "from the decision log")  # free text points at nothing
    refused(appointment(society, kind="major_decision"), "must be an appointment")
    refused(appointment(society, body="general_assembly"), "council or the standing council")
    refused(appointment(society, votes_for=10, votes_against=9, result="rejected"), "not adopted")
    refused(appointment(society, meeting_date=date(2022, 1, 2)), "before the council decided it")  # a day late
    decided = appointment(society, body="standing_council", meeting_date=date(2022, 1, 1))  # the same day
    position = add(society, term, "赵六", "secretary_general", appointment_decision_ref=decided)
    assert position.appointment_decision_ref == decided


def test_appointment_of_another_society_is_refused(society):
    other = make_society("h")
    with society_context(other.id):
        foreign = appointment(other)
    _, term = council_with_term(society)
    with pytest.raises(ServiceError, match="from the decision log"):
        add(society, term, "赵六", "secretary_general", appointment_decision_ref=foreign)


def test_not_both_council_and_supervisory_board_in_the_same_term(society):
    _, council_term = council_with_term(society)
    board = gov.create_organ(society, None, {"type": "supervisory_board", "name": "监事会"})
    board_term = gov.create_term(society, None, {"organ_id": board.id, "number": 1, "starts_on": date(2022, 1, 1)})
    add(society, council_term, "钱七")
    with pytest.raises(ServiceError, match="Separation rule"):
        add(society, board_term, "钱七", "supervisor")
    # a namesake born on another day is another person
    add(society, board_term, "钱七", "supervisor", birth_date=date(1980, 3, 3))


def test_role_must_belong_to_the_organ(society):
    _, term = council_with_term(society)
    with pytest.raises(ServiceError, match="does not belong"):
        add(society, term, "孙八", "supervisor")


def test_resignation_leaves_the_roster(society):
    _, term = council_with_term(society)
    position = add(society, term, "周九")
    gov.resign_position(society, None, position, {"resigned_at": date(2023, 1, 1)})
    assert gov.list_positions(society, term) == []
    with pytest.raises(ServiceError):
        gov.resign_position(society, None, position, {"resigned_at": date(2023, 2, 1)})


def test_refusals_are_in_chinese_by_default(app, session):
    society = make_society("zh")
    with app.test_request_context("/"), society_context(society.id):
        _, term = council_with_term(society, start=date(2026, 5, 1))
        with pytest.raises(ServiceError, match="年龄规则：任职时年龄超过 70 周岁"):
            add(society, term, "张二", "president", birth_date=date(1955, 4, 30))
    session.rollback()


def test_secretary_general_assessed_by_a_council_meeting(society):
    organ, term = council_with_term(society)
    sg = add(society, term, "赵六", "secretary_general", appointment_decision_ref=appointment(society))
    other = add(society, term, "钱七")
    board = gov.create_organ(society, None, {"type": "supervisory_board", "name": "监事会"})
    council_meeting = gov.create_meeting(society, None, {"organ_id": organ.id, "title": "理事会", "members_count": 20,
                                                         "present_count": 18, "held_on": date(2023, 3, 1)})
    board_meeting = gov.create_meeting(society, None, {"organ_id": board.id, "title": "监事会", "members_count": 3,
                                                       "present_count": 3, "held_on": date(2023, 3, 2)})
    data = {"position_id": sg.id, "meeting_id": council_meeting.id, "year": 2022, "rating": "competent"}
    with pytest.raises(ServiceError, match="Only the secretary-general"):
        gov.record_assessment(society, None, {**data, "position_id": other.id})
    with pytest.raises(ServiceError, match="Assessment rule"):
        gov.record_assessment(society, None, {**data, "meeting_id": board_meeting.id})
    gov.record_assessment(society, None, data)
    with pytest.raises(ServiceError, match="already been assessed"):
        gov.record_assessment(society, None, data)
    assert [a.year for a in gov.list_assessments(society, sg)] == [2022]
