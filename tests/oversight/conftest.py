"""Oversight tests call services directly: give them a request context for gettext."""
import pytest


@pytest.fixture(autouse=True)
def _request_context(request):
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.test_request_context("/"):
        yield
