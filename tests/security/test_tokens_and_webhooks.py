"""API tokens and the payment webhook, beyond what their areas prove.

Proven in the areas and not repeated: tests/api/test_tokens.py (no token, session cookie refused,
read-only token writing, token beyond its owner's role, A's token on B, expired and revoked tokens,
deactivated owner, suspended society, per-token rate limit), tests/api/test_isolation.py (A's token on
every route of B), tests/platform/test_route_walk_roles.py (each role's token against B),
tests/payments/test_stripe.py (forged signature, stale timestamp, tampered body, another society's
secret, replayed event).
"""
import json

from sqlalchemy import func, select

from society_saas.api import tokens
from society_saas.api.models import ApiToken
from society_saas.dues.models import StripeEvent
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token
from tests.factories import two_societies
from tests.payments.stripe_standin import sign


def test_a_token_counts_only_in_the_authorization_header(app, client, session):
    data = two_societies()
    a, people = data["a"]
    secret = make_token(people["sec"], a)
    url = "/api/v1/societies/a/members"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    for attempt in ({"query_string": {"access_token": secret}}, {"query_string": {"token": secret}},
                    {"headers": {"Authorization": secret}}, {"headers": {"Authorization": f"Basic {secret}"}},
                    {"headers": {"X-Api-Key": secret}}, {"headers": bearer(secret[:-1])},
                    {"headers": bearer(secret + "x" * 300)}, {"headers": bearer("ssk_" + "A" * 43)}):
        response = client.get(url, **attempt)
        assert response.status_code == 401 and response.is_json, attempt


def test_only_a_hash_of_the_secret_is_stored(app, client, session):
    data = two_societies()
    a, people = data["a"]
    secret = make_token(people["sec"], a)
    row = db.session.scalar(select(ApiToken))
    stored = " ".join(str(getattr(row, c.key)) for c in ApiToken.__table__.columns)
    assert secret not in stored and secret[10:] not in stored
    assert row.token_hash == tokens.hash_secret(secret)


def test_a_read_token_cannot_write_with_any_method(app, client, session):
    data = two_societies()
    a, people = data["a"]
    secret = make_token(people["sec"], a, "read")
    for method, url in (("POST", "/api/v1/societies/a/members"), ("PUT", "/api/v1/societies/a/members"),
                        ("DELETE", "/api/v1/societies/a/webhooks/00000000-0000-7000-8000-000000000000"),
                        ("POST", "/api/v1/societies/a/webhooks")):
        response = client.open(url, method=method, json={}, headers=bearer(secret))
        assert response.status_code in (403, 405), (method, url, response.status_code)
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).get_json()["total"] == 0
    assert client.get("/api/v1/societies/a/webhooks", headers=bearer(secret)).get_json() == []


def test_webhook_of_a_society_without_stripe_keys_is_refused(app, client, session):
    """No signing secret configured: nothing can be verified, so nothing is accepted."""
    data = two_societies()
    a = data["a"][0]
    payload = json.dumps({"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {}}})
    for secret in ("", "whsec_guess"):
        response = client.post("/s/a/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload, secret)})
        assert response.status_code == 400
    assert client.post("/s/nope/stripe/webhook", data=payload).status_code == 404
    with society_context(a.id):
        assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 0
