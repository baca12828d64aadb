"""Outgoing webhooks: events become deliveries in the same transaction, are HMAC-signed, retried with backoff."""
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from society_saas.api.webhooks import services as hooks
from society_saas.api.webhooks.models import DeliveryState, WebhookDelivery
from society_saas.core.db import utcnow
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token, world
from tests.decisions.helpers import valid


@pytest.fixture(autouse=True)
def _local_receivers_allowed(app, monkeypatch):
    """The receivers here listen on 127.0.0.1, which production refuses (tests/security/test_ssrf.py)."""
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "1")  # for the CLI, which builds its own app


@pytest.fixture
def receiver():
    """A local HTTP endpoint that records what it receives; answers with `status`."""
    got, state = [], {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            self.send_response(state["status"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/hook", "got": got, "state": state}
    server.shutdown()


def _decision_json():
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in valid(party_prestudy=True).items()}


def _deliveries(society):
    with society_context(society.id):
        rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))
    db.session.commit()
    return rows


def test_decision_recorded_is_signed_and_delivered(app, client, session, receiver):
    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    made = client.post("/api/v1/societies/a/webhooks", json={"url": receiver["url"], "events": ["decision.recorded"]},
                       headers=h)
    assert made.status_code == 201, made.get_json()
    secret = made.get_json()["secret"]
    assert secret.startswith("whsec_")
    assert "secret" not in client.get("/api/v1/societies/a/webhooks", headers=h).get_json()[0]
    assert client.post("/api/v1/societies/a/decisions", json=_decision_json(), headers=h).status_code == 201
    [delivery] = _deliveries(a)
    assert delivery.state == DeliveryState.pending and delivery.event == "decision.recorded"
    with app.test_request_context("/"):
        assert hooks.deliver_due() == 1
    [(headers, body)] = receiver["got"]
    timestamp, mac = headers["X-Society-Signature"].split(",")
    expected = hmac.new(secret.encode(), timestamp[2:].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert mac == f"v1={expected}"
    payload = json.loads(body)
    assert payload["event"] == "decision.recorded" and payload["society"] == "a" and payload["data"]["hash"]
    [delivery] = _deliveries(a)
    assert delivery.state == DeliveryState.delivered and delivery.attempts == 1
    log = client.get(f"/api/v1/societies/a/webhooks/{made.get_json()['id']}/deliveries", headers=h).get_json()
    assert log["total"] == 1 and log["items"][0]["state"] == "delivered"
    with app.test_request_context("/"):
        assert hooks.deliver_due() == 0  # delivered once, never again


def test_failures_back_off_then_give_up(app, client, session, receiver):
    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    client.post("/api/v1/societies/a/webhooks", json={"url": receiver["url"], "events": ["decision.recorded"]}, headers=h)
    client.post("/api/v1/societies/a/decisions", json=_decision_json(), headers=h)
    receiver["state"]["status"] = 500
    now = utcnow()
    with app.test_request_context("/"):
        assert hooks.deliver_due(now=now) == 1
        assert hooks.deliver_due(now=now) == 0  # not due again yet
    [delivery] = _deliveries(a)
    assert delivery.attempts == 1 and delivery.last_status == 500 and delivery.state == DeliveryState.pending
    assert delivery.next_attempt_at - now >= timedelta(seconds=hooks.BACKOFF[0])
    later = now
    for _ in range(hooks.MAX_ATTEMPTS - 1):
        later += timedelta(days=1)
        with app.test_request_context("/"):
            hooks.deliver_due(now=later)
    [delivery] = _deliveries(a)
    assert delivery.attempts == hooks.MAX_ATTEMPTS and delivery.state == DeliveryState.failed
    assert len(receiver["got"]) == hooks.MAX_ATTEMPTS
    # the endpoint is fixed: the secretary sends the failed delivery again
    receiver["state"]["status"] = 204
    hook_id = client.get("/api/v1/societies/a/webhooks", headers=h).get_json()[0]["id"]
    again = client.post(f"/api/v1/societies/a/webhooks/{hook_id}/deliveries/{delivery.id}/redeliver", headers=h)
    assert again.status_code == 200 and again.get_json()["state"] == "pending"
    with app.test_request_context("/"):
        assert hooks.deliver_due() == 1
    [delivery] = _deliveries(a)
    assert delivery.state == DeliveryState.delivered


def test_unreachable_endpoint_is_a_failed_attempt(app, client, session):
    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    client.post("/api/v1/societies/a/webhooks", json={"url": "http://127.0.0.1:9/nothing", "events": ["decision.recorded"]},
                headers=h)
    client.post("/api/v1/societies/a/decisions", json=_decision_json(), headers=h)
    with app.test_request_context("/"):
        assert hooks.deliver_due() == 1
    [delivery] = _deliveries(a)
    assert delivery.last_status is None and delivery.last_error and delivery.state == DeliveryState.pending


def test_member_approved_and_dues_paid_and_isolation(app, client, session, receiver):
    from tests.dues.helpers import dues_fixture

    data, ids, _admin = world()
    a, b = data["a"][0], data["b"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    hb = bearer(make_token(data["b"][1]["sec"], b, "write"))
    client.post("/api/v1/societies/a/webhooks", json={"url": receiver["url"],
                                                      "events": ["member.approved", "dues.paid"]}, headers=h)
    b_hook = client.post("/api/v1/societies/b/webhooks", json={"url": receiver["url"], "events": ["member.approved"]},
                         headers=hb).get_json()
    assert client.post(f"/api/v1/societies/a/applications/{ids['a']['application_id']}/decision",
                       json={"action": "approve"}, headers=h).status_code == 200
    fixture = dues_fixture(a)
    detail = client.get(f"/api/v1/societies/a/invoices/{fixture['invoice_id']}", headers=h).get_json()
    owed = detail["amount_fen"] - detail["paid_fen"]
    if owed:
        assert client.post(f"/api/v1/societies/a/invoices/{fixture['invoice_id']}/payments",
                           json={"amount_fen": owed}, headers=h).status_code == 201
    events = sorted(d.event for d in _deliveries(a))
    assert "member.approved" in events and "dues.paid" in events
    assert _deliveries(b) == []  # a's events never reach b's subscriptions
    assert client.get(f"/api/v1/societies/a/webhooks/{b_hook['id']}", headers=h).status_code == 404
    assert client.delete(f"/api/v1/societies/a/webhooks/{b_hook['id']}", headers=h).status_code == 404


def test_a_refused_change_sends_nothing(app, client, session, receiver):
    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    client.post("/api/v1/societies/a/webhooks", json={"url": receiver["url"], "events": ["decision.recorded"]}, headers=h)
    refused = client.post("/api/v1/societies/a/decisions", json={**_decision_json(), "present": 3}, headers=h)
    assert refused.status_code == 422
    assert _deliveries(a) == []


def test_subscription_is_validated_and_secretary_only(app, client, session):
    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    assert client.post("/api/v1/societies/a/webhooks", json={"url": "ftp://x", "events": ["dues.paid"]},
                       headers=h).status_code == 422
    assert client.post("/api/v1/societies/a/webhooks", json={"url": "https://x.example/h", "events": ["nope"]},
                       headers=h).status_code == 422
    staff = bearer(make_token(data["a"][1]["staff"], a, "write"))
    assert client.get("/api/v1/societies/a/webhooks", headers=staff).status_code == 403


class _Stop(Exception):
    """Ends the sender's endless loop in the test."""


def test_the_deliver_command_sends_once_and_survives_a_failed_round(app, client, session, receiver, monkeypatch):
    from click.testing import CliRunner

    from society_saas.cli import main

    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    client.post("/api/v1/societies/a/webhooks", json={"url": receiver["url"], "events": ["decision.recorded"]}, headers=h)
    assert client.post("/api/v1/societies/a/decisions", json=_decision_json(), headers=h).status_code == 201
    db.session.commit()
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])  # the key the signing secrets are encrypted with
    runner = CliRunner()
    first = runner.invoke(main, ["webhooks", "deliver", "--once"])
    assert first.exit_code == 0, first.output
    assert "sent 1 delivery(ies)" in first.output and len(receiver["got"]) == 1
    again = runner.invoke(main, ["webhooks", "deliver", "--once"])
    assert again.exit_code == 0 and again.output == "" and len(receiver["got"]) == 1  # never twice

    # the long-running sender logs a failed round (database gone for a moment) and carries on
    assert client.post("/api/v1/societies/a/decisions", json=_decision_json(), headers=h).status_code == 201
    db.session.commit()
    real, rounds = hooks.deliver_due, {"n": 0}

    def flaky(*args, **kw):
        rounds["n"] += 1
        if rounds["n"] == 1:
            raise OSError("connection to the database lost")
        return real(*args, **kw)

    def sleep(_seconds):
        if rounds["n"] >= 2:
            raise _Stop()

    monkeypatch.setattr(hooks, "deliver_due", flaky)
    monkeypatch.setattr("time.sleep", sleep)
    looped = runner.invoke(main, ["webhooks", "deliver", "--interval", "0"])
    assert isinstance(looped.exception, _Stop)
    assert "delivery round failed; retrying" in looped.output and "sent 1 delivery(ies)" in looped.output
    assert len(receiver["got"]) == 2
