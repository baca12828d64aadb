"""Roster import (a real xlsx and CSV made here) and export with formula injection neutralised."""
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.members import io as roster
from society_saas.members.models import Member, MemberStatus
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, with_classes

HEADER = ["会员编号", "会员类别", "姓名", "性别", "证件号码", "手机", "工作单位", "一线科技工作者", "状态"]
GOOD = [
    ["CS100001", "会员", "张伟", "男", VALID_IDS[1], "13800000001", "示例大学", "是", "正常"],
    ["CS100002", "学生会员", "王静", "女", VALID_IDS[2], "13800000002", "示例大学", "否", "宽限期"],
    ["", "高级会员", "刘洋", "男", VALID_IDS[3], "13800000003", "=HYPERLINK(\"http://x\")", "是", "正常"],
]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(client, content, name, dry_run):
    data = {"file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return post_form(client, "/s/a/admin/members/import", data, content_type="multipart/form-data")


def _count(society):
    with society_context(society.id):
        return db.session.scalar(select(func.count()).select_from(Member))


def test_bad_rows_are_all_reported_and_nothing_is_imported(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    bad = GOOD + [
        ["", "院士", "赵六", "男", VALID_IDS[4], "13800000004", "", "", ""],          # row 5: unknown class
        ["", "会员", "", "", "", "13800000005", "", "", ""],                              # row 6: no name
        ["", "会员", "孙七", "", "110101199003074478", "13800000006", "", "", ""],     # row 7: bad ID checksum
        ["CS100001", "会员", "周八", "", VALID_IDS[5], "abc", "", "", "离职"],          # row 8: dup number, mobile, status
    ]
    login(client, people["staff"].email)
    for dry_run in (True, False):
        response = _upload(client, _xlsx(bad), "roster.xlsx", dry_run)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "nothing was imported" in page or "未导入" in page
    with app.test_request_context("/"), society_context(a.id):
        _, errors = roster.check_rows(roster.read_rows("roster.xlsx", _xlsx(bad)))
    by_row = {}
    for line, field, _message in errors:
        by_row.setdefault(line, set()).add(field)
    assert by_row == {5: {"class_code"}, 6: {"name"}, 7: {"id_number"}, 8: {"member_number", "mobile", "status"}}
    assert _count(a) == 0


def test_good_file_dry_run_then_import_then_rerun_changes_nothing(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    login(client, people["staff"].email)
    content = _xlsx(GOOD)
    assert _upload(client, content, "roster.xlsx", True).status_code == 200
    assert _count(a) == 0
    done = _upload(client, content, "roster.xlsx", False)
    assert done.status_code == 200
    assert _count(a) == 3
    with society_context(a.id):
        numbers = sorted(db.session.scalars(select(Member.member_number)))
        assert numbers == ["CS000001", "CS100001", "CS100002"]
        assert db.session.scalar(select(Member.status).where(Member.name == "王静")) == MemberStatus.grace
    with app.test_request_context("/"), society_context(a.id):
        result = roster.import_rows(a, None, roster.read_rows("roster.xlsx", content), dry_run=False)
        assert (result["created"], result["updated"], result["unchanged"], result["errors"]) == (0, 0, 3, [])
        db.session.commit()
    assert _count(a) == 3
    assert _count(data["b"][0]) == 0


def test_csv_import_and_exports_neutralise_formulas(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    login(client, people["staff"].email)
    text = "\ufeff" + ",".join(HEADER) + "\n" + "\n".join(",".join(f'"{c}"' if "," in c or '"' in c else c for c in
                                                                      [x.replace('"', '""') for x in row]) for row in GOOD)
    assert _upload(client, text.encode("utf-8"), "roster.csv", False).status_code == 200
    assert _count(a) == 3
    csv_body = client.get("/s/a/admin/members/export.csv").get_data(as_text=True)
    assert "刘洋" in csv_body and "'=HYPERLINK" in csv_body and ",=HYPERLINK" not in csv_body
    assert VALID_IDS[1] not in csv_body  # ID numbers leave only masked
    xlsx = client.get("/s/a/admin/members/export.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.data)).active
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and not any(isinstance(c, str) and c.startswith("=") for c in cells)
    assert client.get("/s/a/admin/members/export.pdf").status_code == 404
