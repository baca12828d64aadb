"""The decision log through the API: state changes, follow-ups and corrections are new entries of the chain, under
the same rules as the pages; nothing is edited, another society's decision is 404, a read token cannot append."""
from society_saas.decisions import services
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token, world
from tests.decisions.helpers import valid


def _payload(**over):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in valid(**over).items()}
    data["party_prestudy"] = True
    return data


def test_state_follow_up_and_correction_append_to_the_chain(app, client, session):
    data, ids, _admin = world()
    h = bearer(make_token(data["a"][1]["sec"], data["a"][0], "write"))
    created = client.post("/api/v1/societies/a/decisions", json=_payload(), headers=h).get_json()
    url = f"/api/v1/societies/a/decisions/{created['decision_id']}"

    moved = client.post(f"{url}/state", json={"state": "in_progress", "note": "已启动"}, headers=h)
    assert moved.status_code == 201 and moved.get_json()["state"] == "in_progress"
    # being carried out twice breaks the lifecycle rule: 422 naming it, nothing appended
    refused = client.post(f"{url}/state?lang=en", json={"state": "in_progress"}, headers=h)
    assert refused.status_code == 422 and "Lifecycle rule" in refused.get_json()["message"]
    note = client.post(f"{url}/follow-ups", json={"note": "已完成招标"}, headers=h)
    assert note.status_code == 201 and note.get_json()["entries"][-1]["note"] == "已完成招标"
    assert client.post(f"{url}/follow-ups", json={"note": ""}, headers=h).status_code == 422

    # a correction whose corrected votes break the majority is refused; a valid one becomes the current record
    broken = client.post(f"{url}/corrections?lang=en", json={"corrects_seq": 1, "note": "计票有误", "votes_for": 5},
                         headers=h)
    assert broken.status_code == 422 and "rule" in broken.get_json()["message"]
    fixed = client.post(f"{url}/corrections", json={"corrects_seq": 1, "note": "标题笔误", "title": "关于调整内设机构的决定"},
                        headers=h)
    assert fixed.status_code == 201, fixed.get_json()
    body = fixed.get_json()
    assert body["title"] == "关于调整内设机构的决定" and [e["entry_type"] for e in body["entries"]] == [
        "record", "state_change", "follow_up", "correction"]
    assert body["entries"][0]["hash"] == created["entries"][0]["hash"]  # the original entry is untouched
    a = data["a"][0]
    with society_context(a.id):
        assert services.verify_chain(a).ok
    db.session.commit()


def test_another_society_and_a_read_token_cannot_append(app, client, session):
    data, ids, _admin = world()
    write_a = bearer(make_token(data["a"][1]["sec"], data["a"][0], "write"))
    created = client.post("/api/v1/societies/a/decisions", json=_payload(), headers=write_a).get_json()
    write_b = bearer(make_token(data["b"][1]["sec"], data["b"][0], "write"))
    assert client.post(f"/api/v1/societies/b/decisions/{created['decision_id']}/follow-ups", json={"note": "x"},
                       headers=write_b).status_code == 404
    read_a = bearer(make_token(data["a"][1]["sec"], data["a"][0], "read"))
    assert client.post(f"/api/v1/societies/a/decisions/{created['decision_id']}/follow-ups", json={"note": "x"},
                       headers=read_a).status_code == 403
    read = client.get(f"/api/v1/societies/a/decisions/{created['decision_id']}", headers=read_a).get_json()
    assert len(read["entries"]) == 1
