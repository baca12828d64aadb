"""Tokens: scope, expiry, revocation, cross-society refusal, session cookies, CLI, the token page."""
from click.testing import CliRunner
from sqlalchemy import select

from society_saas.api.models import ApiToken
from society_saas.extensions import db
from tests.api.helpers import bearer, expire, make_token, world
from tests.conftest import csrf_token, login, post_form


def test_no_token_is_401_json(app, client, session):
    world()
    response = client.get("/api/v1/societies/a/members")
    assert response.status_code == 401
    assert response.is_json and set(response.get_json()) == {"code", "message", "errors"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/societies/a/members", headers=bearer("ssk_nonsense")).status_code == 401


def test_session_cookie_does_not_authenticate(app, client, session):
    world()
    login(client, "sec@a.test")
    assert client.get("/s/a/admin/").status_code == 200
    assert client.get("/api/v1/societies/a/members").status_code == 401


def test_read_token_reads_and_cannot_write(app, client, session):
    data, ids, _admin = world()
    secret = make_token(data["a"][1]["sec"], data["a"][0], "read")
    response = client.get("/api/v1/societies/a/members", headers=bearer(secret))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] == 1
    response = client.post("/api/v1/societies/a/members", json={"class_code": "member", "name": "张三",
                                                                "mobile": "13800000000"}, headers=bearer(secret))
    assert response.status_code == 403
    assert set(response.get_json()) == {"code", "message", "errors"}


def test_write_token_creates(app, client, session):
    data, ids, _admin = world()
    secret = make_token(data["a"][1]["staff"], data["a"][0], "write")
    response = client.post("/api/v1/societies/a/members", json={"class_code": "member", "name": "张三",
                                                                "mobile": "13800000000"}, headers=bearer(secret))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "张三" and body["member_number"]
    assert client.get(f"/api/v1/societies/a/members/{body['id']}", headers=bearer(secret)).status_code == 200


def test_token_never_exceeds_its_owner(app, client, session):
    data, ids, _admin = world()
    # a plain member holds a role, so may make a token, but may not read the ledger
    secret = make_token(data["a"][1]["member"], data["a"][0], "write")
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 403
    assert client.get("/api/v1/societies/a/decisions", headers=bearer(secret)).status_code == 403


def test_role_removed_after_token_made(app, client, session):
    from society_saas.accounts.models import SocietyRole
    from society_saas.tenancy.context import society_context

    data, ids, _admin = world()
    society, people = data["a"]
    secret = make_token(people["staff"], society, "read")
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 200
    with society_context(society.id):
        for role in db.session.scalars(select(SocietyRole).where(SocietyRole.user_id == people["staff"].id)):
            db.session.delete(role)
        db.session.commit()
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 403


def test_cross_society_is_404(app, client, session):
    data, ids, _admin = world()
    secret = make_token(data["a"][1]["sec"], data["a"][0], "write")
    # b's slug, and b's objects through a's address, look like nothing at all
    assert client.get("/api/v1/societies/b/members", headers=bearer(secret)).status_code == 404
    assert client.get("/api/v1/societies/zzz/members", headers=bearer(secret)).status_code == 404
    for url in (f"/api/v1/societies/a/members/{ids['b']['member_id']}",
                f"/api/v1/societies/a/applications/{ids['b']['application_id']}",
                f"/api/v1/societies/a/member-requests/{ids['b']['request_id']}"):
        assert client.get(url, headers=bearer(secret)).status_code == 404, url
    response = client.patch(f"/api/v1/societies/a/members/{ids['b']['member_id']}", json={"name": "x"},
                            headers=bearer(secret, **{"If-Match": '"x"'}))
    assert response.status_code == 404
    # a society token is not an association token
    assert client.get("/api/v1/association/societies", headers=bearer(secret)).status_code == 404


def test_expired_and_revoked_tokens_are_refused(app, client, session):
    data, ids, _admin = world()
    user, society = data["a"][1]["sec"], data["a"][0]
    old = make_token(user, society)
    expire(old)
    assert client.get("/api/v1/societies/a/members", headers=bearer(old)).status_code == 401
    live = make_token(user, society)
    assert client.get("/api/v1/societies/a/members", headers=bearer(live)).status_code == 200
    login(client, user.email)
    row = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())).first()
    response = post_form(client, f"/account/tokens/{row.id}/revoke", {}, page="/account/tokens")
    assert response.status_code == 302
    assert client.get("/api/v1/societies/a/members", headers=bearer(live)).status_code == 401


def test_token_page_shows_the_secret_once(app, client, session):
    data, ids, _admin = world()
    login(client, "sec@a.test")
    page = client.get("/account/tokens")
    assert page.status_code == 200
    response = post_form(client, "/account/tokens", {"name": "website", "target": "a", "scope": "read", "days": 30})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "ssk_" in html
    secret = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert client.get("/api/v1/societies/a/member-classes", headers=bearer(secret)).status_code == 200
    later = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in later and 'id="new-token"' not in later
    stored = db.session.scalar(select(ApiToken).where(ApiToken.name == "website"))
    assert stored.token_hash != secret and secret not in stored.token_hash
    # b is not offered and cannot be forced
    response = post_form(client, "/account/tokens", {"name": "x", "target": "b", "scope": "read", "days": 30})
    assert 'id="new-token"' not in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken).where(ApiToken.name == "x")) is None


def test_someone_elses_token_cannot_be_revoked(app, client, session):
    data, ids, _admin = world()
    make_token(data["b"][1]["sec"], data["b"][0])
    row = db.session.scalar(select(ApiToken))
    login(client, "sec@a.test")
    token = csrf_token(client, "/account/tokens")
    assert client.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).revoked_at is None


def test_association_token(app, client, session):
    data, ids, admin = world()
    secret = make_token(admin, None, "read")
    response = client.get("/api/v1/association/societies", headers=bearer(secret))
    assert response.status_code == 200 and response.get_json()["total"] == 2
    assert client.get("/api/v1/association/societies/b", headers=bearer(secret)).get_json()["slug"] == "b"
    assert client.get("/api/v1/association/societies/nope", headers=bearer(secret)).status_code == 404
    # the association token does not open a society's resources
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 404


def test_cli_prints_a_working_token(app, client, session, monkeypatch):
    world()
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    if app.config.get("DATABASE_OWNER_URL"):
        monkeypatch.setenv("DATABASE_OWNER_URL", app.config["DATABASE_OWNER_URL"])
    from society_saas.cli import main

    result = CliRunner().invoke(main, ["tokens", "create", "--user", "staff@a.test", "--society", "a", "--scope", "write"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 200
    result = CliRunner().invoke(main, ["tokens", "create", "--user", "staff@a.test", "--society", "b"])
    assert result.exit_code == 1


def test_rate_limit_per_token(app, client, session):
    data, ids, _admin = world()
    app.config["API_RATE_LIMIT"] = "3 per minute"
    first = make_token(data["a"][1]["sec"], data["a"][0])
    second = make_token(data["a"][1]["staff"], data["a"][0])
    codes = [client.get("/api/v1/societies/a/member-classes", headers=bearer(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/societies/a/member-classes", headers=bearer(first))
    assert set(limited.get_json()) == {"code", "message", "errors"}
    assert client.get("/api/v1/societies/a/member-classes", headers=bearer(second)).status_code == 200


def test_api_writes_are_audited_as_the_tokens_owner(app, client, session):
    from society_saas.core.audit import AuditEvent, PlatformAuditEvent
    from society_saas.tenancy.context import society_context

    data, ids, _admin = world()
    a = data["a"][0]
    secret = make_token(data["a"][1]["staff"], a, "write")
    created = client.post("/api/v1/societies/a/members", json={"class_code": "member", "name": "审计",
                                                               "mobile": "13800000001"}, headers=bearer(secret))
    assert created.status_code == 201
    with society_context(a.id):
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == created.get_json()["id"])).all()
    assert rows and all("staff@a.test" in r.actor_label and "API" in r.actor_label for r in rows)
    # the token's last-use bookkeeping is not an audited change
    assert not db.session.scalars(select(PlatformAuditEvent).where(PlatformAuditEvent.object_type == "ApiToken",
                                                                   PlatformAuditEvent.action == "update")).all()


def test_deactivated_owner_and_suspended_society(app, client, session):
    from society_saas.tenancy import services as tenancy

    data, ids, _admin = world()
    a, people = data["a"]
    secret = make_token(people["sec"], a, "write")
    with app.test_request_context("/"):
        tenancy.suspend_society(None, a, "整改")
        db.session.commit()
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 200
    refused = client.post("/api/v1/societies/a/members", json={"class_code": "member", "name": "停", "mobile": "13800000002"},
                          headers=bearer(secret))
    assert refused.status_code == 403
    from society_saas.accounts.models import User

    db.session.get(User, people["sec"].id).active = False
    db.session.commit()
    assert client.get("/api/v1/societies/a/members", headers=bearer(secret)).status_code == 401


def test_a_zero_day_token_is_refused_as_out_of_range_not_as_missing(app, client, session):
    world()
    login(client, "sec@a.test")
    response = post_form(client, "/account/tokens", {"name": "zero", "target": "a", "scope": "read", "days": 0})
    html = response.get_data(as_text=True)
    assert 'id="new-token"' not in html and "必填" not in html
    assert "介于 1 到 366 之间" in html.split('id="days"', 1)[1][:800]  # the range, beside the field
    assert db.session.scalar(select(ApiToken).where(ApiToken.name == "zero")) is None
