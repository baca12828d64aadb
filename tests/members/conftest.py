"""Fixtures shared by the member tests."""
import pytest

from society_saas.tenancy.context import society_context
from tests.factories import make_society
from tests.members.helpers import with_classes


@pytest.fixture
def cs(app, session):
    """A society with the five membership classes, inside a request (gettext needs its locale) and its context."""
    society = make_society("cs1")
    with_classes(society)
    with app.test_request_context("/"), society_context(society.id):
        yield society
