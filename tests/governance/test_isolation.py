"""Every governance route, walked as society A's secretary-general and aimed at society B (as the platform walk does)."""
from flask import url_for

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.factories import make_admin, two_societies
from tests.governance.helpers import ROUTES, governance_fixture


def test_society_a_cannot_reach_society_b_governance(app, client):
    data = two_societies()
    admin = make_admin()
    a, people_a = data["a"]
    b, _ = data["b"]
    with app.test_request_context():
        ids = governance_fixture(b)
        rule = gov.save_rule(admin, {"body": "council", "attribute": "female", "comparison": ">=", "threshold": "1/5"})
        db.session.commit()
        ids["rule_id"] = rule.id
    assert set(ROUTES) == {r.endpoint for r in app.url_map.iter_rules()
                           if r.endpoint.startswith(("governance.", "renewals."))}
    login(client, people_a["sec"].email)
    token = csrf_token(client, "/account/password")
    checked = 0
    for rule in app.url_map.iter_rules():
        kind = ROUTES.get(rule.endpoint)
        if kind is None:
            continue
        slug = b.slug if kind == "society" else a.slug
        values = {arg: (slug if arg == "slug" else ids[arg]) for arg in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        expected = 404 if kind == "object" else 403
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.post(url, data={"csrf_token": token}) if method == "POST" else client.get(url)
            assert response.status_code == expected, f"{method} {url} -> {response.status_code}"
            checked += 1
    assert checked >= 13
    with app.test_request_context(), society_context(b.id):
        assert gov.get_renewal(b, ids["renewal_id"]).status.value == "preparing"
