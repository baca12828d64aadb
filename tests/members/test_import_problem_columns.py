"""The import's problem table names each field by the column header the secretariat used in the file."""
import io
import re

from openpyxl import Workbook

from tests.conftest import login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, with_classes


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["会员类别", "姓名", "证件号码", "手机"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_problem_rows_show_the_files_column_header(app, client, session):
    a, people = two_societies()["a"]
    with_classes(a)
    login(client, people["staff"].email)
    rows = [["会员", "张伟", VALID_IDS[1], "13800000001"], ["会员", "王静", "110101199003074478", "13800000002"]]
    response = post_form(client, "/s/a/admin/members/import",
                         {"file": (io.BytesIO(_xlsx(rows)), "roster.xlsx"), "dry_run": "y"},
                         content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200 and "/import/jobs/" in response.request.path
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", response.get_data(as_text=True))
    assert cells == [("3", "证件号码")]
