"""Walk every route of app.url_map as society A's secretary-general, aimed at society B.

A society page for B answers 403 (A's people hold no role there); an object of B reached
through A's address answers 404. A route missing from ROUTES fails the walk, so a new route
cannot be added without saying how it is isolated.
"""
import uuid

import pytest

from society_saas.accounts.models import SocietyRole
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.api.helpers import API_OBJECT_IDS, API_ROUTES
from tests.conftest import csrf_token, login
from tests.dues.helpers import DUES_OBJECT_IDS, DUES_ROUTES
from tests.decisions.helpers import record as record_decision
from tests.decisions.test_isolation import ROUTES as DECISION_ROUTES
from tests.governance.helpers import ROUTES as GOVERNANCE_ROUTES, governance_fixture
from tests.factories import two_societies
from tests.members.helpers import member_fixture
from sqlalchemy import select

# endpoint -> how it is isolated:
#   "global"     not about one society (home, login, language, health)
#   "public"     a society's public page: anyone may read it, it shows no other society's rows
#   "society"    a secretariat or portal page: B's page answers 403 to A's people
#   "object"     an object of B through A's address answers 404
#   "console"    the association console: 403 for society people
#   "api"        the REST API: token-authenticated, so A's session cookie gets 401 (JSON), even on A's own data
ROUTES = {
    "static": "global",
    "healthz": "global",
    "metrics": "global",
    "home.index": "global",
    "accounts.login": "global",
    "accounts.logout": "global",
    "accounts.logout_everywhere": "global",
    "accounts.forgot_password": "global",
    "accounts.reset_password": "global",
    "accounts.change_password": "global",
    "accounts.set_language": "global",
    "society.public_page": "public",
    "admin.admin_home": "society",
    "portal.portal_home": "society",
    "roles.index": "society",
    "roles.revoke": "object",
    "audit.society_log": "society",
    "charter.edit": "society",
    "association.index": "console",
    "association.create": "console",
    "association.detail": "console",
    "association.edit": "console",
    "association.suspend": "console",
    "association.reactivate": "console",
    "association_audit.association_log": "console",
    "members.ledger": "society",
    "members.applications": "society",
    "members.import_roster": "society",
    "members.import_map": "society",
    "members.import_job": "object",
    "members.import_problems": "object",
    "members.export": "society",
    "members.detail": "object",
    "members.full_record": "object",
    "members.change_status": "object",
    "members.application": "object",
    "members.attachment": "object",
    "members.decide": "object",
    "apply.apply": "public",
    "apply.status": "public",
    "apply.answer": "object",
    "member_portal.profile": "society",
    "member_portal.upgrade": "society",
    "member_portal.my_data": "society",
    "member_portal.my_requests": "society",
    "member_portal.close_request": "object",
    "member_portal.certificate": "society",
    "member_verify.verify_page": "global",
    "members.bulk": "society",
    "members.certificates": "society",
    "members.print_certificates": "society",
    "members.certificate_job": "object",
    "members.certificate_job_pdf": "object",
    "members.edit": "object",
    "members.classes": "society",
    "members.stats": "society",
    "members.requests": "society",
    "members.edit_class": "object",
    "members.change_class": "object",
    "members.verified": "object",
    "members.request_detail": "object",
    "association_decisions.reports": "console",
    "association_decisions.respond": "console",
    "association_decisions.verify_all": "console",
    "oversight.figures": "console",
    "oversight.filings": "console",
    "oversight.review_filing": "console",
    "oversight.schemes": "console",
    "oversight.scheme": "console",
    "oversight.add_indicator": "console",
    "oversight.step": "console",
    "oversight.run_status": "console",
    "oversight.assign": "console",
    "oversight.score": "console",
    "oversight.ranking": "console",
    "oversight.ranking_xlsx": "console",
    "oversight.report_pdf": "console",
    "oversight.watchlist": "console",
    "oversight.watch_action": "console",
    "oversight.reform": "console",
    "oversight.reform_progress": "console",
    "society_oversight.activity_list": "society",
    "society_oversight.activity_submit": "object",
    "society_oversight.assessment_list": "society",
    "society_oversight.self_report": "society",
    "society_oversight.report_pdf": "society",
    "society_oversight.evidence": "society",
    "oversight.evidence": "console",
    "oversight.ranking_pdf": "console",
    "oversight.delete_indicator": "console",
    **GOVERNANCE_ROUTES,
    **DECISION_ROUTES,
    **DUES_ROUTES,
    **API_ROUTES,
}


def _role_of_b(b):
    with society_context(b.id):
        return db.session.scalars(select(SocietyRole.id)).first()


_made: dict = {}


def _once(name, maker, b):
    """Build an area's fixture objects in B once per test (keyed by B's id, unique per test)."""
    key = (name, b.id)
    if key not in _made:
        _made[key] = maker(b)
    return _made[key]


def _governance(b, field):
    return _once("governance", governance_fixture, b)[field]


def _activity_of_b(b):
    from datetime import date

    from society_saas.oversight.activities import record_activity

    with society_context(b.id):
        activity = record_activity(b, None, {"kind": "training", "title": "B", "starts_on": date(2030, 1, 1),
                                             "in_association_name": True})
        db.session.commit()
        return activity.id


# URL argument -> a function giving the value for society B's object
OBJECT_IDS = {
    **{field: (lambda b, f=field: _governance(b, f))
       for field in ("organ_id", "term_id", "position_id", "renewal_id", "meeting_id", "step")},
    "decision_id": lambda b: _once("decision", record_decision, b).decision_id,
    # association-wide objects: society people are refused before the id matters
    "rule_id": lambda b: uuid.uuid4(),
    "role_id": _role_of_b,
    "society_id": lambda b: b.id,
    "member_id": lambda b: member_fixture(b)["member_id"],
    "application_id": lambda b: member_fixture(b)["application_id"],
    "request_id": lambda b: member_fixture(b)["request_id"],
    "class_id": lambda b: member_fixture(b)["class_id"],
    "action": lambda b: "approve",
    "index": lambda b: 0,
    "fmt": lambda b: "csv",
    "activity_id": lambda b: _once("oversight", _activity_of_b, b),
    "scheme_id": lambda b: uuid.uuid4(),
    "task_id": lambda b: uuid.uuid4(),
    "indicator_id": lambda b: uuid.uuid4(),
    "step": lambda b: "publish",
    **DUES_OBJECT_IDS,
    **API_OBJECT_IDS,
}


def _url(app, rule, slug, b):
    values = {}
    for arg in rule.arguments:
        if arg == "slug":
            values[arg] = slug
        elif arg in OBJECT_IDS:
            values[arg] = OBJECT_IDS[arg](b)
        else:
            pytest.fail(f"{rule.endpoint}: no value known for <{arg}>; add it to OBJECT_IDS")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _hit(client, method, url, token):
    if method == "POST":
        return client.post(url, data={"csrf_token": token})
    if method == "PATCH":
        return client.patch(url, json={})
    return client.get(url)


def test_every_route_is_covered(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(ROUTES)
    assert not missing, f"routes without an isolation expectation: {sorted(missing)}"
    stale = set(ROUTES) - endpoints
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


def test_society_a_cannot_reach_society_b(app, client, session):
    data = two_societies()
    a, people_a = data["a"]
    b, _ = data["b"]
    login(client, people_a["sec"].email)
    token = csrf_token(client, "/account/password")
    checked = 0
    for rule in app.url_map.iter_rules():
        kind = ROUTES[rule.endpoint]
        if kind in ("global", "public"):
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST", "PATCH"}):
            if kind == "api":
                response = _hit(client, method, _url(app, rule, a.slug, b), token)
                assert response.status_code == 401 and response.is_json, f"{method} {rule.rule} -> {response.status_code}"
                assert set(response.get_json()) == {"code", "message", "errors"}
                checked += 1
                continue
            if kind == "society":
                url, expected = _url(app, rule, b.slug, b), 403
            elif kind == "object":
                url, expected = _url(app, rule, a.slug, b), 404
            else:
                url, expected = _url(app, rule, a.slug, b), 403
            response = _hit(client, method, url, token)
            assert response.status_code == expected, f"{method} {url} ({rule.endpoint}) -> {response.status_code}"
            checked += 1
    assert checked >= 10
    # nothing of B changed
    with society_context(b.id):
        assert len(db.session.scalars(select(SocietyRole)).all()) == 3


def test_public_pages_show_only_their_society(app, client, session):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    page = client.get(f"/s/{a.slug}/").get_data(as_text=True)
    assert a.name in page and b.name not in page
    assert client.get("/s/no-such-society/").status_code == 404
