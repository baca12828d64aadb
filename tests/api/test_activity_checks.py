"""An activity is checked once, for the API and the secretariat's web form alike: the same participants range
(0 to 10,000,000), the same title length, refused with the field named and nothing recorded."""
import pytest
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.oversight.models import Activity
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token
from tests.conftest import login, post_form
from tests.factories import two_societies


def _recorded(society) -> int:
    with society_context(society.id):
        return db.session.scalar(select(func.count()).select_from(Activity))


@pytest.mark.parametrize("extra, field", (({"participants": -5}, "participants"),
                                          ({"participants": 10_000_001}, "participants"),
                                          ({"title": "论" * 201}, "title")))
def test_the_api_and_the_web_form_refuse_the_same_activity(app, client, session, extra, field):
    data = two_societies()
    a, people = data["a"]
    body = {"kind": "training", "title": "青年科技论坛", "starts_on": "2030-05-01", **extra}
    h = bearer(make_token(people["sec"], a, "write"))
    by_api = client.post("/api/v1/societies/a/activities", json=body, headers=h)
    assert by_api.status_code == 422 and field in by_api.get_json()["errors"]
    web = client.application.test_client()
    login(web, people["sec"].email)
    by_web = post_form(web, "/s/a/admin/activities/", {k: str(v) for k, v in body.items()})
    assert by_web.status_code == 422, by_web.status_code  # -5 was recorded, 300 characters were cut to 200
    assert f'id="{field}-err"' in by_web.get_data(as_text=True)
    assert _recorded(a) == 0


def test_the_largest_allowed_activity_is_recorded_by_both(app, client, session):
    data = two_societies()
    a, people = data["a"]
    body = {"kind": "training", "title": "论" * 200, "starts_on": "2030-05-01", "participants": 10_000_000}
    made = client.post("/api/v1/societies/a/activities", json=body,
                       headers=bearer(make_token(people["sec"], a, "write")))
    assert made.status_code == 201 and made.get_json()["participants"] == 10_000_000
    web = client.application.test_client()
    login(web, people["sec"].email)
    assert post_form(web, "/s/a/admin/activities/", {k: str(v) for k, v in body.items()}).status_code == 302
    assert _recorded(a) == 2
