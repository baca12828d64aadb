"""Birth and join dates that cannot be (born in 9999 or 1800, joined in 2999, joined before being born) are refused
by the one member rule (validate_member_data) that the application, the ledger, the import and the API share; the
refusal names the field and nothing is written."""
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members import io as roster
from society_saas.members import services
from society_saas.members.models import Member, MemberApplication
from society_saas.members.services.common import today_cn
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, member_fixture, person, with_classes



def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _tomorrow() -> str:
    return (today_cn() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("field, value, words", [
    ("birth_date", "9999-01-01", "出生日期不能晚于今天"), ("birth_date", "tomorrow", "出生日期不能晚于今天"),
    ("birth_date", "1800-01-01", "出生日期不能早于 1900-01-01"), ("birth_date", "1899-12-31", "出生日期不能早于 1900-01-01"),
    ("join_date", "9999-01-01", "入会日期不能晚于今天"), ("join_date", "2999-06-01", "入会日期不能晚于今天"),
    ("join_date", "tomorrow", "入会日期不能晚于今天"), ("join_date", "1850-01-01", "入会日期不能早于 1900-01-01"),
])
def test_impossible_dates_are_refused_on_their_field(cs, field, value, words):
    value = _tomorrow() if value == "tomorrow" else value
    _clean, errors = services.validate_member_data({"name": "李华", "mobile": "13800138000", field: value})
    assert list(errors) == [field] and words in errors[field][0]
    if field == "birth_date":
        with pytest.raises(ServiceError) as exc:
            services.submit_application(cs, None, person(birth_date=value, id_number=""))
        assert exc.value.field == field and words in exc.value.message
    data = person(id_number="", **{field: value})
    data.pop("class_code")
    with pytest.raises(ServiceError) as exc:
        services.create_member(cs, None, data, services.class_by_code("member"))
    assert exc.value.field == field
    db.session.rollback()
    assert (_count(Member), _count(MemberApplication)) == (0, 0)


def test_the_bounds_themselves_are_accepted(cs):
    today = today_cn().isoformat()
    for born, joined in (("1900-01-01", today), ("1990-05-01", "1990-05-01"), (today, today)):
        clean, errors = services.validate_member_data({"name": "李华", "mobile": "13800138000", "birth_date": born,
                                                       "join_date": joined})
        assert errors == {} and (clean["birth_date"], clean["join_date"]) == (date.fromisoformat(born),
                                                                             date.fromisoformat(joined))


def test_nobody_joins_before_being_born(cs):
    _clean, errors = services.validate_member_data({"name": "李华", "mobile": "13800138000",
                                                    "birth_date": "1990-05-01", "join_date": "1980-01-01"})
    assert list(errors) == ["join_date"] and "入会日期不能早于出生日期" in errors["join_date"][0]


def test_a_change_to_an_impossible_date_is_refused_and_the_record_kept(cs):
    data = person(id_number=VALID_IDS[0], join_date="2015-03-01")
    data.pop("class_code")
    member = services.create_member(cs, None, data, services.class_by_code("member"))
    db.session.commit()
    for field, value in (("birth_date", "9999-01-01"), ("join_date", "2999-01-01"), ("birth_date", "1800-01-01")):
        with pytest.raises(ServiceError) as exc:
            services.update_member(cs, None, member, {field: value})
        assert exc.value.field == field
        db.session.rollback()
    assert (member.birth_date, member.join_date) == (date(1949, 12, 31), date(2015, 3, 1))


def test_a_bad_date_already_on_record_does_not_block_the_members_own_edits(cs):
    data = person(id_number="", birth_date="1985-01-01")
    data.pop("class_code")
    member = services.create_member(cs, None, data, services.class_by_code("member"))
    member.birth_date = date(9999, 1, 1)  # entered before the rule
    db.session.commit()
    services.update_own_profile(cs, None, member, {"mobile": "13900000000"})
    assert member.mobile == "13900000000"
    with pytest.raises(ServiceError) as exc:  # the secretariat's full edit form sends it again: it must be put right
        services.update_member(cs, None, member, {"birth_date": "9999-01-01", "mobile": "13900000001"})
    assert exc.value.field == "birth_date"


def test_the_roster_import_names_the_impossible_date(cs):
    rows = [{"class_code": "member", "name": "张伟", "mobile": "13800000001", "birth_date": "1800-01-01"},
            {"class_code": "member", "name": "王静", "mobile": "13800000002", "join_date": "2999-01-01"}]
    result = roster.import_rows(cs, None, rows, dry_run=False)
    assert [(line, field) for line, field, _message in result["errors"]] == [(2, "birth_date"), (3, "join_date")]
    assert result["created"] == 0 and _count(Member) == 0


# --- the pages --------------------------------------------------------------------------------------------------

def test_the_application_form_refuses_a_birth_date_in_9999_on_its_field(app, client, session):
    data = two_societies()
    with_classes(data["a"][0])
    from society_saas.accounts.models import User

    users = db.session.scalar(select(func.count()).select_from(User))
    for value, words in (("9999-01-01", "出生日期不能晚于今天"), ("1800-01-01", "出生日期不能早于 1900-01-01")):
        form = {"class_code": "member", "name": "王芳", "birth_date": value, "id_type": "resident_id",
                "mobile": "13911112222", "email": "wangfang@example.cn", "nationality": "mainland",
                "password": "applicant-pass-1", "attachment": (io.BytesIO(b""), "")}
        refused = post_form(client, "/s/a/apply/", form, content_type="multipart/form-data", page="/s/a/apply/")
        body = refused.get_data(as_text=True)
        assert refused.status_code == 200 and f'id="birth_date-err">{words}' in body
    with society_context(data["a"][0].id):
        assert _count(MemberApplication) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_the_ledger_edit_form_refuses_a_join_date_in_2999_on_its_field(app, client, session):
    data = two_societies()
    a, people = data["a"]
    ids = member_fixture(a)
    login(client, people["staff"].email)
    url = f"/s/a/admin/members/{ids['member_id']}/edit"
    form = {"name": "李华", "id_type": "resident_id", "mobile": "13800138000", "email": "lihua@example.cn",
            "nationality": "mainland", "join_date": "2999-01-01"}
    refused = post_form(client, url, form)
    assert refused.status_code == 200 and 'id="join_date-err">入会日期不能晚于今天' in refused.get_data(as_text=True)
    with society_context(a.id):
        assert db.session.get(Member, (a.id, ids["member_id"])).join_date == today_cn()
