"""What a roster import changes for members already in the ledger: only what the file gives, and a status
only along the member lifecycle (a file of a few columns must not wipe the rest, or revive the dead)."""
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.members import io as roster
from society_saas.members.models import Member, MemberEvent, MemberStatus
from society_saas.tenancy.context import society_context
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, with_classes

FULL = ("\ufeff会员编号,会员类别,姓名,性别,证件号码,手机,工作单位,国籍/地区,状态\n"
        f"CS100001,会员,张伟,男,{VALID_IDS[1]},13800000001,示例大学,hk,正常\n"
        "CS100002,会员,李娜,女,,13800000002,示例医院,,已故\n")


def _import(society, actor, text: str) -> dict:
    return roster.import_rows(society, actor, roster.read_rows("roster.csv", text.encode("utf-8")), dry_run=False)


def _ledger(app):
    a, people = two_societies()["a"]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        made = _import(a, people["staff"], FULL)
        assert (made["created"], made["errors"]) == (2, [])
        db.session.commit()
    return a, people["staff"]


def test_columns_left_out_and_blank_cells_keep_the_ledger_values(app, session):
    a, staff = _ledger(app)
    with app.test_request_context("/"), society_context(a.id):
        result = _import(a, staff, "会员编号,会员类别,姓名,手机,工作单位\nCS100001,会员,张伟,13900000009,\n")
        assert (result["updated"], result["errors"]) == (1, [])
        db.session.commit()
        db.session.expire_all()
        member = db.session.scalar(select(Member).where(Member.member_number == "CS100001"))
        assert member.mobile == "13900000009"  # given: changed
        assert (member.gender, member.nationality, member.work_unit, member.status) == (
            "male", "hk", "示例大学", MemberStatus.active)  # left out or blank: kept
        assert member.id_number_masked is not None


def test_a_file_without_a_status_column_leaves_a_deceased_member_deceased(app, session):
    a, staff = _ledger(app)
    with app.test_request_context("/"), society_context(a.id):
        result = _import(a, staff, "会员编号,会员类别,姓名,手机\nCS100002,会员,李娜,13900000008\n")
        assert (result["updated"], result["errors"]) == (1, [])
        db.session.commit()
        member = db.session.scalar(select(Member).where(Member.member_number == "CS100002"))
        assert (member.status, member.gender) == (MemberStatus.deceased, "female")


def test_a_status_the_lifecycle_forbids_is_a_row_error_and_nothing_is_imported(app, session):
    a, staff = _ledger(app)
    with app.test_request_context("/"), society_context(a.id):
        events = db.session.scalar(select(func.count()).select_from(MemberEvent))
        result = _import(a, staff, "会员编号,会员类别,姓名,手机,状态\n"
                                   "CS100001,会员,张伟,13900000007,宽限期\n"
                                   "CS100002,会员,李娜,13900000008,正常\n")
        assert not result["imported"]
        assert [(line, field) for line, field, _m in result["errors"]] == [(3, "status")]
        assert "cannot become" in result["errors"][0][2] or "不能" in result["errors"][0][2]
        db.session.rollback()
        first = db.session.scalar(select(Member).where(Member.member_number == "CS100001"))
        assert (first.mobile, first.status) == ("13800000001", MemberStatus.active)
        assert db.session.scalar(select(func.count()).select_from(MemberEvent)) == events


def test_an_allowed_status_change_is_written_with_its_history(app, session):
    a, staff = _ledger(app)
    with app.test_request_context("/"), society_context(a.id):
        result = _import(a, staff, "会员编号,会员类别,姓名,状态\nCS100001,会员,张伟,宽限期\n")
        assert (result["updated"], result["errors"]) == (1, [])
        db.session.commit()
        member = db.session.scalar(select(Member).where(Member.member_number == "CS100001"))
        assert member.status == MemberStatus.grace
        last = db.session.scalars(select(MemberEvent).where(MemberEvent.member_id == member.id)
                                  .order_by(MemberEvent.created_at.desc(), MemberEvent.id.desc())).first()
        assert (last.kind, last.from_status, last.to_status) == ("imported", "active", "grace")
