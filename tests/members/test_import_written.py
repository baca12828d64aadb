"""What the roster import writes for a new member: every column as the ORM fills it (on PostgreSQL the rows go
in by COPY through a staging table), its "admitted" history, and nothing at all when a late row is bad."""
from datetime import date

from sqlalchemy import func, select

from society_saas.core import crypto
from society_saas.extensions import db
from society_saas.members import io as roster
from society_saas.members import services
from society_saas.members.models import Member, MemberEvent, MemberNumberSequence, MemberStatus
from society_saas.members.services.common import today_cn
from society_saas.tenancy.context import society_context
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, with_classes

HEADER = "会员编号,会员类别,姓名,性别,证件号码,手机,工作单位,一线科技工作者,入会日期,状态\n"
ROWS = (f"CS100001,会员,张伟,男,{VALID_IDS[1]},13800000001,示例大学,是,2020-01-02,正常\n"
        ",学生会员,王静,,,13800000002,,,,宽限期\n")


def _csv(text: str) -> bytes:
    return ("\ufeff" + HEADER + text).encode("utf-8")


def test_new_members_have_every_column_and_their_history(app, session):
    a, people = two_societies()["a"]
    with_classes(a)
    staff = people["staff"]
    with app.test_request_context("/"), society_context(a.id):
        result = roster.import_rows(a, staff, roster.read_rows("roster.csv", _csv(ROWS)), dry_run=False)
        assert (result["created"], result["errors"]) == (2, [])
        db.session.commit()
        db.session.expire_all()
        full = db.session.scalar(select(Member).where(Member.name == "张伟"))
        assert (full.member_number, full.member_class.code, full.status) == ("CS100001", "member", MemberStatus.active)
        assert (full.version, full.reverify_fields, full.user_id, full.party_member) == (1, [], None, None)
        assert (full.gender, full.id_type, full.nationality, full.front_line, full.senior_title) == (
            "male", "resident_id", "mainland", True, False)
        assert (full.join_date, full.birth_date, full.valid_until) == (
            date(2020, 1, 2), date(1990, 3, 7), date(today_cn().year, 12, 31))
        assert crypto.decrypt(full.id_number_encrypted) == VALID_IDS[1]
        assert full.id_number_index == crypto.blind_index(VALID_IDS[1])
        assert full.id_number_masked == crypto.mask(VALID_IDS[1])
        assert full.created_at.tzinfo is not None and full.work_unit == "示例大学" and full.mobile == "13800000001"

        bare = db.session.scalar(select(Member).where(Member.name == "王静"))
        assert (bare.member_class.code, bare.status, bare.valid_until, bare.join_date) == (
            "student", MemberStatus.grace, None, today_cn())
        assert bare.member_number.startswith("CS") and bare.member_number != "CS100001"
        assert (bare.id_number_encrypted, bare.id_number_index, bare.id_number_masked, bare.gender) == (None,) * 4
        assert (bare.front_line, bare.senior_title, bare.work_unit) == (False, False, None)

        events = {e.member_id: e for e in db.session.scalars(select(MemberEvent))}
        assert set(events) == {full.id, bare.id}
        for member, status, code in ((full, "active", "member"), (bare, "grace", "student")):
            event = events[member.id]
            assert (event.kind, event.to_status, event.to_class, event.note, event.actor_id) == (
                "admitted", status, code, "import", staff.id)
            assert (event.from_status, event.from_class, event.reference) == (None, None, None)
            assert event.at == event.created_at == member.created_at

        # the version the ORM checks on every update is there: an edit goes through and bumps it
        services.update_member(a, staff, full, {"mobile": "13900000009"})
        db.session.flush()
        assert full.version == 2
        db.session.rollback()


def test_a_bad_last_row_leaves_nothing_written(app, session):
    a, _people = two_societies()["a"]
    with_classes(a)
    good = "".join(f",会员,会员{i},,,139{i:08d},,,,\n" for i in range(2500))
    with app.test_request_context("/"), society_context(a.id):
        counter = db.session.scalar(select(MemberNumberSequence.counter))
        result = roster.import_rows(a, None, roster.read_rows("roster.csv", _csv(good + ",会员,坏行,,,abc,,,,\n")),
                                    dry_run=False)
        assert not result["imported"] and result["errors"] == [(2502, "mobile", "手机号码格式不正确。")]
        db.session.commit()  # a caller that commits anyway commits nothing of the import
        assert db.session.scalar(select(func.count()).select_from(Member)) == 0
        assert db.session.scalar(select(func.count()).select_from(MemberEvent)) == 0
        assert db.session.scalar(select(MemberNumberSequence.counter)) == counter


def test_a_fresh_number_skips_the_numbers_later_rows_of_the_file_give(app, session):
    a, _people = two_societies()["a"]
    with_classes(a)
    # the new members of the first 1,200 rows are numbered (and, on PostgreSQL, written) before the file's
    # last row is read: the number it gives must not have been handed out to one of them
    without = "".join(f",会员,会员{i},,,139{i:08d},,,,\n" for i in range(1200))
    with app.test_request_context("/"), society_context(a.id):
        result = roster.import_rows(a, None, roster.read_rows("roster.csv", _csv(without + "CS000005,会员,后来者,,,13700000000,,,,\n")),
                                    dry_run=False)
        assert (result["errors"], result["created"]) == ([], 1201)
        numbers = list(db.session.scalars(select(Member.member_number).where(Member.name == "后来者")))
        assert numbers == ["CS000005"]
        fresh = set(db.session.scalars(select(Member.member_number).where(Member.name != "后来者")))
        assert len(fresh) == 1200 and "CS000005" not in fresh and {"CS000004", "CS000006"} <= fresh
        db.session.rollback()
