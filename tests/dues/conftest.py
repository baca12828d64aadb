"""Dues test fixtures."""
import pytest


@pytest.fixture
def rq(app, session):
    """A request context, so that messages are translated as in a request."""
    with app.test_request_context("/"):
        yield session
