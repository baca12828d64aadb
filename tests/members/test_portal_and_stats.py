"""The member portal (profile re-verification, upgrade, my data, requests), class editing and statistics."""
import json

from sqlalchemy import select

from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import ApplicationKind, Member, MemberApplication, MemberClass, MemberRequest, RequestStatus
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, person, with_classes


def _member_for(app, society, user, **kw):
    with app.test_request_context("/"), society_context(society.id):
        data = person(id_number=VALID_IDS[0], email=user.email, **kw)
        code = data.pop("class_code")
        member = services.create_member(society, None, data, services.class_by_code(code), user=user)
        db.session.commit()
        return member.id


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_profile_changes_are_flagged_for_the_secretariat(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    member_id = _member_for(app, a, people["member"])
    login(client, people["member"].email)
    assert post_form(client, "/s/a/me/profile/", {"mobile": "13800138000", "email": people["member"].email,
                                                   "work_unit": "另一所大学", "professional_title": "教授"}).status_code == 302
    with society_context(a.id):
        assert db.session.get(Member, (a.id, member_id)).reverify_fields == ["professional_title", "work_unit"]
    _logout(client)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/{member_id}"
    page = client.get(url).get_data(as_text=True)
    assert "教授" in page and "职称、工作单位" in page and "professional_title" not in page
    post_form(client, url + "/verified", {}, page=url)
    with society_context(a.id):
        member = db.session.get(Member, (a.id, member_id))
        assert member.reverify_fields == []
        assert [e.kind for e in services.history(member)][:2] == ["verified", "updated"]
    history = client.get(url).get_data(as_text=True)
    assert "work_unit" not in history and history.count("职称、工作单位") == 2  # the edit and its verification


def test_my_data_download_has_my_record_and_only_mine(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    _member_for(app, a, people["member"])
    login(client, people["member"].email)
    response = client.get("/s/a/me/profile/my-data.json")
    assert response.status_code == 200
    body = json.loads(response.data)
    assert body["member"]["id_number"] == VALID_IDS[0] and body["member"]["member_number"] == "CS000001"
    assert body["history"][0]["kind"] == "admitted"
    _logout(client)
    login(client, people["staff"].email)  # staff without a member record of their own
    assert client.get("/s/a/me/profile/my-data.json").status_code == 404


def test_requests_round_trip_between_member_and_secretariat(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    _member_for(app, a, people["member"])
    login(client, people["member"].email)
    assert post_form(client, "/s/a/me/requests/", {"subject": "发票", "body": "请开具会费发票。"}).status_code == 302
    with society_context(a.id):
        req_id = db.session.scalar(select(MemberRequest.id))
    _logout(client)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/requests/{req_id}"
    assert "请开具会费发票" in client.get("/s/a/admin/members/requests/").get_data(as_text=True) or \
        "发票" in client.get("/s/a/admin/members/requests/").get_data(as_text=True)
    post_form(client, url, {"reply": ""})
    with society_context(a.id):
        assert db.session.scalar(select(MemberRequest.status)) == RequestStatus.open
    post_form(client, url, {"reply": "已开具，请查收邮件。"})
    _logout(client)
    login(client, people["member"].email)
    page = client.get("/s/a/me/requests/").get_data(as_text=True)
    assert "已开具" in page
    post_form(client, f"/s/a/me/requests/{req_id}/close", {}, page="/s/a/me/requests/")
    with society_context(a.id):
        assert db.session.scalar(select(MemberRequest.status)) == RequestStatus.closed


def test_upgrade_from_the_portal_is_checked(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    _member_for(app, a, people["member"], join_date="2010-01-01", senior_title=True)
    login(client, people["member"].email)
    page = client.get("/s/a/me/profile/").get_data(as_text=True)
    assert 'value="senior"' in page and 'value="fellow"' not in page
    post_form(client, "/s/a/me/profile/upgrade", {"up-class_code": "senior", "up-note": "已满十年"}, page="/s/a/me/profile/")
    with society_context(a.id):
        application = db.session.scalar(select(MemberApplication))
        assert application.kind == ApplicationKind.upgrade and application.member_class.code == "senior"


def test_secretariat_edits_a_class(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    with society_context(a.id):
        cls = db.session.scalar(select(MemberClass).where(MemberClass.code == "student"))
    login(client, people["staff"].email)
    p = f"{cls.id}-"
    form = {p + "name_zh": "学生会员", p + "name_en": "Student member", p + "annual_dues_fen": "3000",
            p + "min_years": "0", p + "sort_order": "10", p + "may_vote": "y"}
    post_form(client, f"/s/a/admin/members/classes/{cls.id}", form, page="/s/a/admin/members/classes/")
    post_form(client, f"/s/a/admin/members/classes/{cls.id}", {**form, p + "annual_dues_fen": "-5"},
              page="/s/a/admin/members/classes/")
    with society_context(a.id):
        cls = db.session.scalar(select(MemberClass).where(MemberClass.code == "student"))
        assert (cls.annual_dues_fen, cls.may_vote, cls.may_stand) == (3000, True, False)


def test_statistics_count_current_members_by_class(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        for i, (code, birth, front) in enumerate((("student", "2003-05-01", False), ("member", "1960-01-01", True),
                                                   ("member", "1990-01-01", True), ("senior", "1970-01-01", False))):
            services.create_member(a, None, {"name": f"会员{i}", "mobile": f"1390000000{i}", "birth_date": birth,
                                             "front_line": front}, services.class_by_code(code))
        gone = services.create_member(a, None, {"name": "退会者", "mobile": "13900000009"}, services.class_by_code("member"))
        services.resign(a, None, gone)
        db.session.commit()
        stats = services.society_stats()
    assert stats["total_current"] == 4
    assert (stats["share_students"], stats["share_front_line"], stats["share_under_45"]) == (0.25, 0.5, 0.5)
    assert stats["by_class"]["member"]["counts"] == {"active": 2, "resigned": 1}
    from society_saas.members.services.common import today_cn

    # growth over the year: five joined (today), one of them left again
    assert (stats["joined_this_year"], stats["left_this_year"], stats["net_growth"]) == (5, 1, 4)
    assert stats["joined_by_month"] == {today_cn().month: 5}
    login(client, people["staff"].email)
    page = client.get("/s/a/admin/members/stats").get_data(as_text=True)
    assert "50.0%" in page and "+4" in page
