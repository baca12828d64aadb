"""A refused renewal step (报送 the plan, 申请延期) changes nothing, names the field and keeps what was typed."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import Renewal, RenewalEvent, RenewalStatus
from society_saas.governance.services.renewals import today
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import make_society, two_societies
from tests.governance.helpers import council_with_term

BASE = "/s/a/admin/governance/renewal"


@pytest.fixture
def society(app, session):
    society = make_society("rs")
    with app.test_request_context("/?lang=en"), society_context(society.id):
        yield society
    session.rollback()


def _renewal(society):
    _, term = council_with_term(society, start=date(2022, 1, 1))
    return term, gov.start_renewal(society, None, {"term_id": term.id})


def test_a_blank_field_names_itself_and_leaves_the_renewal_as_it_was(society):
    _, renewal = _renewal(society)
    for data, field in (({"plan": "   ", "candidates": "张三"}, "plan"),
                        ({"plan": "换届方案", "candidates": " \n "}, "candidates")):
        with pytest.raises(ServiceError) as refused:
            gov.submit_plan(society, None, renewal, data)
        assert refused.value.field == field
        assert (renewal.status, renewal.plan, renewal.candidates) == (RenewalStatus.preparing, None, None)
        assert not renewal.submissions
    with pytest.raises(ServiceError) as refused:
        gov.request_postponement(society, None, renewal, {"reason": "  ", "until": date(2027, 6, 30)})
    assert refused.value.field == "reason"
    assert (renewal.status, renewal.postponed_until, renewal.postponement_reason) == (RenewalStatus.preparing, None, None)
    assert [e.action for e in db.session.scalars(select(RenewalEvent))] == ["started"]


def _page(app):
    data = two_societies()
    society = data["a"][0]
    with app.test_request_context(), society_context(society.id):
        term, renewal = _renewal(society)
        db.session.commit()
        return society, term.ends_on, renewal.id


def _flash(page: str) -> str:
    return page.split('class="flash flash-error"')[1].split("</div>")[0]


def _stored(society, renewal_id) -> Renewal:
    db.session.expire_all()
    with society_context(society.id):
        return db.session.get(Renewal, (society.id, renewal_id))


def test_submitting_a_blank_plan_shows_the_page_again_with_the_typed_text(app, client):
    society, _ends_on, renewal_id = _page(app)
    login(client, "sec@a.test")
    candidates = "理事长候选人：王伟\n" + "理事候选人：" + "、".join(f"候选人{i}" for i in range(2000))
    response = post_form(client, f"{BASE}/{renewal_id}/submit", {"plan": "   ", "candidates": candidates}, page=BASE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="plan-err"' in page and 'id="candidates-err"' not in page  # the error is beside the plan
    assert "换届工作方案" in _flash(page)  # and the message names it
    assert candidates in page.replace("\r\n", "\n")
    stored = _stored(society, renewal_id)
    assert (stored.status, stored.plan, stored.candidates) == (RenewalStatus.preparing, None, None)
    # both blank: both fields are named, each beside its own error
    page = post_form(client, f"{BASE}/{renewal_id}/submit?lang=en", {"plan": " ", "candidates": " "},
                     page=BASE).get_data(as_text=True)
    assert 'id="plan-err"' in page and 'id="candidates-err"' in page
    assert "Renewal plan" in page and "Candidate list" in _flash(page)


def test_requesting_a_postponement_keeps_the_reason_and_marks_the_field(app, client):
    society, ends_on, renewal_id = _page(app)
    login(client, "sec@a.test")
    url = f"{BASE}/{renewal_id}/postpone"
    until = (ends_on + timedelta(days=90)).isoformat()
    response = post_form(client, url, {"reason": "  ", "until": until}, page=BASE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="reason-err"' in page and f'value="{until}"' in page
    # a rule of the service (the day must fall after the term) is shown on its field, the reason kept
    reason = "主要负责人调整，" * 300
    response = post_form(client, url, {"reason": reason, "until": ends_on.isoformat()}, page=BASE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="until-err"' in page and reason in page and "延期" in page.split('id="until-err"')[1][:200]
    stored = _stored(society, renewal_id)
    assert (stored.status, stored.postponed_until, stored.postponement_reason) == (RenewalStatus.preparing, None, None)
    # a good request still goes through
    assert post_form(client, url, {"reason": "主要负责人调整", "until": until}, page=BASE).status_code == 302
    assert _stored(society, renewal_id).status == RenewalStatus.postponement_requested


def test_a_step_the_renewal_cannot_take_is_still_a_message_and_a_redirect(app, client):
    society, _ends_on, renewal_id = _page(app)
    login(client, "sec@a.test")
    response = post_form(client, f"{BASE}/{renewal_id}/assembly", {"held_on": today().isoformat()}, page=BASE,
                         follow_redirects=True)
    assert response.status_code == 200 and "换届当前所处阶段不能进行此操作" in response.get_data(as_text=True)
    assert _stored(society, renewal_id).status == RenewalStatus.preparing
