"""The association's list of reported matters comes a page at a time (thousands at city scale)."""
from society_saas.decisions import console
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
