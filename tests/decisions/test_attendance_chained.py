"""Who attended is chained with a decision taken at a meeting: the detail page shows the roll as recorded,
and a roll changed afterwards, even behind the application's back, is reported by the verification."""
from datetime import date

from sqlalchemy import select, text

from society_saas.decisions.chain import verify_attendance, verify_chain
from society_saas.decisions.models import DecisionEntry
from society_saas.extensions import db
from society_saas.governance.models import Meeting, MeetingAttendance, Organ
from society_saas.governance.models.enums import AttendanceStatus, OrganType
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.decisions.helpers import record
from tests.factories import two_societies

ROLL = [("张三", AttendanceStatus.present, None), ("李四", AttendanceStatus.proxy, "王五"),
        ("赵六", AttendanceStatus.absent, None)]


def _meeting_with_roll(society):
    with society_context(society.id):
        organ = Organ(type=OrganType.council, name="理事会")
        db.session.add(organ)
        db.session.flush()
        meeting = Meeting(organ_id=organ.id, title="第九届理事会第三次会议", held_on=date(2026, 3, 15),
                          members_count=3, present_count=1, proxy_count=1)
        db.session.add(meeting)
        db.session.flush()
        for name, status, proxy in ROLL:
            db.session.add(MeetingAttendance(meeting_id=meeting.id, name=name, status=status, proxy_name=proxy))
        db.session.commit()
        return meeting.id


def _decided(society):
    meeting_id = _meeting_with_roll(society)
    society.settings = {**(society.settings or {}), "charter": {"count_proxies": True}}
    db.session.commit()
    return record(society, meeting_id=str(meeting_id), members_total=None, present=None, body=None,
                  votes_for=2, votes_against=0, votes_abstain=0)


def test_the_roll_is_chained_and_shown_as_recorded(client, session):
    data = two_societies()
    society, people = data["a"]
    entry = _decided(society)
    with society_context(society.id):
        stored = db.session.get(DecisionEntry, (society.id, entry.id))
        assert stored.payload["attendance"] == [
            {"name": "张三", "status": "present", "proxy": None}, {"name": "李四", "status": "proxy", "proxy": "王五"},
            {"name": "赵六", "status": "absent", "proxy": None}]
        assert verify_chain(society).ok and verify_attendance(society) == []
    login(client, people["sec"].email)
    page = client.get(f"/s/a/admin/decisions/{entry.decision_id}").get_data(as_text=True)
    assert "出席人员（随记录存证）" in page and "张三、李四（委托出席：王五）、赵六（缺席）" in page


def test_a_roll_changed_behind_the_applications_back_is_reported(client, session):
    data = two_societies()
    society, people = data["a"]
    entry = _decided(society)
    with society_context(society.id):
        db.session.execute(text("UPDATE meeting_attendance SET status = 'present' WHERE name = '赵六'"))
        db.session.commit()
        assert verify_attendance(society) == [(entry.seq, "第九届理事会第三次会议")]
        assert verify_chain(society).ok  # the chain itself is intact: the roll is what changed
    login(client, people["sec"].email)
    page = client.get("/s/a/admin/decisions/verify").get_data(as_text=True)
    assert "“第九届理事会第三次会议”的出席名单与第 1 条记录存证的名单不一致" in page


def test_the_other_society_is_not_read(client, session):
    data = two_societies()
    entry = _decided(data["a"][0])
    with society_context(data["b"][0].id):
        assert verify_attendance(data["b"][0]) == []
        assert db.session.scalars(select(MeetingAttendance)).all() == []
    assert entry.seq == 1
