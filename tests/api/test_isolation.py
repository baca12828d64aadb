"""Every API route, with society A's read-write token: B's slug and B's objects through A's address answer 404."""
import uuid

from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.api.helpers import API_ROUTES, bearer, make_token, world
from tests.decisions.helpers import record
from tests.dues.helpers import dues_fixture
from tests.governance.helpers import add, council_with_term
from society_saas.oversight.activities import record_activity


def test_token_of_a_never_reaches_b(app, client, session):
    data, ids, _admin = world()
    a, b = data["a"][0], data["b"][0]
    with society_context(b.id):
        organ, term = council_with_term(b)
        position = add(b, term, "乙")
        db.session.commit()
        entry = record(b)
        db.session.commit()
        from society_saas.api.webhooks.services import subscribe

        hook, _secret = subscribe(b, None, {"url": "https://b.example/hook", "events": ["dues.paid"]})
        db.session.commit()
        b_ids = {"webhook_id": hook.id, "delivery_id": uuid.uuid4(), **ids["b"], "organ_id": organ.id, "term_id": term.id,
                 "position_id": position.id, "decision_id": entry.decision_id,
                 "meeting_id": uuid.uuid4(), "invoice_id": dues_fixture(b)["invoice_id"],
                 "activity_id": record_activity(b, None, {"kind": "training", "title": "B", "starts_on": "2030-01-01"}).id}
        db.session.commit()
        members_of_b = db.session.scalar(select(func.count()).select_from(Member))
    secret = make_token(data["a"][1]["sec"], a, "write")
    headers = bearer(secret, **{"If-Match": '"*"'})
    # valid bodies, so that the refusal comes from the object's society and not from validation
    bodies = {"api_members.change_status": {"status": "resigned"}, "api_members.decide_application": {"action": "review"},
              "api_members.update_member": {"name": "改名"}, "api_members.reply_request": {"reply": "已处理"},
              "api_dues.record_payment": {"amount_fen": 1},
              "api_webhooks.create_webhook": {"url": "https://a.example/h", "events": ["dues.paid"]},
              "api_governance.add_position": {"role": "council_member", "holder_name": "甲", "gender": "male",
                                              "birth_date": "1975-01-01"},
              "api_decisions.change_state": {"state": "in_progress"}, "api_decisions.add_follow_up": {"note": "已落实"},
              "api_decisions.add_correction": {"corrects_seq": 1, "note": "更正"},
              "api_governance.create_term": {"number": 9, "starts_on": "2040-01-01"},
              "api_governance.resign_position": {"resigned_at": "2030-01-01"},
              "api_governance.record_attendance": {"attendance": [{"name": "甲", "status": "present"}]}}
    checked = 0
    for rule in app.url_map.iter_rules():
        if API_ROUTES.get(rule.endpoint) != "api" or "/association" in rule.rule:
            continue
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            objects = {arg: b_ids[arg] for arg in rule.arguments if arg != "slug"}
            for slug in ("b",) + (("a",) if objects else ()):
                url = rule.rule.replace("<slug>", slug)
                for arg, value in objects.items():
                    url = url.replace(f"<uuid:{arg}>", str(value))
                response = client.open(url, method=method, json=bodies.get(rule.endpoint, {}), headers=headers)
                assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
                assert set(response.get_json()) == {"code", "message", "errors"}
                checked += 1
    assert checked >= 25
    with society_context(b.id):
        assert db.session.scalar(select(func.count()).select_from(Member)) == members_of_b
