"""Two staff editing the same record: the second save over a newer change is refused (no lost update)."""
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from society_saas.tenancy.scoping import sync_rls
from tests.conftest import csrf_token, login
from tests.factories import make_admin, two_societies
from tests.members.helpers import member_fixture, with_classes
from tests.reliability.helpers import CSRF, VERSION

FIELDS = ("name", "gender", "birth_date", "id_type", "id_number", "mobile", "email", "work_unit",
          "professional_title", "education", "discipline", "region", "nationality", "join_date", "organisation",
          "credit_code", "contact_person")


def _form_of(client, url: str) -> dict:
    """Every field of the edit form as the browser would send it back."""
    import re

    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": CSRF.search(page).group(1), "version": VERSION.search(page).group(1)}
    for name in FIELDS:
        m = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or \
            re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page)
        data[name] = m.group(1) if m else ""
        sel = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
        if sel:
            chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', sel.group(0))
            data[name] = (chosen.group(1) or chosen.group(2)) if chosen else ""
    data["id_number"] = ""
    return data


@pytest.fixture
def two_staff(app, session):
    data = two_societies()
    society, people = data["a"]
    with_classes(society)
    ids = member_fixture(society)
    first, second = app.test_client(), app.test_client()
    login(first, people["staff"].email)
    login(second, people["sec"].email)
    return society, ids["member_id"], first, second


def test_the_second_save_over_a_newer_change_is_refused(two_staff):
    society, member_id, first, second = two_staff
    url = f"/s/a/admin/members/{member_id}/edit?lang=en"
    form_a, form_b = _form_of(first, url), _form_of(second, url)  # both open the record
    assert form_a["version"] == form_b["version"]
    v0 = int(form_a["version"])
    saved = first.post(url, data={**form_a, "work_unit": "甲大学"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:1500]
    refused = second.post(url, data={**form_b, "mobile": "13700000000"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Someone else changed this record" in page
    assert 'value="13700000000"' in page  # the second person's entries are kept on the form
    with society_context(society.id):
        member = db.session.scalar(select(Member).where(Member.id == member_id))
        assert (member.work_unit, member.mobile, member.version) == ("甲大学", "13800138000", v0 + 1)
    # having seen the message, the second person saves again, knowingly, over version 2
    again = second.post(url, data={**form_b, "work_unit": "甲大学", "mobile": "13700000000",
                                   "version": VERSION.search(page).group(1)})
    assert again.status_code == 302
    db.session.expire_all()
    with society_context(society.id):
        member = db.session.scalar(select(Member).where(Member.id == member_id))
        assert (member.work_unit, member.mobile, member.version) == ("甲大学", "13700000000", v0 + 2)


def test_a_race_between_check_and_write_is_caught_by_the_version_column(app, two_staff):
    """Both requests passed the form's check; the UPDATE ... WHERE version = N of the later one finds nothing."""
    society, member_id, _first, _second = two_staff
    other = Session(db.engine)
    with society_context(society.id):
        mine = db.session.scalar(select(Member).where(Member.id == member_id))
        sync_rls(other)
        theirs = other.scalar(select(Member).where(Member.id == member_id))
        theirs.work_unit = "乙研究所"
        other.commit()
        other.close()
        mine.mobile = "13600000000"
        with pytest.raises(StaleDataError):
            db.session.flush()
        db.session.rollback()
        member = db.session.scalar(select(Member).where(Member.id == member_id))
        assert (member.work_unit, member.mobile) == ("乙研究所", "13800138000")


def test_a_stale_write_in_a_request_answers_409_not_500(app, two_staff, monkeypatch):
    """Whatever view meets the version check failing answers a clear 409 page (and JSON for the API)."""
    society, member_id, first, _second = two_staff
    from society_saas.members import services

    real = services.update_member

    def racing(soc, actor, member, data):
        # someone else commits a change to the same row between this request's read and its write
        with db.engine.begin() as conn:
            if db.is_postgres:
                conn.exec_driver_sql("SELECT set_config('app.society_id', %s, true)", (str(society.id),))
            conn.execute(Member.__table__.update().where(Member.__table__.c.id == member_id)
                         .values(version=Member.__table__.c.version + 1, region="同时修改"))
        return real(soc, actor, member, data)

    monkeypatch.setattr(services, "update_member", racing)
    url = f"/s/a/admin/members/{member_id}/edit?lang=en"
    form = _form_of(first, url)
    response = first.post(url, data={**form, "work_unit": "丙公司"})
    assert response.status_code == 409 and "Someone else changed this record" in response.get_data(as_text=True)
    with society_context(society.id):
        member = db.session.scalar(select(Member).where(Member.id == member_id))
        assert (member.region, member.work_unit) == ("同时修改", "示例大学")


def test_the_api_refuses_an_update_with_a_stale_etag(app, two_staff):
    """The API's optimistic locking: If-Match with the ETag read; 412 when it changed since, 428 without it."""
    society, member_id, first, _second = two_staff
    from society_saas.accounts.models import User
    from society_saas.api import tokens

    with app.test_request_context("/"):
        user = db.session.scalar(select(User).where(User.email == "sec@a.test"))
        _tok, secret = tokens.create_token(user, {"name": "t", "society": society, "scope": "write", "days": 1})
        db.session.commit()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/societies/a/members/{member_id}"
    read = client.get(url, headers=auth)
    assert read.status_code == 200, read.get_data(as_text=True)
    etag = read.headers["ETag"]
    assert client.patch(url, json={"work_unit": "A"}, headers={**auth, "If-Match": etag}).status_code == 200
    stale = client.patch(url, json={"work_unit": "B"}, headers={**auth, "If-Match": etag})
    assert stale.status_code == 412 and stale.is_json
    assert client.patch(url, json={"work_unit": "B"}, headers=auth).status_code == 428
    with society_context(society.id):
        assert db.session.scalar(select(Member.work_unit).where(Member.id == member_id)) == "A"


def test_two_association_staff_editing_a_society_profile(app, session):
    data = two_societies()
    make_admin()
    society = data["a"][0]
    first, second = app.test_client(), app.test_client()
    login(first, "admin@kx.test")
    login(second, "admin@kx.test")
    url = f"/association/societies/{society.id}/edit?lang=en"
    import re

    def form_of(client):
        page = client.get(url).get_data(as_text=True)
        values = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
        values.update({"kind": "society", "description": ""})
        return values

    a, b = form_of(first), form_of(second)
    v0 = int(a["version"])
    assert first.post(url, data={**a, "contact_name": "王一"}).status_code == 302
    refused = second.post(url, data={**b, "contact_phone": "010-1234"})
    assert refused.status_code == 409 and "Someone else changed this record" in refused.get_data(as_text=True)
    db.session.expire_all()
    from society_saas.tenancy.models import Society

    row = db.session.get(Society, society.id)
    assert (row.contact_name, row.contact_phone or "", row.version) == ("王一", "", v0 + 1)
