"""Member pages show times and dates in China time (Asia/Shanghai), as the audit log does: an event at 18:23 UTC
on 3 December happened at 02:23 on 4 December in Beijing, the day the member's join date says."""
from datetime import datetime, timezone

from sqlalchemy import select

from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import MemberApplication, MemberRequest
from society_saas.members.services.common import record_event
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, person, with_classes

LATE_EVENING_UTC = datetime(2026, 12, 3, 18, 23, tzinfo=timezone.utc)


def _world(app):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        data_ = person(id_number=VALID_IDS[0], email=people["member"].email)
        member = services.create_member(a, None, data_, services.class_by_code(data_.pop("class_code")),
                                        user=people["member"])
        event = record_event(member, None, "updated", note="mobile")
        event.at = LATE_EVENING_UTC
        request = services.file_request(a, None, member, {"subject": "发票", "body": "请开具发票。"})
        request.created_at = LATE_EVENING_UTC
        applicant = people["sec"]  # an account with no record yet, so it may apply
        application = services.submit_application(a, applicant, person(id_number=VALID_IDS[1], mobile="13900000001",
                                                                       email=applicant.email))
        application.submitted_at = LATE_EVENING_UTC
        services.request_more_info(a, None, application, {"reason": "请补充证书。"})
        application.data = {**application.data, "exchange": [{**application.data["exchange"][0],
                                                               "at": LATE_EVENING_UTC.isoformat(timespec="minutes")}]}
        db.session.commit()
        return a, people, member.id, application.id


def test_the_member_history_shows_china_time(app, client, session):
    a, people, member_id, _app_id = _world(app)
    login(client, people["staff"].email)
    page = client.get(f"/s/a/admin/members/{member_id}").get_data(as_text=True)
    assert "2026-12-04 02:23" in page and "18:23" not in page


def test_applications_and_requests_are_dated_in_china(app, client, session):
    a, people, _member_id, app_id = _world(app)
    login(client, people["staff"].email)
    listing = client.get("/s/a/admin/members/applications/").get_data(as_text=True)
    assert "2026-12-04" in listing and "2026-12-03" not in listing
    detail = client.get(f"/s/a/admin/members/applications/{app_id}").get_data(as_text=True)
    assert "2026-12-04 02:23" in detail and "18:23" not in detail  # the questions and answers
    requests = client.get("/s/a/admin/members/requests/").get_data(as_text=True)
    assert "2026-12-04" in requests and "2026-12-03" not in requests
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, people["sec"].email)
    status = client.get("/s/a/apply/status").get_data(as_text=True)
    assert "2026-12-04 02:23" in status and "2026-12-03" not in status and "18:23" not in status
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, people["member"].email)
    mine = client.get("/s/a/me/requests/").get_data(as_text=True)
    assert "2026-12-04" in mine and "2026-12-03" not in mine
    with society_context(a.id):  # what is stored stays UTC
        assert db.session.scalar(select(MemberApplication.submitted_at)) == LATE_EVENING_UTC
        assert db.session.scalar(select(MemberRequest.created_at)) == LATE_EVENING_UTC
