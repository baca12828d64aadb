"""Member pages: the ledger, isolation, the audited full read, applying with attachments, review, portal."""
import io

from sqlalchemy import func, select

from society_saas.core.audit import AuditEvent
from society_saas.extensions import db
from society_saas.members.models import ApplicationStatus, Member, MemberApplication
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login, post_form
from tests.factories import two_societies
from tests.members.helpers import member_fixture, with_classes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def _setup():
    data = two_societies()
    for slug in ("a", "b"):
        with_classes(data[slug][0])
    return data


def test_ledger_lists_searches_and_is_for_staff_only(app, client, session):
    data = _setup()
    a, people = data["a"]
    ids = member_fixture(a)
    login(client, people["staff"].email)
    page = client.get("/s/a/admin/members/")
    assert page.status_code == 200 and "李华" in page.get_data(as_text=True)
    assert "李华" in client.get("/s/a/admin/members/?q=CS000001").get_data(as_text=True)
    assert "李华" in client.get("/s/a/admin/members/?q=示例大学&status=active&class_code=member").get_data(as_text=True)
    assert "李华" not in client.get("/s/a/admin/members/?status=lapsed").get_data(as_text=True)
    detail = client.get(f"/s/a/admin/members/{ids['member_id']}").get_data(as_text=True)
    assert "430***********4447" in detail and "430102197808084447" not in detail
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, people["member"].email)
    assert client.get("/s/a/admin/members/").status_code == 403


def test_another_societys_member_and_application_answer_404(app, client, session):
    data = _setup()
    a, people = data["a"]
    theirs = member_fixture(data["b"][0])
    login(client, people["sec"].email)
    assert client.get(f"/s/a/admin/members/{theirs['member_id']}").status_code == 404
    assert client.get(f"/s/a/admin/members/applications/{theirs['application_id']}").status_code == 404
    token = csrf_token(client, "/s/a/admin/members/import")
    assert client.post(f"/s/a/admin/members/applications/{theirs['application_id']}/approve",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/s/a/admin/members/{theirs['member_id']}/status",
                       data={"csrf_token": token, "action": "deceased"}).status_code == 404
    with society_context(data["b"][0].id):
        assert db.session.scalar(select(MemberApplication.status)) == ApplicationStatus.submitted


def test_full_record_read_is_audited(app, client, session):
    data = _setup()
    a, people = data["a"]
    ids = member_fixture(a)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/{ids['member_id']}"
    page = post_form(client, url + "/full", {}, page=url)
    assert page.status_code == 200 and "430102197808084447" in page.get_data(as_text=True)
    with society_context(a.id):
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "read_full")).all()
        assert [(r.object_id, r.actor_id) for r in reads] == [(str(ids["member_id"]), people["staff"].id)]


def _application_form(**overrides):
    form = {"class_code": "member", "name": "王芳", "gender": "female", "id_type": "resident_id",
            "id_number": "110101199003074477", "mobile": "13911112222", "email": "wangfang@example.cn",
            "work_unit": "示例研究所", "nationality": "mainland", "password": "applicant-pass-1",
            "attachment": (io.BytesIO(PNG), "证书.png")}
    form.update(overrides)
    return form


def test_apply_creates_account_application_and_stores_attachment(app, client, session):
    _setup()
    response = post_form(client, "/s/a/apply/", _application_form(), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    status = client.get("/s/a/apply/status").get_data(as_text=True)
    assert "已提交" in status or "Submitted" in status
    from society_saas.tenancy.models import Society

    a = db.session.scalar(select(Society).where(Society.slug == "a"))
    with society_context(a.id):
        application = db.session.scalar(select(MemberApplication))
        assert application.applicant_name == "王芳" and application.applicant_user_id is not None
        [stored] = application.attachments
        assert stored["type"] == "image/png" and stored["key"].endswith(".png") and "证书" not in stored["key"]
        from society_saas.core import storage

        with app.test_request_context():
            assert storage.path_of(stored["key"]).read_bytes() == PNG


def test_apply_refuses_bad_attachments_and_existing_accounts(app, client, session):
    data = _setup()
    fake = post_form(client, "/s/a/apply/", _application_form(attachment=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "cv.pdf")),
                     content_type="multipart/form-data", page="/s/a/apply/")
    assert fake.status_code == 200 and "PDF" in fake.get_data(as_text=True)
    big = post_form(client, "/s/a/apply/", _application_form(attachment=(io.BytesIO(PDF + b"0" * (5 * 1024 * 1024)), "big.pdf")),
                    content_type="multipart/form-data", page="/s/a/apply/")
    assert big.status_code == 200 and "5 MB" in big.get_data(as_text=True)
    taken = post_form(client, "/s/a/apply/", _application_form(email=data["a"][1]["member"].email),
                      content_type="multipart/form-data", page="/s/a/apply/")
    assert taken.status_code == 200
    with society_context(data["a"][0].id):
        assert db.session.scalar(select(MemberApplication.id)) is None


def test_review_approve_gives_number_role_and_portal(app, client, session):
    data = _setup()
    a, people = data["a"]
    post_form(client, "/s/a/apply/", _application_form(), content_type="multipart/form-data")
    with society_context(a.id):
        app_id = db.session.scalar(select(MemberApplication.id))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/applications/{app_id}"
    assert "王芳" in client.get(url).get_data(as_text=True)
    assert client.get(url + "/attachments/0").data == PNG
    post_form(client, url + "/review", {}, page=url)
    post_form(client, url + "/approve", {}, page=url)
    again = post_form(client, url + "/approve", {}, page="/s/a/admin/members/import", follow_redirects=True)
    assert "已经" in again.get_data(as_text=True) or "already" in again.get_data(as_text=True)
    with society_context(a.id):
        members = db.session.scalars(select(Member)).all()
        assert [m.member_number for m in members] == ["CS000001"]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, "wangfang@example.cn", "applicant-pass-1")
    profile = client.get("/s/a/me/profile/")
    assert profile.status_code == 200 and "CS000001" in profile.get_data(as_text=True)
    saved = post_form(client, "/s/a/me/profile/", {"mobile": "13911113333", "email": "wangfang@example.cn",
                                                    "work_unit": "新单位"})
    assert saved.status_code == 302
    with society_context(a.id):
        assert db.session.scalar(select(Member.work_unit)) == "新单位"


def test_secretariat_edits_a_record_and_keeps_the_id_number(app, client, session):
    data = _setup()
    a, people = data["a"]
    ids = member_fixture(a)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/{ids['member_id']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "430102197808084447" not in page
    form = {"name": "李华", "id_type": "resident_id", "mobile": "13800138000", "email": "lihua@example.cn",
            "nationality": "mainland", "work_unit": "示例研究院", "join_date": "2020-05-01"}
    assert post_form(client, url, {**form, "mobile": "12"}).status_code == 200
    assert post_form(client, url, form).status_code == 302
    with society_context(a.id):
        member = db.session.get(Member, (a.id, ids["member_id"]))
        assert (member.work_unit, str(member.join_date), member.id_number_masked) == ("示例研究院", "2020-05-01", "430***********4447")


def test_more_information_loop_keeps_every_question_and_answer(app, client, session):
    data = _setup()
    a, people = data["a"]
    post_form(client, "/s/a/apply/", _application_form(), content_type="multipart/form-data")
    with society_context(a.id):
        app_id = db.session.scalar(select(MemberApplication.id))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/applications/{app_id}"
    post_form(client, url + "/more_info", {"reason": "请补充职称证书扫描件。"}, page=url)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})

    login(client, "wangfang@example.cn", "applicant-pass-1")
    status = client.get("/s/a/apply/status").get_data(as_text=True)
    assert "请补充职称证书扫描件。" in status and "/answer" in status
    answer = f"/s/a/apply/status/{app_id}/answer"
    empty = post_form(client, answer, {"reason": ""}, page="/s/a/apply/status", follow_redirects=True)
    assert "请填写答复或上传附件" in empty.get_data(as_text=True)
    post_form(client, answer, {"reason": "证书已上传。", "attachment": (io.BytesIO(PDF), "职称证书.pdf")},
              page="/s/a/apply/status", content_type="multipart/form-data")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})

    login(client, people["staff"].email)
    post_form(client, url + "/more_info", {"reason": "证书不清晰，请重新扫描。"}, page=url)
    page = client.get(url).get_data(as_text=True)
    for said in ("请补充职称证书扫描件。", "证书已上传。", "职称证书.pdf", "证书不清晰，请重新扫描。"):
        assert said in page
    exchange = page[page.index("补充材料往来记录"):]
    assert exchange.index("请补充职称证书扫描件。") < exchange.index("证书已上传。") < exchange.index("证书不清晰")
    assert client.get(url + "/attachments/1").data == PDF
    with society_context(a.id):
        row = db.session.scalar(select(MemberApplication))
        assert row.status == ApplicationStatus.more_info
        assert [e["by"] for e in row.data["exchange"]] == ["secretariat", "applicant", "secretariat"]
    # approving after the loop admits the applicant from the record; the exchange stays with the application
    post_form(client, url + "/approve", {}, page=url)
    with society_context(a.id):
        assert db.session.scalar(select(MemberApplication.status)) == ApplicationStatus.approved
        assert db.session.scalar(select(Member.member_number)) == "CS000001"


def test_party_membership_is_seen_and_set_by_the_secretary_general_only(app, client, session):
    data = _setup()
    a, people = data["a"]
    ids = member_fixture(a)
    detail, edit = f"/s/a/admin/members/{ids['member_id']}", f"/s/a/admin/members/{ids['member_id']}/edit"
    form = {"name": "李华", "id_type": "resident_id", "mobile": "13800138000", "email": "lihua@example.cn",
            "nationality": "mainland"}
    login(client, people["sec"].email)
    assert "党员（限定范围）" in client.get(edit).get_data(as_text=True)
    assert post_form(client, edit, {**form, "party_member": "1"}).status_code == 302
    assert "党员（限定范围）" in client.get(detail).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/s/a/")})
    login(client, people["staff"].email)
    for url in (detail, edit):
        assert "党员" not in client.get(url).get_data(as_text=True)
    assert post_form(client, edit, {**form, "party_member": "0", "work_unit": "新单位"}).status_code == 302
    with society_context(a.id):
        member = db.session.get(Member, (a.id, ids["member_id"]))
        assert (member.party_member, member.work_unit) == (True, "新单位")  # staff's value ignored, the rest saved
    assert "党员" not in client.get("/s/a/admin/members/export.csv").get_data(as_text=True)


def test_a_signed_in_person_applies_with_their_own_account(app, client, session):
    from society_saas.accounts.models import User

    data = _setup()
    a, _people = data["a"]
    outsider = data["b"][1]["member"]  # has an account (in society B), not yet in A
    login(client, outsider.email)
    page = client.get("/s/a/apply/").get_data(as_text=True)
    assert outsider.email in page  # the form starts from the account's details
    form = _application_form(email=outsider.email, password="")
    response = post_form(client, "/s/a/apply/", form, content_type="multipart/form-data")
    assert response.status_code == 302
    with society_context(a.id):
        application = db.session.scalar(select(MemberApplication))
        assert application.applicant_user_id == outsider.id
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == outsider.email)) == 1


def test_the_apply_page_explains_senior_and_refuses_it_to_a_newcomer(app, client, session):
    from society_saas.accounts.models import User

    data = _setup()
    a, _people = data["a"]
    page = client.get("/s/a/apply/").get_data(as_text=True)
    assert '<option value="member">会员</option>' in page
    # offered with how it is reached, but not selectable; fellows are not offered at all
    assert '<option disabled value="senior">高级会员（入会满 5 年后在“我的资料”页申请晋升）</option>' in page
    assert 'value="fellow"' not in page
    users = db.session.scalar(select(func.count()).select_from(User))
    # a forced post of the reported case: the field shows why, and nothing is created (no account either)
    refused = post_form(client, "/s/a/apply/", _application_form(class_code="senior", professional_title="助理工程师"),
                        content_type="multipart/form-data", page="/s/a/apply/")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert 'id="class_code-err">会员类别“高级会员”要求入会满 5 年，新入会者不能直接申请。' in body
    with society_context(a.id):
        assert db.session.scalar(select(MemberApplication.id)) is None
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_staff_cannot_approve_an_old_senior_application_of_a_newcomer(app, client, session):
    from tests.members.helpers import old_senior_application

    data = _setup()
    a, people = data["a"]
    app_id = old_senior_application(a)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/applications/{app_id}"
    refused = post_form(client, url + "/approve", {}, page=url, follow_redirects=True)
    assert "会员类别“高级会员”要求入会满 5 年" in refused.get_data(as_text=True)
    with society_context(a.id):
        assert db.session.scalar(select(MemberApplication.status)) == ApplicationStatus.submitted
        assert db.session.scalar(select(func.count()).select_from(Member)) == 0


def test_the_secretariat_moving_a_member_up_by_hand_meets_the_classes_own_rule(app, client, session):
    from society_saas.members import services

    data = _setup()
    a, people = data["a"]
    ids = member_fixture(a)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/{ids['member_id']}"

    def move(code, reference=""):
        return post_form(client, url + "/class", {"class_code": code, "reference": reference}, page=url,
                         follow_redirects=True).get_data(as_text=True)

    def class_now():
        with society_context(a.id):
            db.session.expire_all()
            return db.session.get(Member, (a.id, ids["member_id"])).member_class.code

    assert "要求入会满 5 年，目前入会 0 年" in move("senior") and class_now() == "member"
    with app.test_request_context("/"), society_context(a.id):
        services.update_member(a, None, db.session.get(Member, (a.id, ids["member_id"])), {"join_date": "2015-03-01"})
        db.session.commit()
    assert "要求具有副高级及以上职称，该会员档案中未登记" in move("senior") and class_now() == "member"
    with app.test_request_context("/"), society_context(a.id):
        services.update_member(a, None, db.session.get(Member, (a.id, ids["member_id"])), {"senior_title": True})
        db.session.commit()
    assert "会员类别已变更" in move("senior") and class_now() == "senior"
    assert "会员类别已变更" in move("fellow", "理事会决议〔2026〕5号") and class_now() == "fellow"  # elected, not applied
