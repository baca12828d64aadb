"""The association's console: reported matters across societies, answers appended to the chain, verify page."""
from sqlalchemy import select

from society_saas.decisions.models import DecisionEntry
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.decisions.helpers import record
from tests.factories import make_admin, two_societies


def test_reported_matters_are_listed_and_answered(client, session):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    reported = record(a, title="关于修订章程的决定", report_to_association=True)
    record(a, title="关于内部事务的决定")
    record(b, title="关于设立分会的决定", report_to_association=True)
    make_admin()
    login(client, "admin@kx.test")
    page = client.get("/association/decisions/?lang=en").get_data(as_text=True)
    assert "关于修订章程的决定" in page and "关于设立分会的决定" in page and "关于内部事务的决定" not in page
    url = f"/association/decisions/{a.id}/{reported.decision_id}/respond"
    response = post_form(client, url, {"response": "question", "note": "请补充会议纪要。"}, page="/association/decisions/")
    assert response.status_code == 302
    pending = client.get("/association/decisions/?status=pending").get_data(as_text=True)
    assert "关于设立分会的决定" in pending and "关于修订章程的决定" not in pending
    with society_context(a.id):
        answer = db.session.scalars(select(DecisionEntry).where(DecisionEntry.entry_type == "association_response")).one()
        assert (answer.state, answer.note, answer.seq) == ("question", "请补充会议纪要。", 3)
    verify = client.get("/association/decisions/verify?lang=en").get_data(as_text=True)
    assert verify.count("Intact") == 2
    # the society sees the answer in the decision's history
    login(client, data["a"][1]["sec"].email)
    assert "请补充会议纪要。" in client.get(f"/s/a/admin/decisions/{reported.decision_id}").get_data(as_text=True)


def test_an_unreported_matter_cannot_be_answered(client, session):
    data = two_societies()
    a = data["a"][0]
    entry = record(a)
    make_admin()
    login(client, "admin@kx.test")
    post_form(client, f"/association/decisions/{a.id}/{entry.decision_id}/respond?lang=en",
              {"response": "acknowledged"}, page="/association/decisions/")
    with society_context(a.id):
        assert db.session.scalars(select(DecisionEntry.entry_type)).all() == ["record"]


def test_a_decision_of_another_society_answers_404(client, session):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    other = record(b, report_to_association=True)
    make_admin()
    login(client, "admin@kx.test")
    response = post_form(client, f"/association/decisions/{a.id}/{other.decision_id}/respond",
                         {"response": "acknowledged"}, page="/association/decisions/")
    assert response.status_code == 404


def test_society_people_and_assessors_cannot_answer(client, session):
    data = two_societies()
    a = data["a"][0]
    entry = record(a, report_to_association=True)
    login(client, data["a"][1]["sec"].email)
    assert client.get("/association/decisions/").status_code == 403
    assert client.get("/association/decisions/verify").status_code == 403
    make_admin("assessor@kx.test", "assessor")
    login(client, "assessor@kx.test")
    assert client.get("/association/decisions/").status_code == 200
    response = post_form(client, f"/association/decisions/{a.id}/{entry.decision_id}/respond",
                         {"response": "acknowledged"}, page="/association/decisions/")
    assert response.status_code == 403


def test_a_too_long_answer_is_refused_naming_the_field_and_nothing_is_appended(client, session):
    data = two_societies()
    a = data["a"][0]
    reported = record(a, title="关于修订章程的决定", report_to_association=True)
    make_admin()
    login(client, "admin@kx.test")
    url = f"/association/decisions/{a.id}/{reported.decision_id}/respond"
    response = post_form(client, url, {"response": "question", "note": "问" * 5001}, page="/association/decisions/")
    assert response.status_code == 302
    page = client.get("/association/decisions/").get_data(as_text=True)
    flash = page.split('class="flash flash-error"', 1)[1].split("</div>", 1)[0]
    assert "问题或意见" in flash and "5000" in flash
    with society_context(a.id):
        assert db.session.scalars(select(DecisionEntry).where(DecisionEntry.entry_type == "association_response")).all() == []
