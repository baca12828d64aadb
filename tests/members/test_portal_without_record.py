"""The member portal of someone with no record in the ledger (secretariat staff, an applicant) offers no member pages
that would answer 404, and says why and where to go instead."""
from society_saas.extensions import db
from society_saas.members import services
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, person, with_classes

MEMBER_ONLY = ("/s/a/me/certificate.pdf", "/s/a/me/requests/", "/s/a/me/profile/my-data.json", "/s/a/me/dues/")


def _setup():
    data = two_societies()
    with_classes(data["a"][0])
    return data


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_staff_without_a_record_see_no_member_links_but_an_explanation(app, client, session):
    a, people = _setup()["a"]
    for who in ("sec", "staff"):
        login(client, people[who].email)
        home = client.get("/s/a/me/").get_data(as_text=True)
        for url in MEMBER_ONLY:
            assert f'href="{url}"' not in home, (who, url)
        assert "您的账号在本学会会员台账中没有会员记录" in home
        assert "您是本学会秘书处工作人员" in home and 'href="/s/a/admin/"' in home
        profile = client.get("/s/a/me/profile/").get_data(as_text=True)
        assert "您的账号在本学会会员台账中没有会员记录" in profile and 'href="/s/a/admin/"' in profile
        for url in MEMBER_ONLY:
            assert f'href="{url}"' not in profile, (who, url)
        _logout(client)


def test_an_applicant_without_a_record_is_pointed_to_the_application(app, client, session):
    a, people = _setup()["a"]
    login(client, people["member"].email)  # the member role, but not yet in the ledger
    home = client.get("/s/a/me/").get_data(as_text=True)
    assert "没有会员记录" in home and 'href="/s/a/apply/"' in home and "秘书处工作人员" not in home
    form = {"class_code": "member", "name": "a-member", "id_type": "resident_id", "mobile": "13911112222",
            "email": people["member"].email, "nationality": "mainland"}
    assert post_form(client, "/s/a/apply/", form, content_type="multipart/form-data").status_code == 302
    home = client.get("/s/a/me/").get_data(as_text=True)
    assert "您的入会申请正在秘书处办理中" in home and 'href="/s/a/apply/status"' in home


def test_a_member_sees_every_member_page_and_each_answers(app, client, session):
    a, people = _setup()["a"]
    with app.test_request_context("/"), society_context(a.id):
        data = person(id_number=VALID_IDS[0], email=people["member"].email)
        services.create_member(a, None, data, services.class_by_code(data.pop("class_code")), user=people["member"])
        db.session.commit()
    login(client, people["member"].email)
    home = client.get("/s/a/me/").get_data(as_text=True)
    assert "没有会员记录" not in home
    for url in MEMBER_ONLY:
        assert f'href="{url}"' in home, url
        if not url.endswith(".pdf"):  # the certificate is rendered by its own tests
            assert client.get(url).status_code == 200, url
