"""An approved postponement (延期换届) counts until its day whatever step the renewal takes next, and only until then:
the renewal page, the reminders, the association's renewal list, the on-time metric and the watchlist agree."""
from datetime import date

import pytest

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.services.notices import notice_level
from society_saas.governance.services.renewals import standing
from society_saas.oversight import metrics, queries, watch
from society_saas.tenancy.context import cross_society, society_context
from tests.factories import make_society
from tests.governance.helpers import council_with_term

STEPS = {"submitted": ("submit",), "returned": ("submit", "return"), "approved": ("submit", "approve")}


def _take(society, renewal, steps):
    for step in steps:
        if step == "submit":
            gov.submit_plan(society, None, renewal, {"plan": "换届方案", "candidates": "张三\n李四"})
        else:
            comment = "候选人名单需调整" if step == "return" else None
            gov.review_renewal(society, None, renewal, {"decision": step, "comment": comment})


def _postponed(society, ends_on, until, steps=(), approve=True):
    """A council term ending on `ends_on`, its renewal postponed to `until`, then the given steps taken."""
    _, term = council_with_term(society, start=date(ends_on.year - 4, ends_on.month, 1), end=ends_on)
    renewal = gov.start_renewal(society, None, {"term_id": term.id})
    gov.request_postponement(society, None, renewal, {"reason": "主要负责人调整", "until": until})
    if approve:
        gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    _take(society, renewal, steps)
    db.session.commit()
    return term, renewal


@pytest.fixture
def society(app, session):
    society = make_society("pp")
    with app.test_request_context("/?lang=en"), society_context(society.id):
        yield society
    session.rollback()


@pytest.mark.parametrize("status", list(STEPS))
def test_the_postponement_holds_after_the_plan_is_submitted_returned_or_approved(society, status):
    """The term ended on 28 February; the association postponed the renewal to 30 September. Submitting the plan
    (and its review) must not make the society overdue before then, nor mail it that its term ended unrenewed."""
    term, renewal = _postponed(society, date(2027, 2, 28), date(2027, 9, 30), STEPS[status])
    assert renewal.status.value == status
    for day in (date(2027, 3, 1), date(2027, 9, 30)):
        assert standing(term.ends_on, renewal, on=day) == "postponed"
        assert notice_level(term, renewal, day) is None
    assert standing(term.ends_on, renewal, on=date(2027, 10, 1)) == "overdue"
    assert notice_level(term, renewal, date(2027, 10, 1)) == "postponement_overdue"


def test_the_postponement_counts_only_once_approved_and_ends_with_the_assembly(society):
    term, renewal = _postponed(society, date(2027, 2, 28), date(2027, 9, 30), approve=False)
    assert standing(term.ends_on, renewal, on=date(2027, 3, 1)) == "overdue"  # asked, not yet approved
    assert notice_level(term, renewal, date(2027, 3, 1)) == "overdue"
    gov.decide_postponement(society, None, renewal, {"decision": "approve"})
    _take(society, renewal, STEPS["approved"])
    gov.record_assembly(society, None, renewal, {"held_on": date(2027, 9, 20)})
    assert standing(term.ends_on, renewal, on=date(2027, 10, 1)) == "done"
    assert notice_level(term, renewal, date(2027, 10, 1)) is None


def test_the_renewal_list_the_on_time_metric_and_the_watchlist_agree(app, session):
    """On 1 March 2027: three societies carry on under an approved postponement (one of them 212 days past its
    term's end), one's postponement ran out in January, one's request still awaits the association."""
    on = date(2027, 3, 1)
    cases = {  # slug: (term ends, postponed until, steps after the approval or None: not approved, standing)
        "sub": (date(2026, 8, 1), date(2027, 7, 31), STEPS["submitted"], "postponed"),
        "ret": (date(2027, 2, 1), date(2027, 9, 1), STEPS["returned"], "postponed"),
        "appr": (date(2027, 2, 1), date(2027, 9, 1), STEPS["approved"], "postponed"),
        "ranout": (date(2026, 8, 1), date(2027, 1, 31), STEPS["submitted"], "overdue"),
        "asked": (date(2027, 2, 1), date(2027, 9, 1), None, "overdue"),
    }
    made = {}
    for slug, (ends_on, until, steps, _expected) in cases.items():
        s = made[slug] = make_society(slug)
        with app.test_request_context("/"), society_context(s.id):
            _postponed(s, ends_on, until, steps or (), approve=steps is not None)
    expected = {made[slug].id: want for slug, (*_rest, want) in cases.items()}

    with app.test_request_context("/"):
        with cross_society():
            listing = {sid: state for sid, _name, _n, _ends, _rid, _status, state in gov.renewal_listing(on)}
        status = {sid: r["status"] for sid, r in queries.renewal_status(on).items()}
        on_time = metrics.renewal_on_time(on.year, on)
        watched = {r["society"].id for r in watch.watchlist(on)}
    assert listing == expected
    assert status == expected
    assert on_time == {sid: 0.0 if want == "overdue" else 1.0 for sid, want in expected.items()}
    assert watched == {made["ranout"].id}  # 212 days past its term, its postponement over
