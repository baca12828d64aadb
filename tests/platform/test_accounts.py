"""Login, logout everywhere, password change and reset by mail, rate limit, lockout, CSRF."""
import re
import socket
import time

import pytest
from aiosmtpd.controller import Controller

from society_saas.accounts.models import User
from sqlalchemy import select
from tests.conftest import csrf_token, login, post_form
from tests.factories import PASSWORD, make_user


def test_login_and_logout(client, session):
    make_user("li@example.cn", "李雷")
    assert client.get("/account/password").status_code == 302  # needs login
    login(client, "li@example.cn")
    assert "李雷" in client.get("/").get_data(as_text=True)
    post_form(client, "/logout", {}, page="/")
    assert client.get("/account/password").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, session):
    make_user("li@example.cn")
    response = post_form(client, "/login", {"identifier": "li@example.cn", "password": "wrong-password"})
    assert response.status_code == 200
    assert "密码" in response.get_data(as_text=True)
    assert client.get("/account/password").status_code == 302


def test_session_is_replaced_at_login(client, session):
    make_user("li@example.cn")
    client.get("/login")
    before = client.get_cookie("session").value
    login(client, "li@example.cn")
    after = client.get_cookie("session").value
    assert before != after
    with client.session_transaction() as sess:
        # the session names the rotating token, never the account's primary key
        assert "_user_id" in sess and sess["_user_id"] != str(session.scalar(select(User.id)))


def test_logout_everywhere_ends_other_devices(app, session):
    make_user("li@example.cn")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "li@example.cn")
    login(laptop, "li@example.cn")
    post_form(laptop, "/logout-everywhere", {}, page="/account/password")
    assert phone.get("/account/password").status_code == 302
    assert laptop.get("/account/password").status_code == 302
    login(phone, "li@example.cn")  # logging in again works
    assert phone.get("/account/password").status_code == 200


def test_password_change_logs_out_other_devices_but_not_this_one(app, session):
    make_user("li@example.cn")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "li@example.cn")
    login(laptop, "li@example.cn")
    response = post_form(laptop, "/account/password",
                         {"current_password": PASSWORD, "password": "new-pass-123", "confirm": "new-pass-123"})
    assert response.status_code == 302
    assert laptop.get("/account/password").status_code == 200
    assert phone.get("/account/password").status_code == 302
    login(phone, "li@example.cn", "new-pass-123")


def test_password_change_with_wrong_current_password_changes_nothing(client, session):
    make_user("li@example.cn")
    login(client, "li@example.cn")
    response = post_form(client, "/account/password",
                         {"current_password": "nope-nope", "password": "new-pass-123", "confirm": "new-pass-123"})
    assert response.status_code == 200 and "当前密码错误" in response.get_data(as_text=True)
    post_form(client, "/logout", {}, page="/")
    login(client, "li@example.cn", PASSWORD)


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def _wait_for_mail(inbox, count=1):
    deadline = time.monotonic() + 5
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def test_password_reset_by_mail_over_real_smtp(app, client, session, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    make_user("li@example.cn")
    response = post_form(client, "/password/forgot", {"email": "li@example.cn"})
    assert response.status_code == 302
    mails = _wait_for_mail(inbox)
    assert len(mails) == 1 and "li@example.cn" in mails[0]
    import email
    body = email.message_from_string(mails[0]).get_payload(decode=True).decode()
    link = re.search(r"http://localhost(/password/reset/\S+)", body).group(1)
    response = post_form(client, link, {"password": "fresh-pass-1", "confirm": "fresh-pass-1"})
    assert response.status_code == 302
    login(client, "li@example.cn", "fresh-pass-1")
    # the link works once only
    post_form(client, "/logout", {}, page="/")
    response = post_form(client, link, {"password": "other-pass-2", "confirm": "other-pass-2"})
    assert response.status_code == 200 and "已被使用" in response.get_data(as_text=True)


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(app, client, session, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    response = post_form(client, "/password/forgot", {"email": "nobody@example.cn"})
    assert response.status_code == 302
    time.sleep(0.3)
    assert inbox.messages == []


def test_login_rate_limit(app, client, session):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 1000
    make_user("li@example.cn")
    token = csrf_token(client, "/login")
    codes = [client.post("/login", data={"identifier": "li@example.cn", "password": "bad", "csrf_token": token}).status_code
             for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]


def test_lockout_after_repeated_failures(app, client, session):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3
    make_user("li@example.cn")
    for _ in range(3):
        post_form(client, "/login", {"identifier": "li@example.cn", "password": "bad"})
    response = post_form(client, "/login", {"identifier": "li@example.cn", "password": PASSWORD})
    assert response.status_code == 200 and "锁定" in response.get_data(as_text=True)


def test_csrf_is_required_on_forms(client, session):
    make_user("li@example.cn")
    response = client.post("/login", data={"identifier": "li@example.cn", "password": PASSWORD})
    assert response.status_code == 400
    login(client, "li@example.cn")
    assert client.post("/logout-everywhere").status_code == 400


def test_open_redirect_after_login_is_refused(client, session):
    make_user("li@example.cn")
    token = csrf_token(client, "/login")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"identifier": "li@example.cn", "password": PASSWORD,
                                                              "csrf_token": token})
        assert response.status_code == 302 and response.headers["Location"] == "/", target
        token = csrf_token(client, "/account/password")
        client.post("/logout", data={"csrf_token": token})
        token = csrf_token(client, "/login")


def test_security_headers(client, session):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_passwords_are_hashed_with_one_lane_and_old_hashes_are_remade_at_login(client, session):
    from argon2 import PasswordHasher

    from society_saas.accounts.passwords import hash_password

    assert hash_password("x" * 12).startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    user = make_user("li@example.cn")
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)  # the earlier settings
    user.password_hash = old
    session.commit()
    login(client, "li@example.cn")
    session.expire_all()
    remade = session.get(User, user.id).password_hash
    assert remade != old and remade.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    client.post("/logout")
    login(client, "li@example.cn")  # the new hash lets the same password in
    assert client.get("/account/password").status_code == 200
