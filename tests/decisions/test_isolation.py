"""Every decisions route, walked as society A's secretary-general aimed at society B.

These are the entries the platform route walk (tests/platform/test_route_walk.py) needs too:
society pages answer 403 for B's address, B's decision through A's address answers 404."""
from flask import url_for
from sqlalchemy import func, select

from society_saas.decisions.models import DecisionCheckpoint, DecisionEntry
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.decisions.helpers import record
from tests.factories import two_societies

ROUTES = {
    "decisions.index": "society",
    "decisions.new": "society",
    "decisions.verify": "society",
    "decisions.sign_checkpoint": "society",
    "decisions.export_checkpoints": "society",
    "decisions.register_pdf": "society",
    "decisions.register_xlsx": "society",
    "decisions.detail": "object",
    "decisions.change_state": "object",
    "decisions.follow_up": "object",
    "decisions.correction": "object",
    "decisions.attachment": "object",
}


def test_every_decisions_route_is_isolated(app, client, session):
    data = two_societies()
    a, people_a = data["a"]
    b = data["b"][0]
    other = record(b)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("decisions.")]
    assert {r.endpoint for r in rules} == set(ROUTES)
    login(client, people_a["sec"].email)
    token = csrf_token(client, "/s/a/admin/decisions/new")
    checked = 0
    for rule in rules:
        kind = ROUTES[rule.endpoint]
        slug = b.slug if kind == "society" else a.slug
        args = {"slug": slug} | ({"decision_id": other.decision_id} if "decision_id" in rule.arguments else {})
        args |= {"index": 0} if "index" in rule.arguments else {}
        with app.test_request_context():
            url = url_for(rule.endpoint, **args)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.post(url, data={"csrf_token": token}) if method == "POST" else client.get(url)
            assert response.status_code == (403 if kind == "society" else 404), f"{method} {url}"
            checked += 1
    assert checked >= 11
    with society_context(b.id):
        assert db.session.scalar(select(func.count()).select_from(DecisionEntry)) == 1
        assert db.session.scalar(select(func.count()).select_from(DecisionCheckpoint)) == 0
