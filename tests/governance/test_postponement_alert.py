"""While an approved postponement holds, the renewal page says until when, not that the term ended unrenewed."""
from datetime import date, timedelta

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.services.renewals import alert_level, today
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.factories import make_society, two_societies
from tests.governance.helpers import council_with_term

OVERDUE = "任期已届满，尚未完成换届。"


def _postponed(society, ends_on, until, approve=True):
    _, term = council_with_term(society, start=ends_on - timedelta(days=4 * 365), end=ends_on)
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    gov.request_postponement(society, None, renewal, {"reason": "主要负责人调整", "until": until})
    if approve:
        gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    return term, renewal


def test_no_overdue_alert_while_an_approved_postponement_holds(app, session):
    society = make_society("pa")
    with app.test_request_context("/"), society_context(society.id):
        term, renewal = _postponed(society, date(2027, 2, 28), date(2027, 9, 30))
        for day in (date(2027, 3, 1), date(2027, 9, 30)):
            assert alert_level(term.ends_on, day, renewal) is None
        assert alert_level(term.ends_on, date(2027, 10, 1), renewal) == 0  # ran out
        gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三"})
        assert alert_level(term.ends_on, date(2027, 3, 1), renewal) is None  # still under the postponement
        assert alert_level(term.ends_on, date(2027, 3, 1)) == 0  # no renewal given: the term's own deadline
        session.rollback()


def test_a_postponement_not_yet_approved_leaves_the_alert(app, session):
    society = make_society("pb")
    with app.test_request_context("/"), society_context(society.id):
        term, renewal = _postponed(society, date(2027, 2, 28), date(2027, 9, 30), approve=False)
        assert alert_level(term.ends_on, date(2027, 3, 1), renewal) == 0
        session.rollback()


def _page(app, client, ends_in: int, until_in: int, approve=True) -> tuple[str, date]:
    data = two_societies()
    society = data["a"][0]
    until = today() + timedelta(days=until_in)
    with app.test_request_context(), society_context(society.id):
        _postponed(society, today() + timedelta(days=ends_in), until, approve)
        db.session.commit()
    login(client, "sec@a.test")
    return client.get("/s/a/admin/governance/renewal").get_data(as_text=True), until


def test_the_renewal_page_shows_the_postponement_instead_of_the_overdue_alert(app, client):
    page, until = _page(app, client, ends_in=-30, until_in=60)
    assert f"经科协批准，换届已延期至 {until.isoformat()}。" in page
    assert OVERDUE not in page


def test_the_renewal_page_says_when_the_postponement_ran_out(app, client):
    page, until = _page(app, client, ends_in=-60, until_in=-5)
    assert f"经批准的延期已于 {until.isoformat()} 届满，仍未完成换届。" in page
    assert "经科协批准" not in page


def test_a_requested_postponement_does_not_hide_the_overdue_alert(app, client):
    page, _until = _page(app, client, ends_in=-30, until_in=60, approve=False)
    assert OVERDUE in page and "经科协批准" not in page
