"""Friendly error pages in Chinese, JSON for the API, and no stack trace for a crash."""
from society_saas.core.errors import NotFoundError


def test_404_page_is_friendly_and_in_chinese(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_api_paths_answer_json(client):
    response = client.get("/api/v1/no-such-resource")
    assert response.status_code == 404
    body = response.get_json()
    assert body["code"] == 404 and "message" in body


def test_a_crash_is_a_friendly_500_without_details(app, client):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/_boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text


def test_service_not_found_becomes_404(app, client):
    @app.get("/_missing")
    def missing():
        raise NotFoundError("gone")

    assert client.get("/_missing").status_code == 404


def test_a_failed_flush_still_gets_the_friendly_page_in_chinese(app, client, session):
    from society_saas.extensions import db
    from society_saas.tenancy.models import Society
    from tests.conftest import login
    from tests.factories import make_user

    @app.get("/_flush_boom")
    def flush_boom():
        db.session.add(Society())  # no name, no slug: NOT NULL fails, and the session must be rolled back
        db.session.flush()

    make_user("someone@example.cn")
    login(client, "someone@example.cn")  # the page's header then reads the account again
    response = client.get("/_flush_boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Internal Server Error" not in text and "IntegrityError" not in text
    assert "出错了" in text or "出现错误" in text or "错误" in text
