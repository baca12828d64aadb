"""The secretary-general changes the charter settings after provisioning: the checks use them at once,
a refused value is shown on its field and changes nothing, and the change is in the society's audit log."""
from sqlalchemy import select

from society_saas.core.audit import AuditEvent
from society_saas.decisions.services.rules import majority, quorum
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society
from tests.conftest import login, post_form
from tests.factories import two_societies

URL = "/s/a/admin/governance/charter/"
GOOD = {"term_max_years": "4", "quorum": "1/2", "majority": "1/2", "large_fund_threshold": "200,000",
        "basis": "第六次会员代表大会（2026-05-20）审议通过"}


def _society(slug="a"):
    db.session.expire_all()
    return db.session.scalar(select(Society).where(Society.slug == slug))


def test_the_secretary_general_changes_the_charter_and_the_rules_follow(client, session):
    data = two_societies()
    login(client, data["a"][1]["sec"].email)
    assert "示范章程：2/3" in client.get(URL).get_data(as_text=True)
    response = post_form(client, URL, GOOD)
    assert response.status_code == 302
    a = _society()
    assert a.settings["charter"] == {"term_max_years": 4, "quorum": "1/2", "majority": "1/2",
                                     "large_fund_threshold_fen": 20_000_000}
    assert (quorum(a), majority(a, "major_decision")) == (0.5, 0.5)
    assert "quorum" not in (_society("b").settings or {}).get("charter", {})  # the other society is untouched
    with society_context(a.id):
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "charter")).one()
        assert event.after["basis"] == GOOD["basis"] and event.after["quorum"] == "1/2"
    assert "章程设置" in client.get("/s/a/admin/audit/").get_data(as_text=True)
    page = client.get("/s/a/admin/governance/").get_data(as_text=True)
    assert "200,000.00" in page and "修改章程设置" in page


def test_a_refused_value_is_shown_on_its_field_and_nothing_changes(client, session):
    data = two_societies()
    login(client, data["a"][1]["sec"].email)
    before = dict(_society().settings or {})
    response = post_form(client, URL, {**GOOD, "quorum": "3/2", "term_max_years": "9", "basis": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for field, words in (("quorum", "2/3"), ("term_max_years", "1 到 5"), ("basis", "哪次会议")):
        assert words in html.split(f'id="{field}"', 1)[1][:600], field
    assert 'value="3/2"' in html  # what was typed stays
    assert dict(_society().settings or {}) == before


def test_only_the_secretary_general_may_change_it(client, session):
    data = two_societies()
    login(client, data["a"][1]["staff"].email)
    assert client.get(URL).status_code == 403
    assert post_form(client, URL, GOOD, page="/s/a/admin/governance/").status_code == 403
    assert "修改章程设置" not in client.get("/s/a/admin/governance/").get_data(as_text=True)
    assert "quorum" not in (_society().settings or {}).get("charter", {})
