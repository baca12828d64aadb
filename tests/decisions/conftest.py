"""Service tests run inside an English request, so refusal messages can be matched by rule name."""
import pytest


@pytest.fixture
def en(app):
    """An English request context (services translate their refusals)."""
    with app.test_request_context("/?lang=en"):
        yield
