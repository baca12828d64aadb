"""The members API keeps the ledger's rules: impossible birth and join dates are 422 naming the field (also when they
come from an application filed before the rule), and approving a join of someone already in the ledger is 422
instead of a second record for the same account."""
import pytest
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import ApplicationKind, ApplicationStatus, Member, MemberApplication
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, count_rows, make_token, refused, world
from tests.members.helpers import VALID_IDS, person




def _old_application(society, user=None, **data) -> str:
    """A join application stored as the old code accepted it."""
    society_id = society.id
    with society_context(society_id):
        fields = person(id_number=VALID_IDS[2], mobile="13900000002", **data)
        fields.pop("class_code")
        row = MemberApplication(society_id=society_id, kind=ApplicationKind.join, status=ApplicationStatus.submitted,
                                applicant_user_id=getattr(user, "id", None), applicant_name=fields["name"],
                                class_id=services.class_by_code("member").id, data=fields)
        db.session.add(row)
        db.session.commit()
        return str(row.id)


@pytest.fixture
def ledger(app, client, session):
    data, ids, _admin = world()
    a, people = data["a"]
    a_id = a.id  # the society object is detached by the requests
    return a, a_id, people, ids, bearer(make_token(people["sec"], a, "write"))


@pytest.mark.parametrize("field, value", [("birth_date", "9999-01-01"), ("birth_date", "1800-01-01"),
                                          ("join_date", "2999-01-01")])
def test_members_born_or_joined_impossibly_are_422_naming_the_field(client, ledger, field, value):
    _a, a_id, _people, ids, h = ledger
    members, applications = count_rows(a_id, Member), count_rows(a_id, MemberApplication)
    refused(client.post("/api/v1/societies/a/members",
                         json={"class_code": "member", "name": "未来会员", "mobile": "13800000099", field: value},
                         headers=h), field)
    url = f"/api/v1/societies/a/members/{ids['a']['member_id']}"
    before = client.get(url, headers=h)
    refused(client.patch(url, json={field: value}, headers={**h, "If-Match": before.headers["ETag"]}), field)
    assert client.get(url, headers=h).get_json()[field] == before.get_json()[field]
    refused(client.post("/api/v1/societies/a/applications",
                         json={"class_code": "member", "name": "未来会员", "mobile": "13800000099", field: value},
                         headers=h), field)
    assert (count_rows(a_id, Member), count_rows(a_id, MemberApplication)) == (members, applications)


def test_approving_an_old_application_with_an_impossible_birth_date_is_422(client, ledger):
    a, a_id, _people, _ids, h = ledger
    app_id = _old_application(a, birth_date="9999-01-01")
    members = count_rows(a_id, Member)
    body = refused(client.post(f"/api/v1/societies/a/applications/{app_id}/decision", json={"action": "approve"},
                                headers=h), "birth_date")
    assert "出生日期不能晚于今天" in body["errors"]["birth_date"][0]
    assert count_rows(a_id, Member) == members
    assert client.get(f"/api/v1/societies/a/applications/{app_id}", headers=h).get_json()["status"] == "submitted"


def test_approving_a_join_of_an_account_already_in_the_ledger_is_422(app, client, ledger):
    a, a_id, people, _ids, h = ledger
    with app.test_request_context("/"), society_context(a_id):
        data = person(id_number=VALID_IDS[1], mobile="13900000001", email=people["member"].email)
        services.create_member(a, None, data, services.class_by_code(data.pop("class_code")), user=people["member"])
        db.session.commit()
    app_id = _old_application(a, people["member"])
    user_id = people["member"].id
    members = count_rows(a_id, Member)
    body = refused(client.post(f"/api/v1/societies/a/applications/{app_id}/decision", json={"action": "approve"},
                                headers=h), "member_id")
    assert "申请人已是本学会会员" in body["message"]
    assert count_rows(a_id, Member) == members
    with society_context(a_id):
        assert db.session.scalar(select(func.count()).select_from(Member).where(Member.user_id == user_id)) == 1
