"""One member record per account and society: a member cannot apply to join again (nor anyone apply twice), staff
cannot approve an applicant who became a member meanwhile, a lapsed or resigned member's application renews the
same record, and the database itself refuses a second record (tests/members/test_one_record_migration.py: ledgers that
already held two)."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import (ApplicationKind, ApplicationStatus, Member, MemberApplication, MemberStatus)
from society_saas.members.services.common import today_cn
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login, post_form
from tests.factories import make_user, two_societies
from tests.members.helpers import VALID_IDS, person, with_classes



def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _record(society, user, idx=0, **kw) -> Member:
    data = person(id_number=VALID_IDS[idx], email=user.email, **kw)
    code = data.pop("class_code")
    return services.create_member(society, None, data, services.class_by_code(code), user=user)


def _old_application(society, user, **kw) -> MemberApplication:
    """A join application as the old code accepted it: from someone who already had a record, or a second one."""
    data = person(id_number=VALID_IDS[3], mobile="13900000003", email=user.email, **kw)
    data.pop("class_code")
    row = MemberApplication(society_id=society.id, kind=ApplicationKind.join, status=ApplicationStatus.submitted,
                            applicant_user_id=user.id, applicant_name=data["name"],
                            class_id=services.class_by_code("member").id, data=data)
    db.session.add(row)
    db.session.flush()
    return row


def test_a_member_cannot_apply_to_join_again(cs):
    user = make_user("m@example.cn")
    member = _record(cs, user)
    # the reported case: the form does not ask for the ID number again, so nothing else stopped it
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, user, person(id_number="", email=user.email))
    assert exc.value.field == "member_id"
    assert "您已是本学会会员（会员编号 CS000001）" in exc.value.message and "我的资料" in exc.value.message
    services.mark_grace(cs, None, member)
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, user, person(id_number="", email=user.email))
    assert "宽限期" in exc.value.message and "我的会费" in exc.value.message
    services.expel(cs, None, member, {"reference": "理事会决议〔2026〕1号"})
    with pytest.raises(ServiceError) as exc:
        services.submit_application(cs, user, person(id_number="", email=user.email))
    assert "联系学会秘书处" in exc.value.message
    assert _count(MemberApplication) == 0


def test_nobody_applies_twice_while_the_first_application_is_open(cs):
    user = make_user("new@example.cn")
    first = services.submit_application(cs, user, person(email=user.email))
    for step in (None, "review", "more_info"):
        if step == "review":
            services.start_review(cs, None, first)
        elif step == "more_info":
            services.request_more_info(cs, None, first, {"reason": "请补充证书。"})
        with pytest.raises(ServiceError) as exc:
            services.submit_application(cs, user, person(email=user.email))
        assert exc.value.field == "status" and "请勿重复提交" in exc.value.message
    assert _count(MemberApplication) == 1
    # once it is decided (here: rejected) a new application may be filed
    services.reject(cs, None, first, {"reason": "材料不全。"})
    services.submit_application(cs, user, person(email=user.email))
    assert _count(MemberApplication) == 2


def test_approval_refuses_an_applicant_who_is_already_a_member(cs):
    user = make_user("m@example.cn")
    first = services.submit_application(cs, user, person(email=user.email))
    second = _old_application(cs, user)  # filed twice before the rule
    member = services.approve(cs, None, first)
    db.session.commit()
    with pytest.raises(ServiceError) as exc:
        services.approve(cs, None, second)
    assert exc.value.field == "member_id"
    assert "申请人已是本学会会员（会员编号 CS000001" in exc.value.message and "驳回" in exc.value.message
    db.session.rollback()
    assert second.status == ApplicationStatus.submitted and second.member_id is None
    assert _count(Member) == 1 and services.member_for_user(user).id == member.id
    # the secretariat can still reject it
    services.reject(cs, None, second, {"reason": "已是会员。"})
    assert second.status == ApplicationStatus.rejected


def test_the_ledger_never_gives_an_account_a_second_record(cs):
    user = make_user("m@example.cn")
    _record(cs, user)
    db.session.commit()
    with pytest.raises(ServiceError) as exc:
        _record(cs, user, 1)
    assert exc.value.field == "member_id" and "CS000001" in exc.value.message
    db.session.rollback()
    assert _count(Member) == 1


@pytest.mark.parametrize("end", ["lapsed", "resigned"])
def test_an_ended_membership_is_renewed_on_the_same_record(cs, end):
    user = make_user("m@example.cn")
    member = _record(cs, user, join_date="2015-03-01", work_unit="旧单位")
    if end == "lapsed":
        services.mark_grace(cs, None, member)
        services.mark_lapsed(cs, None, member)
    else:
        services.resign(cs, None, member)
    number, joined = member.member_number, member.join_date
    # the renewal may give the member's own ID number again: it is theirs, not another member's
    application = services.submit_application(cs, user, person(id_number=VALID_IDS[0], email=user.email,
                                                               work_unit="新单位", class_code="student"))
    renewed = services.approve(cs, None, application)
    db.session.commit()
    assert renewed.id == member.id and _count(Member) == 1
    assert (renewed.member_number, renewed.status, renewed.join_date) == (number, MemberStatus.active, joined)
    assert renewed.valid_until == date(today_cn().year, 12, 31)
    assert (renewed.work_unit, renewed.member_class.code) == ("新单位", "student")
    assert application.member_id == member.id and application.status == ApplicationStatus.approved
    kinds = [(e.kind, e.note) for e in services.history(renewed)]
    assert ("reinstated", "application") in kinds and ("class_changed", None) in kinds


def test_the_database_refuses_a_second_record_for_an_account(cs):
    """Beside the services' rule, a unique index: no code path can link an account to two records."""
    user = make_user("m@example.cn")
    _record(cs, user)
    second = _record(cs, make_user("other@example.cn"), 1)
    db.session.commit()
    second.user_id = user.id
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert _count(Member, Member.user_id == user.id) == 1


# --- the pages --------------------------------------------------------------------------------------------------

def _setup():
    data = two_societies()
    with_classes(data["a"][0])
    return data


def _member_of(app, society, user) -> Member:
    with app.test_request_context("/"), society_context(society.id):
        member = _record(society, user)
        db.session.commit()
        return member.id


def _apply_form(**overrides) -> dict:
    form = {"class_code": "member", "name": "a-member", "gender": "female", "id_type": "resident_id",
            "mobile": "13911112222", "email": "member@a.test", "nationality": "mainland"}
    form.update(overrides)
    return form


def test_a_member_is_sent_to_their_own_pages_instead_of_the_application_form(app, client, session):
    data = _setup()
    a, people = data["a"]
    _member_of(app, a, people["member"])
    login(client, people["member"].email)
    page = client.get("/s/a/apply/").get_data(as_text=True)
    assert "您已是本学会会员（会员编号 CS000001），无需再次申请入会。" in page
    assert 'href="/s/a/me/profile/"' in page and 'name="class_code"' not in page
    # a forced post (or one from a page opened before) files nothing, however often it is sent
    token = csrf_token(client, "/s/a/me/profile/")
    for _ in range(2):
        refused = client.post("/s/a/apply/", data={**_apply_form(), "csrf_token": token})
        assert refused.status_code == 200 and "无需再次申请入会" in refused.get_data(as_text=True)
    with society_context(a.id):
        assert _count(MemberApplication) == 0 and _count(Member) == 1


def test_a_second_application_is_refused_with_where_to_follow_the_first(app, client, session):
    data = _setup()
    a, people = data["a"]
    login(client, people["member"].email)  # holds the member role but no record yet
    assert post_form(client, "/s/a/apply/", _apply_form(), content_type="multipart/form-data").status_code == 302
    again = client.get("/s/a/apply/").get_data(as_text=True)
    assert "请勿重复提交" in again and 'href="/s/a/apply/status"' in again and 'name="class_code"' not in again
    with society_context(a.id):
        assert _count(MemberApplication) == 1


def test_staff_approving_a_members_old_application_is_refused_and_the_record_kept(app, client, session):
    data = _setup()
    a, people = data["a"]
    member_id = _member_of(app, a, people["member"])
    with app.test_request_context("/"), society_context(a.id):
        old_id = _old_application(a, people["member"]).id
        db.session.commit()
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/applications/{old_id}"
    refused = post_form(client, url + "/approve", {}, page=url, follow_redirects=True)
    assert "申请人已是本学会会员（会员编号 CS000001" in refused.get_data(as_text=True)
    with society_context(a.id):
        assert _count(Member) == 1
        assert db.session.get(MemberApplication, (a.id, old_id)).status == ApplicationStatus.submitted
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, people["member"].email)
    profile = client.get("/s/a/me/profile/").get_data(as_text=True)
    assert "CS000001" in profile
    with society_context(a.id):
        assert db.session.scalar(select(Member.id).where(Member.user_id == people["member"].id)) == member_id


def test_a_resigned_member_reapplies_and_gets_the_old_number_back(app, client, session):
    data = _setup()
    a, people = data["a"]
    member_id = _member_of(app, a, people["member"])
    with app.test_request_context("/"), society_context(a.id):
        services.resign(a, None, db.session.get(Member, (a.id, member_id)))
        db.session.commit()
    login(client, people["member"].email)
    page = client.get("/s/a/apply/").get_data(as_text=True)
    assert "您此前的会籍（会员编号 CS000001）已终止" in page and 'name="class_code"' in page
    assert 'value="示例大学"' in page  # the form starts from the record
    assert post_form(client, "/s/a/apply/", _apply_form(work_unit="新单位"),
                     content_type="multipart/form-data").status_code == 302
    with society_context(a.id):
        app_id = db.session.scalar(select(MemberApplication.id))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/applications/{app_id}"
    post_form(client, url + "/approve", {}, page=url)
    with society_context(a.id):
        [member] = db.session.scalars(select(Member)).all()
        assert (member.id, member.member_number, member.status, member.work_unit) == \
            (member_id, "CS000001", MemberStatus.active, "新单位")
    history = client.get(f"/s/a/admin/members/{member_id}").get_data(as_text=True)
    assert "经入会申请恢复会籍" in history
