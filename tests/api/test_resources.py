"""Resources: ETag/If-Match, pagination, error bodies and their language, decisions through the rules."""
from tests.api.helpers import bearer, make_token, world
from tests.decisions.helpers import valid


def _setup(scope="write"):
    data, ids, admin = world()
    return data, ids, make_token(data["a"][1]["sec"], data["a"][0], scope)


def test_etag_if_match(app, client, session):
    data, ids, secret = _setup()
    url = f"/api/v1/societies/a/members/{ids['a']['member_id']}"
    read = client.get(url, headers=bearer(secret))
    etag = read.headers["ETag"]
    assert etag
    # no If-Match: 428; a stale one: 412; the one read: 200 with a new ETag
    missing = client.patch(url, json={"work_unit": "甲大学"}, headers=bearer(secret))
    assert missing.status_code == 428 and set(missing.get_json()) == {"code", "message", "errors"}
    stale = client.patch(url, json={"work_unit": "乙大学"}, headers=bearer(secret, **{"If-Match": '"0000"'}))
    assert stale.status_code == 412
    ok = client.patch(url, json={"work_unit": "甲大学"}, headers=bearer(secret, **{"If-Match": etag}))
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["work_unit"] == "甲大学" and ok.headers["ETag"] != etag
    # a second client still holding the first ETag loses nothing: refused
    lost = client.patch(url, json={"work_unit": "乙大学"}, headers=bearer(secret, **{"If-Match": etag}))
    assert lost.status_code == 412
    assert client.get(url, headers=bearer(secret)).get_json()["work_unit"] == "甲大学"
    # If-None-Match with the current ETag: 304
    current = ok.headers["ETag"]
    assert client.get(url, headers=bearer(secret, **{"If-None-Match": current})).status_code == 304


def test_update_refusal_is_422_with_field(app, client, session):
    data, ids, secret = _setup()
    url = f"/api/v1/societies/a/members/{ids['a']['member_id']}"
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    response = client.patch(url, json={"mobile": "12"}, headers=bearer(secret, **{"If-Match": etag}))
    assert response.status_code == 422
    body = response.get_json()
    assert "mobile" in body["errors"]


def test_pagination_is_stable_with_total(app, client, session):
    data, ids, secret = _setup()
    for i in range(7):
        response = client.post("/api/v1/societies/a/members", json={"class_code": "member", "name": f"会员{i}",
                                                                    "mobile": f"1380000000{i}"}, headers=bearer(secret))
        assert response.status_code == 201, response.get_json()
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"/api/v1/societies/a/members?per_page=3&page={page}", headers=bearer(secret)).get_json()
        assert body["total"] == 8 and body["pages"] == 3 and body["page"] == page
        seen.extend(m["id"] for m in body["items"])
    assert len(seen) == 8 == len(set(seen))
    again = [m["id"] for p in (1, 2, 3) for m in
             client.get(f"/api/v1/societies/a/members?per_page=3&page={p}", headers=bearer(secret)).get_json()["items"]]
    assert again == seen
    by_name = client.get("/api/v1/societies/a/members?sort=name&q=会员&per_page=50", headers=bearer(secret)).get_json()
    assert by_name["total"] == 7
    assert client.get("/api/v1/societies/a/members?status=expelled", headers=bearer(secret)).get_json()["total"] == 0


def test_error_body_shape_and_language(app, client, session):
    data, ids, secret = _setup()
    h = bearer(secret)
    cases = [
        client.get("/api/v1/societies/a/nothing-here", headers=h),                   # 404 from routing
        client.delete("/api/v1/societies/a/members", headers=h),                     # 405
        client.get("/api/v1/societies/a/members?per_page=0", headers=h),             # 422 query
        client.post("/api/v1/societies/a/members", json={"name": 5}, headers=h),     # 422 body
        client.post("/api/v1/societies/a/members", data="not json", headers=h, content_type="application/json"),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.status_code
        assert response.is_json and set(response.get_json()) == {"code", "message", "errors"}
        assert response.get_json()["code"] == response.status_code
    zh = client.post("/api/v1/societies/a/members", json={}, headers=h).get_json()
    en = client.post("/api/v1/societies/a/members", json={}, headers=bearer(secret, **{"Accept-Language": "en"})).get_json()
    en_q = client.post("/api/v1/societies/a/members?lang=en", json={}, headers=h).get_json()
    assert en["message"] == en_q["message"] == "The data is not valid."
    assert zh["message"] != en["message"] and any("\u4e00" <= ch <= "\u9fff" for ch in zh["message"])
    assert en["errors"]["class_code"] == ["This field is required."]
    assert zh["errors"]["class_code"] != en["errors"]["class_code"]
    # a service refusal is translated too
    en_refusal = client.post("/api/v1/societies/a/members?lang=en", json={"class_code": "nope", "name": "x"},
                             headers=h).get_json()
    zh_refusal = client.post("/api/v1/societies/a/members", json={"class_code": "nope", "name": "x"}, headers=h).get_json()
    assert en_refusal["code"] == zh_refusal["code"] == 422 and en_refusal["message"] != zh_refusal["message"]
    unauth = client.get("/api/v1/societies/a/members", headers={"Accept-Language": "en"}).get_json()
    assert unauth["message"].startswith("A valid API token")


def test_validator_messages_are_in_chinese_with_their_limits(app, client, session):
    data, ids, secret = _setup()
    h = bearer(secret)

    def errors(response, code=422):
        assert response.status_code == code, response.get_json()
        return response.get_json()["errors"]

    def chinese(messages):
        return all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages)

    paged = errors(client.get("/api/v1/societies/a/members?per_page=0", headers=h))["per_page"]
    assert chinese(paged) and "1" in paged[0] and "200" in paged[0]
    sorted_ = errors(client.get("/api/v1/societies/a/members?status=nope", headers=h))["status"]
    assert chinese(sorted_) and "active" in sorted_[0]  # the choices stay as the API spells them
    broken = errors(client.post("/api/v1/societies/a/members", data="{not json", headers=h,
                                content_type="application/json"), code=400)
    assert chinese(broken["json"])
    en = errors(client.get("/api/v1/societies/a/members?per_page=0&lang=en", headers=h))["per_page"]
    assert en == ["Must be between 1 and 200."]


def test_decisions_read_and_append_through_the_rules(app, client, session):
    data, ids, secret = _setup()
    h = bearer(secret)
    payload = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in valid().items()}
    payload["party_prestudy"] = True
    created = client.post("/api/v1/societies/a/decisions", json=payload, headers=h)
    assert created.status_code == 201, created.get_json()
    decision = created.get_json()
    assert decision["state"] == "adopted" and decision["entries"][0]["hash"]
    listing = client.get("/api/v1/societies/a/decisions", headers=h).get_json()
    assert listing["total"] == 1 and listing["items"][0]["decision_id"] == decision["decision_id"]
    assert client.get(f"/api/v1/societies/a/decisions/{decision['decision_id']}", headers=h).status_code == 200
    # quorum broken: refused by the same rule as the page, nothing appended
    refused = client.post("/api/v1/societies/a/decisions?lang=en", json={**payload, "present": 5}, headers=h)
    assert refused.status_code == 422 and "Quorum rule" in refused.get_json()["message"]
    assert client.get("/api/v1/societies/a/decisions", headers=h).get_json()["total"] == 1
    # b's decision register is not reachable with a's token
    assert client.get("/api/v1/societies/b/decisions", headers=h).status_code == 404


def test_applications_and_governance_read(app, client, session):
    data, ids, secret = _setup()
    h = bearer(secret)
    apps = client.get("/api/v1/societies/a/applications?status=open", headers=h).get_json()
    assert apps["total"] == 1
    approved = client.post(f"/api/v1/societies/a/applications/{ids['a']['application_id']}/decision",
                           json={"action": "approve"}, headers=h)
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved"
    assert client.get("/api/v1/societies/a/members", headers=h).get_json()["total"] == 2
    assert client.get("/api/v1/societies/a/organs", headers=h).status_code == 200
    assert client.get("/api/v1/societies/a/meetings", headers=h).status_code == 200
    assert client.get("/api/v1/societies/a/member-requests", headers=h).get_json()["total"] == 1


def test_application_from_a_website_and_request_reply(app, client, session):
    from tests.members.helpers import VALID_IDS, person

    data, ids, secret = _setup()
    h = bearer(secret)
    applicant = {k: v for k, v in person(id_number=VALID_IDS[1], mobile="13900000009").items()}
    applicant["birth_date"] = "1990-03-07"
    made = client.post("/api/v1/societies/a/applications", json=applicant, headers=h)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["status"] == "submitted" and made.get_json()["data"]["birth_date"] == "1990-03-07"
    fellow = client.post("/api/v1/societies/a/applications?lang=en", json={**applicant, "class_code": "fellow"}, headers=h)
    assert fellow.status_code == 422 and "class_code" in fellow.get_json()["errors"]
    url = f"/api/v1/societies/a/member-requests/{ids['a']['request_id']}"
    answered = client.post(f"{url}/reply", json={"reply": "发票已开具。"}, headers=h)
    assert answered.status_code == 200 and answered.get_json()["status"] == "answered"
    assert client.post(f"{url}/close", headers=h).get_json()["status"] == "closed"
    again = client.post(f"{url}/reply", json={"reply": "再答"}, headers=h)
    assert again.status_code == 422


def test_a_member_token_sees_only_its_own_record(app, client, session):
    from sqlalchemy import select

    from society_saas.extensions import db
    from society_saas.members.models import Member
    from society_saas.tenancy.context import society_context

    data, ids, _admin = world()
    a, people = data["a"]
    with society_context(a.id):
        member = db.session.scalar(select(Member).where(Member.id == ids["a"]["member_id"]))
        member.user_id = people["member"].id
        db.session.commit()
    h = bearer(make_token(people["member"], a, "write"))
    me = client.get("/api/v1/societies/a/me", headers=h)
    assert me.status_code == 200 and me.get_json()["id"] == str(ids["a"]["member_id"])
    filed = client.post("/api/v1/societies/a/me/requests", json={"subject": "证书", "body": "请补发会员证书。"}, headers=h)
    assert filed.status_code == 201, filed.get_json()
    assert [r["subject"] for r in client.get("/api/v1/societies/a/me/requests", headers=h).get_json()][-1] == "证书"
    # the ledger stays closed to a member
    assert client.get("/api/v1/societies/a/members", headers=h).status_code == 403
    # a secretary who is not a member has no record here
    sec = bearer(make_token(people["sec"], a, "read"))
    assert client.get("/api/v1/societies/a/me", headers=sec).status_code == 404


def test_party_membership_is_read_and_set_only_by_the_secretary_general(app, client, session):
    data, ids, _admin = world()
    a, people = data["a"]
    url = f"/api/v1/societies/a/members/{ids['a']['member_id']}"
    sec, staff = bearer(make_token(people["sec"], a, "write")), bearer(make_token(people["staff"], a, "write"))
    etag = client.get(url, headers=sec).headers["ETag"]
    assert client.patch(url, json={"party_member": True}, headers={**sec, "If-Match": etag}).status_code == 200
    assert client.get(url, headers=sec).get_json()["party_member"] is True
    # staff see the record but not the flag, in the record and in the list
    assert client.get(url, headers=staff).get_json()["party_member"] is None
    listed = client.get("/api/v1/societies/a/members", headers=staff).get_json()["items"]
    assert listed and all(m["party_member"] is None for m in listed)
    etag = client.get(url, headers=staff).headers["ETag"]
    refused = client.patch(url, json={"party_member": False}, headers={**staff, "If-Match": etag})
    assert refused.status_code == 403 and refused.get_json()["message"]
    assert client.get(url, headers=sec).get_json()["party_member"] is True


def test_senior_membership_is_not_joined_nor_approved_without_eligibility(app, client, session):
    from sqlalchemy import func, select

    from society_saas.extensions import db
    from society_saas.members.models import ApplicationStatus, Member, MemberApplication
    from society_saas.tenancy.context import society_context
    from tests.members.helpers import VALID_IDS, old_senior_application, person

    data, ids, secret = _setup()
    a_id = data["a"][0].id
    h = bearer(secret)
    # an application filed before joining checked eligibility: approval must refuse it too
    old_id = old_senior_application(data["a"][0], id_number=VALID_IDS[2], mobile="13900000010")

    def counts():
        with society_context(a_id):
            return (db.session.scalar(select(func.count()).select_from(MemberApplication)),
                    db.session.scalar(select(func.count()).select_from(Member)))

    before = counts()
    applicant = person(id_number=VALID_IDS[1], mobile="13900000009", class_code="senior",
                       professional_title="助理工程师")
    refused = client.post("/api/v1/societies/a/applications", json=applicant, headers=h)
    assert refused.status_code == 422
    body = refused.get_json()
    assert set(body) == {"code", "message", "errors"} and "class_code" in body["errors"]
    assert body["message"].startswith("会员类别“高级会员”要求入会满 5 年")
    assert counts() == before
    url = f"/api/v1/societies/a/applications/{old_id}"
    approve = client.post(f"{url}/decision", json={"action": "approve"}, headers=h)
    assert approve.status_code == 422 and "class_code" in approve.get_json()["errors"]
    assert client.get(url, headers=h).get_json()["status"] == ApplicationStatus.submitted.value
    assert counts() == before
