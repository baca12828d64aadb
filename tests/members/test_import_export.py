"""Roster import (a real xlsx and CSV made here) and export with formula injection neutralised."""
import io
import re
from pathlib import Path

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
    """Upload through the form and follow to the import job's page (the job runs inline in tests)."""
    data = {"file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return post_form(client, "/s/a/admin/members/import", data, content_type="multipart/form-data",
                     follow_redirects=True)


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
        assert response.status_code == 200 and "/import/jobs/" in response.request.path
        page = response.get_data(as_text=True)
        assert "发现 6 处问题，未导入任何数据。" in page
        # every bad row is listed, with the reason in Chinese
        for row, reason in (("5", "未知的会员类别“院士”"), ("6", "姓名为必填项"), ("7", "居民身份证号码不正确"),
                            ("8", "与第 2 行重复")):
            assert re.search(rf"<td>{row}</td><td>[^<]*</td><td>[^<]*{reason}", page), (row, reason)
        problems = client.get(response.request.path + "/problems.csv").get_data(as_text=True)
        assert problems.startswith("\ufeff") and problems.count("\n") == 7 and "未知的会员类别" in problems
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
    checked = _upload(client, content, "roster.xlsx", True)
    assert "全部 3 行均有效" in checked.get_data(as_text=True)
    assert _count(a) == 0
    # the clean dry run offers the import of the same stored file with the same mapping
    page = checked.get_data(as_text=True)
    form = dict(re.findall(r'name="(key|name|col-\d+)"[^>]*value="([^"]*)"', page))
    done = post_form(client, "/s/a/admin/members/import/map", form, page=checked.request.path, follow_redirects=True)
    assert "新增会员 3 人，更新 0 人，0 人无变化。" in done.get_data(as_text=True)
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


FOREIGN_HEADER = ["Full name", "Class", "ID", "Phone", "备注"]
FOREIGN_ROWS = [["张伟", "会员", VALID_IDS[1], "13800000001", "老会员"], ["王静", "学生会员", VALID_IDS[2], "13800000002", ""]]


def _foreign_xlsx(rows=FOREIGN_ROWS) -> bytes:
    wb = Workbook()
    wb.active.append(FOREIGN_HEADER)
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _selects(page: str) -> dict:
    """The mapping page's column selects: name -> the selected field."""
    out = {}
    for name, body in re.findall(r'<select id="(col-\d+)" name="col-\d+">(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        out[name] = chosen.group(1) if chosen else ""
    return out


def test_unknown_columns_are_mapped_once_and_the_mapping_is_remembered(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    login(client, people["staff"].email)
    first = _upload(client, _foreign_xlsx(), "名册.xlsx", True)
    page = first.get_data(as_text=True)
    assert first.request.path == "/s/a/admin/members/import" and "Full name" in page and "张伟 · 王静" in page
    assert _selects(page) == {"col-0": "", "col-1": "", "col-2": "", "col-3": "", "col-4": ""}
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    url = "/s/a/admin/members/import/map"
    mapping = {"col-0": "name", "col-1": "class_code", "col-2": "id_number", "col-3": "mobile", "col-4": ""}
    # refused mappings: no name column, a field twice; nothing is queued
    for bad, message in (({**mapping, "col-0": ""}, "姓名"), ({**mapping, "col-3": "name"}, "姓名")):
        refused = post_form(client, url, {"key": key, "name": "名册.xlsx", "dry_run": "y", **bad}, page="/s/a/admin/members/import")
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    checked = post_form(client, url, {"key": key, "name": "名册.xlsx", "dry_run": "y", **mapping},
                        page="/s/a/admin/members/import", follow_redirects=True)
    assert "全部 2 行均有效" in checked.get_data(as_text=True) and _count(a) == 0
    # the next file with the same columns goes straight to the check, with last time's mapping
    again = _upload(client, _foreign_xlsx(), "名册（二）.xlsx", False)
    assert "/import/jobs/" in again.request.path and "新增会员 2 人" in again.get_data(as_text=True)
    with society_context(a.id):
        assert sorted(db.session.scalars(select(Member.name))) == ["张伟", "王静"]
        assert db.session.scalar(select(Member.mobile).where(Member.name == "王静")) == "13800000002"
    # the mapping can still be changed from a check's result, and the form shows the remembered choice
    page = _upload(client, _foreign_xlsx(), "名册（三）.xlsx", True).get_data(as_text=True)
    form = dict(re.findall(r'name="(key|name|col-\d+)"[^>]*value="([^"]*)"', page))
    change = post_form(client, url, {**form, "change": "1"}, page="/s/a/admin/members/import")
    assert _selects(change.get_data(as_text=True)) == mapping
    # an imported roster (ID numbers in clear) does not stay on disk; a checked one is kept for the import
    folder = Path(app.config.get("UPLOAD_DIR") or Path(app.instance_path) / "uploads") / "imports" / a.id.hex
    assert sorted(p.name for p in folder.iterdir()) == sorted({key, form["key"]})


def test_a_stored_roster_of_another_society_is_not_found(app, client, session):
    data = two_societies()
    a, people = data["a"]
    b, people_b = data["b"]
    for s in (a, b):
        with_classes(s)
    login(client, people_b["staff"].email)
    page = post_form(client, "/s/b/admin/members/import", {"file": (io.BytesIO(_foreign_xlsx()), "b.xlsx"), "dry_run": "y"},
                     content_type="multipart/form-data").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    client.get("/logout")
    login(client, people["staff"].email)
    for stolen in (key, "../" + key, "x"):
        response = post_form(client, "/s/a/admin/members/import/map", {"key": stolen, "name": "b.xlsx", "col-0": "name"},
                             page="/s/a/admin/members/import", follow_redirects=True)
        assert "上传的文件已不存在" in response.get_data(as_text=True)
    assert _count(a) == 0 and _count(b) == 0


def test_import_job_shows_progress_until_the_worker_has_run_it(app, client, session, monkeypatch):
    from society_saas.core import jobs

    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    rows = [["", "会员", f"会员{i}", "", "", f"139{i:08d}", "示例大学", "否", "正常"] for i in range(4500)]
    app.config["JOBS_RUN_INLINE"] = False
    login(client, people["staff"].email)
    queued = _upload(client, _xlsx(rows), "big.xlsx", False)
    page = queued.get_data(as_text=True)
    assert "<progress" in page and 'hx-trigger="every 2s"' in page and _count(a) == 0
    seen, aside = [], []
    real, real_aside = jobs.set_progress, jobs.set_progress_aside
    monkeypatch.setattr(jobs, "set_progress", lambda job, p: (seen.append(p), real(job, p)))
    monkeypatch.setattr(jobs, "set_progress_aside", lambda job, p: (aside.append(p), real_aside(job, p)))
    with app.test_request_context("/"):
        assert jobs.run_pending() == 1
        postgres = db.is_postgres
    moving = [5 + 90 * 2000 // 4500, 5 + 90 * 4000 // 4500]  # every 2,000 rows
    if postgres:  # rows are written as they are checked: the progress goes beside the open transaction
        assert (seen, aside) == ([5], moving)
    else:  # SQLite checks first, committing the progress, then writes
        assert (seen, aside) == ([5, *moving], [])
    fragment = client.get(queued.request.path, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<progress" not in fragment and "hx-trigger" not in fragment and "新增会员 4500 人" in fragment
    assert _count(a) == 4500
    client.get("/logout")
    login(client, data["b"][1]["staff"].email)
    assert client.get(queued.request.path.replace("/s/a/", "/s/b/")).status_code == 404


def test_problems_name_the_column_as_the_file_calls_it(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    login(client, people["staff"].email)
    page = _upload(client, _foreign_xlsx(), "名册.xlsx", True).get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    wrong_class = {"col-0": "name", "col-1": "status", "col-2": "id_number", "col-3": "mobile", "col-4": ""}
    response = post_form(client, "/s/a/admin/members/import/map", {"key": key, "name": "名册.xlsx", "dry_run": "y",
                                                                   **wrong_class},
                         page="/s/a/admin/members/import", follow_redirects=True)
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", response.get_data(as_text=True))
    assert ("2", "Class") in cells and ("2", "会员类别") in cells  # the status column, and no class column at all
