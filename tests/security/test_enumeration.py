"""Account enumeration: a failed login answers the same, in words and in work, whether the account exists,
the password is wrong or the account is locked."""
import re

from society_saas.accounts import services
from tests.conftest import post_form
from tests.factories import make_user

PASSWORD = "demo1234"


def _error(response) -> str:
    """The message the login form shows under the password."""
    page = response.get_data(as_text=True)
    assert response.status_code == 200, response.status_code
    return re.search(r'账号或密码错误[^<]*', page).group(0)


def test_unknown_wrong_and_locked_accounts_get_the_same_answer(app, client, session):
    app.config.update(LOGIN_LOCKOUT_THRESHOLD=3, LOGIN_LOCKOUT_MINUTES=15)
    make_user("li@example.cn")
    make_user("wang@example.cn")
    unknown = _error(post_form(client, "/login", {"identifier": "nobody@example.cn", "password": "guess-guess"}))
    wrong = _error(post_form(client, "/login", {"identifier": "wang@example.cn", "password": "guess-guess"}))
    for _ in range(3):
        post_form(client, "/login", {"identifier": "li@example.cn", "password": "guess-guess"})
    locked = _error(post_form(client, "/login", {"identifier": "li@example.cn", "password": PASSWORD}))
    assert unknown == wrong == locked
    assert "锁定 15 分钟" in unknown  # the owner learns what may have happened, a prober learns nothing


def test_an_unknown_account_costs_a_password_check_too(app, client, session, monkeypatch):
    make_user("li@example.cn")
    checked = []
    real = services.verify_password

    def spy(password_hash, password):
        checked.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", spy)
    post_form(client, "/login", {"identifier": "nobody@example.cn", "password": "guess-1"})
    post_form(client, "/login", {"identifier": "li@example.cn", "password": "guess-2"})
    # both went through argon2: the time of the answer does not tell the accounts apart
    assert checked == ["guess-1", "guess-2"]
