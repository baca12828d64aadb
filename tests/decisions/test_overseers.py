"""Supervisors and council members read the decision log (it is their evidence) and change nothing in it;
an ordinary member does not see it."""
import pytest

from tests.conftest import login, post_form
from tests.decisions.helpers import record
from tests.factories import give_role, make_user, two_societies

BASE = "/s/a/admin/decisions"


@pytest.fixture
def logged(client, session):
    data = two_societies()
    society = data["a"][0]
    entry = record(society, title="关于增补常务理事的决定")
    return client, society, entry


@pytest.mark.parametrize("role", ["supervisor", "council_member"])
def test_an_overseer_reads_the_register_the_entry_the_check_and_the_pdf(logged, role):
    client, society, entry = logged
    person = make_user(f"{role}@a.test", "周监事")
    give_role(society, person, role)
    login(client, person.email)
    home = client.get("/s/a/").get_data(as_text=True)
    assert f"{BASE}/" in home  # the header leads to the log
    register = client.get(f"{BASE}/")
    assert register.status_code == 200
    page = register.get_data(as_text=True)
    assert "关于增补常务理事的决定" in page and f"{BASE}/new" not in page
    assert "/s/a/admin/members" not in page and "/s/a/admin/audit" not in page  # no links it cannot follow
    detail = client.get(f"{BASE}/{entry.decision_id}").get_data(as_text=True)
    assert entry.hash in detail and "/follow-up" not in detail and "/correction" not in detail
    verify = client.get(f"{BASE}/verify").get_data(as_text=True)
    assert "/checkpoints\"" not in verify and 'action="/s/a/admin/decisions/checkpoints"' not in verify
    assert client.get(f"{BASE}/register.pdf").status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "council_member"])
def test_an_overseer_cannot_record_follow_up_or_sign(logged, role):
    client, society, entry = logged
    person = make_user(f"{role}@a.test", "周监事")
    give_role(society, person, role)
    login(client, person.email)
    assert client.get(f"{BASE}/new").status_code == 403
    detail = f"{BASE}/{entry.decision_id}"
    assert post_form(client, f"{detail}/follow-up", {"f-note": "擅自添加"}, page=f"{BASE}/").status_code == 403
    assert post_form(client, f"{BASE}/checkpoints", {}, page=f"{BASE}/").status_code == 403
    assert client.get("/s/a/admin/").status_code == 403  # the rest of the secretariat stays closed


def test_a_member_does_not_see_the_log(logged):
    client, society, _entry = logged
    person = make_user("m@a.test", "会员")
    give_role(society, person, "member")
    login(client, person.email)
    assert client.get(f"{BASE}/").status_code == 403
    assert f"{BASE}/" not in client.get("/s/a/").get_data(as_text=True)
