"""Every collective decision rule refuses what it should, at its edge, and changes nothing."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from society_saas.core.clock import today_cn
from society_saas.core.errors import ServiceError
from society_saas.decisions import services
from society_saas.decisions.models import DecisionEntry
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.decisions.helpers import society_with_charter, valid


def _attempt(society, **over):
    with society_context(society.id):
        try:
            return services.record_decision(society, None, valid(**over))
        finally:
            db.session.rollback()


def _refused(society, field, words, **over):
    with pytest.raises(ServiceError) as exc:
        _attempt(society, **over)
    assert field in exc.value.errors, exc.value.errors
    assert any(words in m for m in exc.value.errors[field]), exc.value.errors
    with society_context(society.id):
        assert db.session.scalar(select(func.count()).select_from(DecisionEntry)) == 0


def test_quorum_edge(session, en):
    s = society_with_charter()
    _refused(s, "present", "Quorum rule", members_total=30, present=19, votes_for=13, votes_against=4, votes_abstain=2)
    assert _attempt(s, members_total=30, present=20, votes_for=14, votes_against=4, votes_abstain=2).seq == 1


def test_quorum_follows_charter(session, en):
    s = society_with_charter(quorum="1/2")
    assert _attempt(s, members_total=30, present=15, votes_for=10, votes_against=5, votes_abstain=0)


def test_majority_edge_counts_present_not_recused(session, en):
    s = society_with_charter()
    # 21 present, 3 recused: 18 voters, 2/3 is 12
    _refused(s, "result", "Majority rule", recused=["甲", "乙", "丙"], votes_for=11, votes_against=7, votes_abstain=0)
    assert _attempt(s, recused=["甲", "乙", "丙"], votes_for=12, votes_against=6, votes_abstain=0)


def test_majority_per_kind(session, en):
    s = society_with_charter(majority_by_kind={"appointment": "3/4"})
    _refused(s, "result", "Majority rule", kind="appointment", present=20, votes_for=14, votes_against=6,
             votes_abstain=0)
    assert _attempt(s, kind="appointment", present=20, votes_for=15, votes_against=5, votes_abstain=0)


def test_rejected_when_majority_reached_is_refused(session, en):
    s = society_with_charter()
    _refused(s, "result", "Majority rule", result="rejected")
    assert _attempt(s, result="rejected", votes_for=13, votes_against=8, votes_abstain=0)


def test_recused_members_do_not_vote(session, en):
    s = society_with_charter()
    _refused(s, "votes_for", "Recusal rule", recused=["甲", "乙"], votes_for=15, votes_against=3, votes_abstain=2)
    _refused(s, "recused", "Recusal rule", present=21, recused=[str(i) for i in range(22)])


def test_supervisory_board(session, en):
    s = society_with_charter()
    _refused(s, "supervisors", "Supervision rule", supervisors="absent")
    assert _attempt(s, supervisors="notified")


def test_party_prestudy_recorded_where_party_organisation(session, en):
    s = society_with_charter()
    _refused(s, "party_prestudy", "Party pre-study rule", party_organisation=True, party_prestudy=None)
    assert _attempt(s, party_organisation=True, party_prestudy="no").party_prestudy is False
    assert _attempt(s, party_organisation=False, party_prestudy=None).party_prestudy is None


def test_competent_body(session, en):
    s = society_with_charter()
    _refused(s, "body", "Collective decision rule", body="secretary_general")


def test_large_fund_threshold_edge(session, en):
    s = society_with_charter(large_fund_threshold_fen=10_000_000)
    _refused(s, "amount_fen", "Large fund rule", kind="large_fund_use", amount_fen=9_999_999)
    _refused(s, "amount_fen", "required", kind="large_fund_use", amount_fen=None)
    assert _attempt(s, kind="large_fund_use", amount_fen=10_000_000).amount_fen == 10_000_000


def test_meeting_date_not_in_future(session, en):
    s = society_with_charter()
    _refused(s, "meeting_date", "future", meeting_date=today_cn() + timedelta(days=1))


def _meeting(society, organ_type="council", members=30, present=20):
    from society_saas.governance.models import Meeting, Organ
    from society_saas.governance.models.enums import OrganType

    with society_context(society.id):
        organ = Organ(type=OrganType(organ_type), name=f"{organ_type}-{members}-{present}")
        db.session.add(organ)
        db.session.flush()
        meeting = Meeting(organ_id=organ.id, title="第九届理事会第三次会议", held_on=date(2026, 3, 15),
                          members_count=members, present_count=present)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def test_meeting_supplies_body_and_attendance(session, en):
    s = society_with_charter()
    meeting_id = _meeting(s, "standing_council", members=15, present=10)
    entry = _attempt(s, meeting_id=str(meeting_id), members_total=None, present=None, body=None,
                     votes_for=7, votes_against=3, votes_abstain=0)
    assert (entry.meeting_id, entry.body, entry.members_total, entry.present) == (meeting_id, "standing_council", 15, 10)


def test_meeting_must_be_quorate(session, en):
    s = society_with_charter()
    meeting_id = _meeting(s, members=30, present=19)
    _refused(s, "meeting_id", "Quorum rule", meeting_id=str(meeting_id), votes_for=13, votes_against=6,
             votes_abstain=0)


def test_meeting_must_be_of_a_competent_body(session, en):
    s = society_with_charter()
    meeting_id = _meeting(s, "supervisory_board", members=3, present=3)
    _refused(s, "meeting_id", "Collective decision rule", meeting_id=str(meeting_id), votes_for=3,
             votes_against=0, votes_abstain=0)


def test_meeting_of_another_society_is_refused(session, en):
    s = society_with_charter("a")
    other = society_with_charter("b")
    meeting_id = _meeting(other)
    _refused(s, "meeting_id", "must point at a meeting of this society", meeting_id=str(meeting_id))


def test_party_organisation_in_governance_makes_prestudy_required(session, en):
    from society_saas.governance.models import Organ
    from society_saas.governance.models.enums import OrganType

    s = society_with_charter()
    with society_context(s.id):
        db.session.add(Organ(type=OrganType.party_organisation, name="学会党支部"))
        db.session.commit()
    # unticking the box on the form does not lift the rule
    _refused(s, "party_prestudy", "Party pre-study rule", party_organisation=False, party_prestudy=None)


@pytest.mark.parametrize("field, value", [("amount_fen", 10**20), ("members_total", 10**20), ("votes_for", 10**20)])
def test_a_number_beyond_any_body_or_fund_is_refused_by_name(session, en, field, value):
    over = {"kind": "large_fund_use", "amount_fen": 50_000_000} if field == "amount_fen" else {}
    _refused(society_with_charter(large_fund_threshold_fen=1), field, "too large", **{**over, field: value})


def test_a_meeting_held_today_in_china_is_not_in_the_future(session, en, monkeypatch):
    from datetime import datetime, timezone

    import society_saas.core.clock as clock

    class LateEveningUTC(datetime):
        @classmethod
        def now(cls, tz=None):  # 18:30 UTC on 3 December is 02:30 on 4 December in Shanghai
            return datetime(2026, 12, 3, 18, 30, tzinfo=timezone.utc).astimezone(tz)

    monkeypatch.setattr(clock, "datetime", LateEveningUTC)
    s = society_with_charter()
    assert _attempt(s, meeting_date=date(2026, 12, 4)).seq == 1
    _refused(s, "meeting_date", "future", meeting_date=date(2026, 12, 5))
