"""Attacks on sessions and logins: CSRF on every form, session fixation, brute force, open redirects, foreign Host.

Already proven elsewhere (not repeated here): tests/platform/test_accounts.py (CSRF on login and logout,
session cookie replaced at login, login rate limit, lockout, `next=` after login, security headers).
"""
from flask import url_for
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from society_saas.tenancy.rls import tenant_tables
from tests.conftest import csrf_token, login, post_form
from tests.factories import PASSWORD, make_user, two_societies
from tests.platform.test_route_walk import OBJECT_IDS, ROUTES

# signed by their sender instead of a browser session (tests/payments/test_stripe.py, tests/api/test_tokens.py)
CSRF_EXEMPT = {"stripe_webhook.webhook"}


def _counts(society_id) -> dict:
    db.session.expire_all()
    with society_context(society_id):
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tenant_tables()}


def test_every_form_post_without_the_csrf_token_is_refused(app, client, session):
    """A's secretary-general, on A's own pages and objects (so only the token is missing): 400, nothing changes."""
    data = two_societies()
    a, people = data["a"]
    posts = []
    cache: dict = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "POST" not in (rule.methods or ()) or ROUTES[rule.endpoint] == "api" or rule.endpoint in CSRF_EXEMPT:
            continue
        values = {}
        for arg in rule.arguments:
            if arg not in cache:
                cache[arg] = {"slug": a.slug, "token": "x"}.get(arg) or OBJECT_IDS[arg](a)
            values[arg] = cache[arg]
        with app.test_request_context():
            posts.append((rule.endpoint, url_for(rule.endpoint, **values)))
    a_id = a.id
    login(client, people["sec"].email)
    before = _counts(a_id)
    wrong = []
    for endpoint, url in posts:
        for data_ in ({}, {"csrf_token": "forged"}):
            response = client.post(url, data=data_)
            if response.status_code != 400:
                wrong.append(f"POST {url} ({endpoint}) {data_} -> {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert len(posts) > 60
    assert _counts(a_id) == before


def test_a_token_from_another_session_is_refused(app, session):
    """The CSRF token is bound to its session: the attacker's own valid token does not work in the victim's."""
    make_user("li@example.cn")
    attacker, victim = app.test_client(), app.test_client()
    login(attacker, "li@example.cn")
    attackers_token = csrf_token(attacker, "/account/password")
    login(victim, "li@example.cn")
    assert victim.post("/logout-everywhere", data={"csrf_token": attackers_token}).status_code == 400
    assert victim.get("/account/password").status_code == 200  # still logged in


def test_session_cookies_are_httponly_and_samesite(app, client, session):
    make_user("li@example.cn")
    login(client, "li@example.cn")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert app.config["REMEMBER_COOKIE_HTTPONLY"]


def test_a_planted_session_does_not_survive_login(app, session):
    """Session fixation: the attacker prepares a browser with a session whose CSRF secret they know; once
    the victim logs in there, that session and its token are worth nothing."""
    make_user("victim@example.cn")
    browser = app.test_client()
    known_token = csrf_token(browser, "/login")  # the attacker's own anonymous session
    planted = browser.get_cookie("session").value
    with browser.session_transaction() as sess:
        sess["planted"] = "by the attacker"
    login(browser, "victim@example.cn")
    assert browser.get_cookie("session").value != planted
    with browser.session_transaction() as sess:
        assert "planted" not in sess
    # a forged form with the token the attacker knew is refused in the victim's fresh session
    assert browser.post("/logout-everywhere", data={"csrf_token": known_token}).status_code == 400
    assert browser.get("/account/password").status_code == 200


def test_lockout_sends_one_notice_mail_to_the_owner(app, client, session, capsys):
    app.config.update(LOGIN_LOCKOUT_THRESHOLD=3, LOGIN_LOCKOUT_MINUTES=15)
    make_user("li@example.cn")
    for _ in range(3):
        post_form(client, "/login", {"identifier": "li@example.cn", "password": "guess-guess"})
    mails = capsys.readouterr().err
    assert mails.count("--- mail to li@example.cn ---") == 1
    assert "您的账号已被锁定" in mails and "15 分钟" in mails and "/password/forgot" in mails
    # locked: even the right password is refused, and no second notice goes out
    response = post_form(client, "/login", {"identifier": "li@example.cn", "password": PASSWORD})
    assert response.status_code == 200 and "锁定" in response.get_data(as_text=True)
    assert "--- mail to" not in capsys.readouterr().err
    assert client.get("/account/password").status_code == 302


def test_lockout_holds_when_the_mail_server_is_down(app, client, session):
    app.config.update(LOGIN_LOCKOUT_THRESHOLD=2, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    make_user("li@example.cn")
    codes = [post_form(client, "/login", {"identifier": "li@example.cn", "password": "guess-guess"}).status_code
             for _ in range(2)]
    assert codes == [200, 200]
    response = post_form(client, "/login", {"identifier": "li@example.cn", "password": PASSWORD})
    assert "锁定" in response.get_data(as_text=True)


def test_password_reset_requests_are_rate_limited(app, client, session):
    token = csrf_token(client, "/password/forgot")
    codes = [client.post("/password/forgot", data={"email": f"x{i}@example.cn", "csrf_token": token}).status_code
             for i in range(12)]
    assert codes[:10] == [302] * 10 and codes[10:] == [429, 429]


def test_language_switch_does_not_redirect_off_site(client, session):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
                   "https:/evil.example", "javascript:alert(1)"):
        response = client.get("/lang/en", query_string={"next": target})
        assert response.status_code == 302 and response.headers["Location"] == "/", target
    assert client.get("/lang/en", query_string={"next": "/s/a/"}).headers["Location"] == "/s/a/"


def test_login_next_with_control_characters_stays_on_site(client, session):
    make_user("li@example.cn")
    token = csrf_token(client, "/login")
    response = client.post("/login", query_string={"next": "/\t/evil.example"},
                           data={"identifier": "li@example.cn", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_foreign_host_header_is_refused_when_trusted_hosts_is_set(app, client, session, capsys):
    """With TRUSTED_HOSTS configured, a request for another Host is refused (400): no page, and no reset link
    built on the attacker's host name (password-reset poisoning)."""
    make_user("li@example.cn")
    token = csrf_token(client, "/password/forgot")
    app.config["TRUSTED_HOSTS"] = ["society.example", ".society.example"]
    assert client.get("/login", headers={"Host": "society.example"}).status_code == 200
    assert client.get("/login", headers={"Host": "www.society.example"}).status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    refused = client.get("/healthz", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and "evil" not in refused.get_data(as_text=True)
    capsys.readouterr()
    response = client.post("/password/forgot", data={"email": "li@example.cn", "csrf_token": token},
                           headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "--- mail to" not in capsys.readouterr().err


def test_trusted_hosts_is_read_from_the_environment(monkeypatch):
    from society_saas import config

    monkeypatch.setenv("TRUSTED_HOSTS", "society.example,.society.example")
    assert config.load()["TRUSTED_HOSTS"] == ["society.example", ".society.example"]
    monkeypatch.setenv("TRUSTED_HOSTS", "")
    assert config.load()["TRUSTED_HOSTS"] is None


def test_logout_ends_this_session_for_every_copy_of_its_cookie_and_no_other(app, session):
    """A copy of the session cookie taken before logout (a stolen cookie, a shared computer's backup) is refused
    once its owner logs out; the same account stays logged in on its other devices."""
    from sqlalchemy import event

    make_user("li@example.cn")
    laptop, phone, thief = app.test_client(), app.test_client(), app.test_client()
    login(laptop, "li@example.cn")
    login(phone, "li@example.cn")
    thief.set_cookie("session", laptop.get_cookie("session").value)
    assert thief.get("/account/password").status_code == 200  # the copy is as good as the original, until logout

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        token = csrf_token(laptop, "/account/password")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # the cost per request: the session and its user come in one indexed lookup
    assert len([s for s in statements if "login_session" in s]) == 1

    response = laptop.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert laptop.get("/account/password").status_code == 302
    refused = thief.get("/account/password")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert thief.get("/account/password").status_code == 302  # and stays refused
    assert phone.get("/account/password").status_code == 200  # the other device is still logged in
    # logging in again on the laptop opens a new session; the old copy stays dead
    login(laptop, "li@example.cn")
    assert laptop.get("/account/password").status_code == 200
    assert thief.get("/account/password").status_code == 302
