"""A postponement request (延期换届申请) apart from the postponement approved: a refusal returns the renewal to the
step it had reached, and asking for a later day keeps the approved day in force until the association decides."""
from datetime import date

import pytest
from sqlalchemy import select, text

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import Renewal, RenewalEvent, RenewalStatus as S
from society_saas.governance.services.notices import notice_level
from society_saas.governance.services.renewals import standing
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import make_admin, make_society, two_societies
from tests.governance.helpers import council_with_term
from tests.migration_support import downgraded_to

ENDS = date(2027, 2, 28)
REFUSE = {"decision": "refuse", "comment": "理由不充分"}


@pytest.fixture
def society(app, session):
    society = make_society("pq")
    with app.test_request_context("/?lang=en"), society_context(society.id):
        yield society
    session.rollback()


def _approved_plan(society):
    """A council term ending on ENDS whose renewal plan the association approved."""
    _, term = council_with_term(society, start=date(2023, 3, 1), end=ENDS)
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三\n李四"})
    gov.review_renewal(society, None, renewal, {"decision": "approve"})
    return term, renewal


def _ask(society, renewal, until):
    return gov.request_postponement(society, None, renewal, {"reason": "主要负责人调整", "until": until})


def test_a_refused_request_returns_an_approved_plan_to_approved(society):
    term, renewal = _approved_plan(society)
    _ask(society, renewal, date(2027, 8, 31))
    assert (renewal.status, renewal.requested_until, renewal.postponed_until) == (
        S.postponement_requested, date(2027, 8, 31), None)
    gov.decide_postponement(society, None, renewal, REFUSE)
    assert (renewal.status, renewal.requested_until, renewal.postponed_until) == (S.approved, None, None)
    assert renewal.plan == "换届方案" and renewal.review_comment == "理由不充分"
    # the approved plan still stands: the assembly can be recorded without submitting it again
    gov.record_assembly(society, None, renewal, {"held_on": date(2027, 2, 20)})
    assert renewal.status == S.assembly_held


def test_a_refused_request_returns_a_returned_plan_to_returned(society):
    _, term = council_with_term(society, start=date(2023, 3, 1), end=ENDS)
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三"})
    gov.review_renewal(society, None, renewal, {"decision": "return", "comment": "补充青年候选人"})
    _ask(society, renewal, date(2027, 8, 31))
    gov.decide_postponement(society, None, renewal, REFUSE)
    assert renewal.status == S.returned


def test_an_approved_request_moves_the_day_and_keeps_an_approved_plan(society):
    term, renewal = _approved_plan(society)
    _ask(society, renewal, date(2027, 8, 31))
    gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    assert (renewal.status, renewal.postponed_until, renewal.requested_until) == (S.approved, date(2027, 8, 31), None)
    assert standing(term.ends_on, renewal, on=date(2027, 6, 1)) == "postponed"


def test_asking_for_a_later_day_keeps_the_approved_one_until_the_association_decides(society):
    """Postponed to 30 June; the plan was returned; the society asks for 31 December. While the request waits, and
    after a refusal, the society stands postponed to 30 June (not overdue), and overdue from 1 July."""
    _, term = council_with_term(society, start=date(2023, 3, 1), end=ENDS)
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    _ask(society, renewal, date(2027, 6, 30))
    gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    assert renewal.status == S.postponed
    gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三"})
    gov.review_renewal(society, None, renewal, {"decision": "return", "comment": "补充青年候选人"})
    _ask(society, renewal, date(2027, 12, 31))
    assert (renewal.postponed_until, renewal.requested_until) == (date(2027, 6, 30), date(2027, 12, 31))
    assert standing(term.ends_on, renewal, on=date(2027, 5, 1)) == "postponed"
    assert notice_level(term, renewal, date(2027, 5, 1)) is None
    gov.decide_postponement(society, None, renewal, REFUSE)
    assert (renewal.status, renewal.postponed_until) == (S.returned, date(2027, 6, 30))
    assert standing(term.ends_on, renewal, on=date(2027, 6, 30)) == "postponed"
    assert standing(term.ends_on, renewal, on=date(2027, 7, 1)) == "overdue"
    assert notice_level(term, renewal, date(2027, 7, 1)) == "postponement_overdue"
    # asked again and approved this time: the day moves
    _ask(society, renewal, date(2027, 12, 31))
    gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    assert (renewal.status, renewal.postponed_until) == (S.postponed, date(2027, 12, 31))
    actions = db.session.scalars(select(RenewalEvent.action).where(RenewalEvent.renewal_id == renewal.id)
                                 .order_by(RenewalEvent.at, RenewalEvent.created_at)).all()
    assert actions.count("postponement_requested") == 3 and actions.count("postponement_refused") == 1


@pytest.mark.parametrize("until, field", [(date(2027, 6, 30), "until"), (date(2027, 5, 31), "until"),
                                          (date(2028, 3, 1), "until")])
def test_a_day_not_after_the_approved_one_or_past_a_year_is_refused_and_changes_nothing(society, until, field):
    _, term = council_with_term(society, start=date(2023, 3, 1), end=ENDS)
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    _ask(society, renewal, date(2027, 6, 30))
    gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三"})
    gov.review_renewal(society, None, renewal, {"decision": "approve"})
    with pytest.raises(ServiceError) as refused:
        _ask(society, renewal, until)
    assert refused.value.field == field
    assert (renewal.status, renewal.postponed_until, renewal.requested_until) == (S.approved, date(2027, 6, 30), None)


def test_both_days_are_shown_to_the_society_and_the_association(app, client):
    data = two_societies()
    make_admin()
    society = data["a"][0]
    with app.test_request_context(), society_context(society.id):
        _, term = council_with_term(society, start=date(2023, 3, 1), end=ENDS)
        renewal = gov.start_renewal(society, None, {"term_id": term.id})
        _ask(society, renewal, date(2027, 6, 30))
        gov.decide_postponement(society, None, renewal, {"decision": "approve"})
        gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三"})
        gov.review_renewal(society, None, renewal, {"decision": "return", "comment": "补充青年候选人"})
        db.session.commit()
        renewal_id = renewal.id
    login(client, "sec@a.test")
    base = "/s/a/admin/governance/renewal"
    assert post_form(client, f"{base}/{renewal_id}/postpone", {"reason": "疫情影响", "until": "2027-12-31"},
                     page=base).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "经批准延期至" in page and "2027-06-30" in page and "申请延期至" in page and "2027-12-31" in page
    login(client, "admin@kx.test")
    detail = f"/association/renewals/{society.id}/{renewal_id}"
    page = client.get(detail).get_data(as_text=True)
    assert "疫情影响" in page and "2027-06-30" in page and "2027-12-31" in page
    assert post_form(client, detail, {"decision": "refuse", "comment": "理由不充分"}).status_code == 302
    with app.app_context(), society_context(society.id):
        stored = db.session.get(Renewal, (society.id, renewal_id))
        assert (stored.status, stored.postponed_until, stored.requested_until) == (
            S.returned, date(2027, 6, 30), None)


def test_the_migration_moves_a_pending_request_to_requested_until_and_its_downgrade_back(app, db_backend):
    society = make_society("pm")
    with society_context(society.id):
        _, term = council_with_term(society, start=date(2023, 3, 1), end=ENDS)
        renewal = gov.start_renewal(society, None, {"term_id": term.id})
        _ask(society, renewal, date(2027, 9, 30))
        db.session.commit()
        renewal_id = renewal.id
    with downgraded_to(app, "0003"), society_context(society.id):
        rows = db.session.execute(text("SELECT status, postponed_until FROM renewal")).all()
        assert [(status, str(until)) for status, until in rows] == [("postponement_requested", "2027-09-30")]
    with society_context(society.id):
        stored = db.session.get(Renewal, (society.id, renewal_id))
        assert (stored.postponed_until, stored.requested_until, stored.status_before_request) == (
            None, date(2027, 9, 30), S.preparing)
        gov.decide_postponement(society, None, stored, {"decision": "approve"})
        assert (stored.status, stored.postponed_until) == (S.postponed, date(2027, 9, 30))
