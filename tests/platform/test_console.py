"""The association console: create, edit, suspend, reactivate and list societies."""
from sqlalchemy import select

from society_saas.tenancy.models import Society, SocietyStatus
from tests.conftest import login, post_form
from tests.factories import make_admin, two_societies

PROFILE = {"name": "示例市物理学会", "short_name": "物理学会", "slug": "phys", "kind": "society",
           "registration_no": "51990000MJ0000009X", "supporting_unit": "示例大学物理学院", "discipline": "物理学",
           "consortium": "理科学会联合体", "contact_name": "钱七", "contact_phone": "023-1234567",
           "contact_email": "office@phys.example.cn"}


def test_administrator_creates_a_society(client, session):
    make_admin()
    login(client, "admin@kx.test")
    response = post_form(client, "/association/societies/new", PROFILE)
    assert response.status_code == 302
    society = session.scalar(select(Society).where(Society.slug == "phys"))
    assert society.supporting_unit == "示例大学物理学院" and society.consortium == "理科学会联合体"
    assert client.get("/s/phys/").status_code == 200


def test_duplicate_slug_and_bad_fields_are_shown_and_nothing_is_written(client, session):
    make_admin()
    two_societies()
    login(client, "admin@kx.test")
    response = post_form(client, "/association/societies/new", {**PROFILE, "slug": "a"})
    assert response.status_code == 200 and "已被其他学会使用" in response.get_data(as_text=True)
    response = post_form(client, "/association/societies/new", {**PROFILE, "slug": "Bad Slug", "contact_email": "x"})
    assert response.status_code == 200
    assert session.scalar(select(Society).where(Society.name == PROFILE["name"])) is None


def test_suspend_needs_a_reason_and_locks_the_secretariat(client, session):
    make_admin()
    data = two_societies()
    a, people = data["a"]
    login(client, "admin@kx.test")
    post_form(client, f"/association/societies/{a.id}/suspend", {"reason": ""}, page=f"/association/societies/{a.id}")
    assert session.get(Society, a.id).status == SocietyStatus.active
    post_form(client, f"/association/societies/{a.id}/suspend", {"reason": "连续两年未按期换届"},
              page=f"/association/societies/{a.id}")
    session.expire_all()
    assert session.get(Society, a.id).status == SocietyStatus.suspended
    listing = client.get("/association/?status=suspended").get_data(as_text=True)
    assert a.name in listing and data["b"][0].name not in listing
    staff = client.application.test_client()
    login(staff, people["sec"].email)
    assert staff.get("/s/a/admin/").status_code == 403
    post_form(client, f"/association/societies/{a.id}/reactivate", {}, page=f"/association/societies/{a.id}")
    assert staff.get("/s/a/admin/").status_code == 200


def test_only_the_association_reaches_the_console(client, session):
    data = two_societies()
    login(client, data["a"][1]["sec"].email)
    assert client.get("/association/").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get("/association/").status_code == 302
    make_admin("staff@kx.test", role="staff")
    staff = client.application.test_client()
    login(staff, "staff@kx.test")
    assert staff.get("/association/").status_code == 200
    assert staff.get("/association/societies/new").status_code == 403


def test_filters_by_kind_and_name(client, session):
    make_admin()
    two_societies()
    login(client, "admin@kx.test")
    post_form(client, "/association/societies/new", {**PROFILE, "kind": "university_sta"})
    page = client.get("/association/?kind=university_sta").get_data(as_text=True)
    assert "示例市物理学会" in page and "测试学会a" not in page
    page = client.get("/association/?q=物理").get_data(as_text=True)
    assert "示例市物理学会" in page and "测试学会b" not in page


def test_the_address_field_says_what_it_is_for_in_text_a_browser_shows(client, session):
    make_admin()
    login(client, "admin@kx.test")
    page = client.get("/association/societies/new").get_data(as_text=True)
    assert "网址 /s/名称/ 中的“名称”" in page and "/s/<name>/" not in page  # a bare <name> is read as a tag
