"""The association's list of reported matters comes a page at a time (thousands at city scale)."""
from datetime import date

from society_saas.decisions import console, services
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.decisions.helpers import record
from tests.factories import make_admin, two_societies


def test_reported_matters_are_paged(client, session, monkeypatch):
    monkeypatch.setattr(console, "PER_PAGE", 2)
    a = two_societies()["a"][0]
    for title in ("甲事项", "乙事项", "丙事项"):
        record(a, title=title, report_to_association=True)
    make_admin()
    login(client, "admin@kx.test")
    first = client.get("/association/decisions/?lang=en").get_data(as_text=True)
    second = client.get("/association/decisions/?lang=en&page=2").get_data(as_text=True)
    shown = [t for t in ("甲事项", "乙事项", "丙事项") if t in first]
    assert len(shown) == 2 and "Page 1 of 2" in first
    assert [t for t in ("甲事项", "乙事项", "丙事项") if t in second and t not in shown] and "Page 2 of 2" in second
    assert sum(t in second for t in ("甲事项", "乙事项", "丙事项")) == 1
    filtered = client.get("/association/decisions/?lang=en&status=pending&page=2").get_data(as_text=True)
    assert "status=pending" in filtered  # the pager keeps the filter


def test_pending_matters_come_first_newest_meeting_first_and_the_latest_answer_counts(session):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    old = record(a, title="旧事项", meeting_date=date(2025, 1, 10), report_to_association=True)
    answered = record(a, title="已答事项", meeting_date=date(2026, 5, 1), report_to_association=True)
    record(b, title="新事项", meeting_date=date(2026, 4, 1), report_to_association=True)
    record(b, title="未报告事项", meeting_date=date(2026, 6, 1))
    with society_context(a.id):
        services.respond_to_report(a, None, {"decision_id": answered.decision_id, "response": "question",
                                             "note": "请补充。"})
        services.respond_to_report(a, None, {"decision_id": answered.decision_id, "response": "acknowledged"})
        db.session.commit()
    matters = services.reported_matters()
    assert [m["title"] for m in matters] == ["新事项", "旧事项", "已答事项"]
    assert [m["status"] for m in matters] == ["pending", "pending", "acknowledged"]
    assert matters[2]["response"]["state"] == "acknowledged" and matters[2]["response"]["note"] is None
    assert matters[0]["society_slug"] == "b" and matters[0]["response"] is None
    assert [m["title"] for m in services.reported_matters("acknowledged")] == ["已答事项"]
    page = services.reported_matters_page("pending", 2, per_page=1)
    assert (page.total, [m["title"] for m in page.items]) == (2, ["旧事项"])
    assert services.reported_matters_page("question", 1).total == 0
