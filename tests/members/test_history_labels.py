"""A member's history reads in the user's language: kinds, statuses, classes and the import marker."""
import io
import re

from openpyxl import Workbook
from sqlalchemy import select

from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, with_classes


def test_imported_members_history_is_translated(app, client, session):
    a, people = two_societies()["a"]
    with_classes(a)
    wb = Workbook()
    wb.active.append(["会员类别", "姓名", "证件号码", "手机"])
    wb.active.append(["会员", "张伟", VALID_IDS[1], "13800000001"])
    buf = io.BytesIO()
    wb.save(buf)
    login(client, people["staff"].email)
    post_form(client, "/s/a/admin/members/import", {"file": (io.BytesIO(buf.getvalue()), "roster.xlsx")},
              content_type="multipart/form-data")
    with society_context(a.id):
        member_id = db.session.scalar(select(Member.id))
    page = client.get(f"/s/a/admin/members/{member_id}").get_data(as_text=True)
    history = page[page.index("会籍变更记录"):]
    cells = [c.strip() for c in re.findall(r"<td>([^<]*)</td>", history)]
    assert cells[1:6] == ["入会", "→ 正常", "→ 会员", "", "名册导入"], cells
    assert "名册导入" in history and "active" not in history and "admitted" not in history and "import<" not in history
    english = client.get(f"/s/a/admin/members/{member_id}?lang=en").get_data(as_text=True)
    assert "Admitted" in english and "roster import" in english
