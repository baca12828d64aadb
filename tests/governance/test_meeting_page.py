"""The meeting page: attendance by name, the quorum counted from it, the decisions taken at the meeting."""
from datetime import date

from society_saas.decisions import services as decisions
from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import Meeting, MeetingAttendance
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.decisions.helpers import valid
from tests.factories import two_societies
from tests.governance.helpers import add, council_with_term


def _meeting(app):
    data = two_societies()
    society = data["a"][0]
    with app.test_request_context(), society_context(society.id):
        organ, term = council_with_term(society, start=date(2022, 1, 1))
        for name in ("甲理事", "乙理事", "丙理事"):
            add(society, term, name)
        gone = add(society, term, "丁理事")
        gov.resign_position(society, None, gone, {"resigned_at": date(2022, 6, 1)})
        meeting = gov.create_meeting(society, None, {"organ_id": organ.id, "term_id": term.id, "title": "第一届理事会第二次会议",
                                                     "held_on": date(2023, 3, 1), "members_count": 3,
                                                     "present_count": 0})
        db.session.commit()
        return society, meeting.id


def _rows(statuses, extra=None):
    """The posted form: the roster rows as the page lists them (names sorted), with the chosen statuses."""
    form = {"rows": str(len(statuses))}
    for i, (name, status) in enumerate(statuses):
        form[f"name-{i}"], form[f"status-{i}"] = name, status
    if extra:
        i = len(statuses)
        form[f"name-{i}"], form[f"status-{i}"] = extra
    return form


def _counts(app, society, meeting_id):
    with app.app_context(), society_context(society.id):
        m = db.session.get(Meeting, (society.id, meeting_id))
        n = db.session.query(MeetingAttendance).filter_by(meeting_id=meeting_id).count()
        return m.members_count, m.present_count, m.proxy_count, n


def test_attendance_recorded_by_name_sets_the_quorum(app, client):
    society, meeting_id = _meeting(app)
    login(client, "sec@a.test")
    url = f"/s/a/admin/governance/meetings/{meeting_id}"
    page = client.get(url).get_data(as_text=True)
    # the roster on the day, everyone absent until recorded; the resigned member is not listed
    assert "甲理事" in page and "丙理事" in page and "丁理事" not in page
    assert "未达到法定人数" in page and "尚未登记出席名单" in page
    assert "第一届理事会第二次会议" in client.get("/s/a/admin/governance/meetings").get_data(as_text=True)

    # exactly 2 of 3 present: quorate at the default 2/3
    statuses = [("丙理事", "present"), ("乙理事", "absent"), ("甲理事", "present")]
    assert post_form(client, url, _rows(statuses)).status_code == 302
    assert _counts(app, society, meeting_id) == (3, 2, 0, 3)
    page = client.get(url).get_data(as_text=True)
    assert "应到 3 人，实到 2 人" in page and "达到法定人数" in page and "未达到法定人数" not in page
    assert "尚未登记出席名单" not in page

    # an attendee from outside the roster counts as entitled: 2 of 4 is no longer quorate
    post_form(client, url, _rows(statuses, extra=("特邀理事", "absent")))
    assert _counts(app, society, meeting_id) == (4, 2, 0, 4)
    assert "未达到法定人数" in client.get(url).get_data(as_text=True)


def test_proxy_refused_unless_the_charter_allows_it(app, client):
    society, meeting_id = _meeting(app)
    login(client, "sec@a.test")
    url = f"/s/a/admin/governance/meetings/{meeting_id}"
    statuses = [("丙理事", "present"), ("乙理事", "proxy"), ("甲理事", "present")]
    response = post_form(client, url, _rows(statuses))
    assert response.status_code == 200 and "章程不允许委托出席" in response.get_data(as_text=True)
    assert _counts(app, society, meeting_id) == (3, 0, 0, 0)  # nothing changed
    assert 'value="proxy"' not in client.get(url).get_data(as_text=True)  # no proxy choice offered

    with app.app_context():
        s = db.session.merge(society)
        s.settings = {**(s.settings or {}), "charter": {"proxy_allowed": True}}
        db.session.commit()
    assert post_form(client, url, _rows(statuses)).status_code == 302
    assert _counts(app, society, meeting_id) == (3, 2, 1, 3)


def test_attendance_frozen_once_a_decision_copied_it(app, client):
    society, meeting_id = _meeting(app)
    login(client, "sec@a.test")
    url = f"/s/a/admin/governance/meetings/{meeting_id}"
    statuses = [("丙理事", "present"), ("乙理事", "present"), ("甲理事", "present")]
    assert post_form(client, url, _rows(statuses)).status_code == 302
    with app.test_request_context(), society_context(society.id):
        s = db.session.merge(society)
        decisions.record_decision(s, None, valid(meeting_id=str(meeting_id), members_total=None, present=None,
                                                 body=None, meeting_date=None, votes_for=3, votes_against=0,
                                                 votes_abstain=0, title="关于聘任秘书长的决定"))
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "关于聘任秘书长的决定" in page and "赞成 3，反对 0，弃权 0" in page
    statuses[0] = ("丙理事", "absent")
    response = post_form(client, url, _rows(statuses))
    assert "决策台账" in response.get_data(as_text=True)
    assert _counts(app, society, meeting_id) == (3, 3, 0, 3)


def test_another_societys_meeting_is_404(app, client):
    _, meeting_id = _meeting(app)
    login(client, "sec@b.test")
    assert client.get(f"/s/b/admin/governance/meetings/{meeting_id}").status_code == 404
