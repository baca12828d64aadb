"""Dues invoices and payments, activities, and the association's overview through the API."""
from datetime import date

from society_saas.dues.models import Invoice
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token, world
from tests.dues.helpers import YEAR, dues_fixture


def test_invoices_and_an_offline_payment(app, client, session):
    data, ids, _admin = world()
    a, b = data["a"][0], data["b"][0]
    fixture = dues_fixture(a)
    other = dues_fixture(b)
    secret = make_token(data["a"][1]["staff"], a, "write")
    h = bearer(secret)
    listing = client.get(f"/api/v1/societies/a/invoices?year={YEAR}", headers=h)
    assert listing.status_code == 200, listing.get_json()
    body = listing.get_json()
    assert body["total"] >= 2 and all(i["dues_year"] == YEAR for i in body["items"])
    with society_context(a.id):
        open_invoice = next(i for i in db.session.query(Invoice).all() if i.paid_fen < i.amount_fen)
        invoice_id, owed = open_invoice.id, open_invoice.amount_fen - open_invoice.paid_fen
    detail = client.get(f"/api/v1/societies/a/invoices/{invoice_id}", headers=h).get_json()
    assert detail["id"] == str(invoice_id) and isinstance(detail["payments"], list)
    too_much = client.post(f"/api/v1/societies/a/invoices/{invoice_id}/payments", json={"amount_fen": owed + 1},
                           headers=h)
    assert too_much.status_code == 422 and "amount" in too_much.get_json()["errors"]
    paid = client.post(f"/api/v1/societies/a/invoices/{invoice_id}/payments",
                       json={"amount_fen": owed, "method": "bank_transfer", "reference": "BANK-1"}, headers=h)
    assert paid.status_code == 201, paid.get_json()
    assert paid.get_json()["state"] == "confirmed"
    assert client.get(f"/api/v1/societies/a/invoices/{invoice_id}", headers=h).get_json()["state"] == "paid"
    assert client.get(f"/api/v1/societies/a/invoices/{other['invoice_id']}", headers=h).status_code == 404
    read_only = make_token(data["a"][1]["sec"], a, "read")
    assert client.post(f"/api/v1/societies/a/invoices/{invoice_id}/payments", json={"amount_fen": 1},
                       headers=bearer(read_only)).status_code == 403


def test_activities(app, client, session):
    data, ids, _admin = world()
    secret = make_token(data["a"][1]["sec"], data["a"][0], "write")
    h = bearer(secret)
    made = client.post("/api/v1/societies/a/activities", json={"kind": "training", "title": "青年科技论坛",
                                                               "starts_on": "2030-05-01", "in_association_name": True},
                       headers=h)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["filing_state"] == "draft"
    listed = client.get("/api/v1/societies/a/activities", headers=h).get_json()
    assert [x["title"] for x in listed["items"]] == ["青年科技论坛"] and listed["total"] == 1
    assert client.get(f"/api/v1/societies/a/activities/{made.get_json()['id']}", headers=h).status_code == 200
    other = make_token(data["b"][1]["sec"], data["b"][0], "read")
    assert client.get(f"/api/v1/societies/b/activities/{made.get_json()['id']}", headers=bearer(other)).status_code == 404
    bad = client.post("/api/v1/societies/a/activities?lang=en", json={"kind": "training", "title": "x",
                                                                      "starts_on": "2030-05-02", "ends_on": "2030-05-01"},
                      headers=h)
    assert bad.status_code == 422 and "ends_on" in bad.get_json()["errors"]


def test_association_overview(app, client, session):
    data, ids, admin = world()
    secret = make_token(admin, None, "read")
    response = client.get("/api/v1/association/overview", headers=bearer(secret))
    assert response.status_code == 200, response.get_json()
    rows = {r["slug"]: r for r in response.get_json()}
    assert set(rows) == {"a", "b"} and rows["a"]["members"]["members"] == 1
    society_token = make_token(data["a"][1]["sec"], data["a"][0], "read")
    assert client.get("/api/v1/association/overview", headers=bearer(society_token)).status_code == 404


def test_governance_writes_go_through_the_charter_checks(app, client, session):
    from tests.governance.helpers import council_with_term

    data, ids, _admin = world()
    a = data["a"][0]
    with society_context(a.id):
        organ, term = council_with_term(a)
        db.session.commit()
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    meeting = client.post("/api/v1/societies/a/meetings", json={
        "organ_id": str(organ.id), "term_id": str(term.id), "title": "第一届理事会第一次会议", "held_on": "2022-03-01",
        "members_count": 30, "present_count": 25}, headers=h)
    assert meeting.status_code == 201, meeting.get_json()
    too_many = client.post("/api/v1/societies/a/meetings", json={
        "organ_id": str(organ.id), "title": "x", "held_on": "2022-03-01", "members_count": 3, "present_count": 5},
        headers=h)
    assert too_many.status_code == 422 and "present_count" in too_many.get_json()["errors"]
    position = client.post(f"/api/v1/societies/a/terms/{term.id}/positions", json={
        "role": "council_member", "holder_name": "张三", "gender": "male", "birth_date": "1975-01-01"}, headers=h)
    assert position.status_code == 201, position.get_json()
    roster = client.get(f"/api/v1/societies/a/terms/{term.id}/positions", headers=h).get_json()
    assert [p["holder_name"] for p in roster] == ["张三"]


def test_assessment_schemes_and_results(app, client, session):
    data, ids, admin = world()
    h = bearer(make_token(admin, None, "read"))
    assert client.get("/api/v1/association/assessment-schemes", headers=h).get_json() == []
    import uuid

    assert client.get(f"/api/v1/association/assessment-schemes/{uuid.uuid4()}/results", headers=h).status_code == 404


def test_meetings_and_activities_come_a_page_at_a_time(app, client, session):
    from tests.governance.helpers import council_with_term

    data, ids, _admin = world()
    a = data["a"][0]
    with society_context(a.id):
        organ, term = council_with_term(a)
        db.session.commit()
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    for day in ("2022-03-01", "2022-03-01", "2023-03-01"):  # two on the same day: the order is still stable
        assert client.post("/api/v1/societies/a/meetings", json={
            "organ_id": str(organ.id), "title": f"会议{day}", "held_on": day, "members_count": 3,
            "present_count": 3}, headers=h).status_code == 201
    pages = [client.get(f"/api/v1/societies/a/meetings?per_page=2&page={p}", headers=h).get_json() for p in (1, 2)]
    assert [(b["total"], b["pages"], len(b["items"])) for b in pages] == [(3, 2, 2), (3, 2, 1)]
    ids_seen = [m["id"] for b in pages for m in b["items"]]
    assert len(set(ids_seen)) == 3 and pages[0]["items"][0]["held_on"] == "2023-03-01"
    again = [m["id"] for p in (1, 2) for m in
             client.get(f"/api/v1/societies/a/meetings?per_page=2&page={p}", headers=h).get_json()["items"]]
    assert again == ids_seen
    assert client.get("/api/v1/societies/a/meetings?per_page=500", headers=h).status_code == 422
    assert client.get("/api/v1/societies/a/activities?per_page=1", headers=h).get_json()["total"] == 0


def test_terms_resignations_and_attendance_through_the_api(app, client, session):
    """The rest of governance's writes: a new term (charter length, no overlap), a resignation, and a meeting's
    attendance list, which recounts the meeting; each refusal is a 422 naming the field, and changes nothing."""
    from tests.governance.helpers import council_with_term

    data, ids, _admin = world()
    a = data["a"][0]
    with society_context(a.id):
        organ, term = council_with_term(a, start=date(2022, 1, 1))
        db.session.commit()
        organ_id, term_id = organ.id, term.id
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    b_token = bearer(make_token(data["b"][1]["sec"], data["b"][0], "write"))
    read_only = bearer(make_token(data["a"][1]["sec"], a, "read"))
    base = "/api/v1/societies/a"
    too_long = client.post(f"{base}/organs/{organ_id}/terms?lang=en", json={
        "number": 2, "starts_on": "2027-01-01", "ends_on": "2033-01-01"}, headers=h)
    assert too_long.status_code == 422 and "ends_on" in too_long.get_json()["errors"]
    overlap = client.post(f"{base}/organs/{organ_id}/terms", json={"number": 2, "starts_on": "2026-06-01"}, headers=h)
    assert overlap.status_code == 422 and "starts_on" in overlap.get_json()["errors"]
    made = client.post(f"{base}/organs/{organ_id}/terms", json={"number": 2, "starts_on": "2027-01-01"}, headers=h)
    assert made.status_code == 201, made.get_json()
    assert (made.get_json()["number"], made.get_json()["ends_on"]) == (2, "2031-12-31")  # five years by default
    organs = client.get(f"{base}/organs", headers=h).get_json()
    assert [t["number"] for o in organs if o["id"] == str(organ_id) for t in o["terms"]] == [1, 2]

    holder = client.post(f"{base}/terms/{term_id}/positions", json={
        "role": "council_member", "holder_name": "张三", "gender": "male", "birth_date": "1975-01-01",
        "starts_on": "2022-01-01"}, headers=h).get_json()
    early = client.post(f"{base}/positions/{holder['id']}/resign", json={"resigned_at": "2021-12-31"}, headers=h)
    assert early.status_code == 422 and "resigned_at" in early.get_json()["errors"]
    resigned = client.post(f"{base}/positions/{holder['id']}/resign", json={"resigned_at": "2024-05-01"}, headers=h)
    assert resigned.status_code == 200 and resigned.get_json()["resigned_at"] == "2024-05-01"
    again = client.post(f"{base}/positions/{holder['id']}/resign", json={"resigned_at": "2024-06-01"}, headers=h)
    assert again.status_code == 422

    meeting = client.post(f"{base}/meetings", json={"organ_id": str(organ_id), "term_id": str(term_id),
                                                   "title": "第一届理事会第三次会议", "held_on": "2024-03-01",
                                                   "members_count": 3, "present_count": 3}, headers=h).get_json()
    url = f"{base}/meetings/{meeting['id']}/attendance"
    assert client.get(url, headers=h).get_json() == {"attendance": []}
    bad = client.put(url, json={"attendance": [{"name": "张三", "status": "late"}]}, headers=h)
    assert bad.status_code == 422 and "attendance" in bad.get_json()["errors"]
    recorded = client.put(url, json={"attendance": [
        {"name": "张三", "status": "present", "position_id": holder["id"]}, {"name": "李四", "status": "absent"},
        {"name": "王五", "status": "present"}]}, headers=h)
    assert recorded.status_code == 200, recorded.get_json()
    assert (recorded.get_json()["members_count"], recorded.get_json()["present_count"]) == (3, 2)
    listed = client.get(url, headers=h).get_json()["attendance"]
    assert [(r["name"], r["status"], r["position_id"]) for r in listed] == [
        ("张三", "present", holder["id"]), ("李四", "absent", None), ("王五", "present", None)]
    # another society's meeting is not found; a read-only token cannot write
    assert client.get(f"/api/v1/societies/b/meetings/{meeting['id']}/attendance", headers=b_token).status_code == 404
    assert client.put(url, json={"attendance": [{"name": "赵六", "status": "present"}]},
                      headers=read_only).status_code == 403
