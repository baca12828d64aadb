"""The secretariat's working day in a real browser, on the demo data: import a roster from Excel (a bad row
found by the dry run, fixed, imported), search the ledger, record a council meeting, record a large fund use
(三重一大) decided at it with its vote, and export the register as a Chinese PDF."""
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from tests.browser.demo_journey import (assert_page_ok, download_pdf, embedded_cjk_fonts, flash, login,
                                        pdf_fonts, resident_id)
from tests.browser_support import shoot

pytestmark = pytest.mark.browser

HEADER = ["会员类别", "姓名", "性别", "证件号码", "手机", "工作单位", "职称"]
ROWS = [
    ["会员", "欧阳明远", "男", resident_id("500103", "19850312", "201"), "13800138001", "示例大学计算机学院", "副教授"],
    ["会员", "司马晓岚", "女", resident_id("500104", "19900708", "302"), "13800138002", "示例软件有限公司", "工程师"],
    ["学生会员", "诸葛云帆", "男", resident_id("500105", "20010115", "113"), "13800138003", "示例大学", ""],
]


def _roster(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "会员名册"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _mistyped(number: str) -> str:
    """The ID number with its check digit wrong, as after a slip on the keyboard."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def _upload(page, rows, dry_run: bool):
    page.get_by_label("名册文件（xlsx 或 CSV）").set_input_files(
        {"name": "会员名册.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": _roster(rows)})
    page.get_by_label("试运行：只检查，不导入").set_checked(dry_run)
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()


def test_secretariat_imports_records_and_exports(page, live_server, demo, app, session, tmp_path):
    base, step = live_server, "secretariat-journey"
    login(page, base, "secretary@cs.demo", shot=f"{step}-00-login")

    # 1. Import: the dry run finds the mistyped ID number in row 3 and imports nothing.
    page.goto(f"{base}/s/cs/admin/members/")
    assert_page_ok(page)
    shoot(page, f"{step}-00-ledger")
    page.get_by_role("link", name="导入", exact=True).click()
    page.wait_for_url("**/admin/members/import")
    assert_page_ok(page)
    shoot(page, f"{step}-01-import")
    typo = [list(r) for r in ROWS]
    typo[1][3] = _mistyped(typo[1][3])
    _upload(page, typo, dry_run=True)
    alert = page.get_by_role("alert")
    assert "发现 1 处问题，未导入任何数据。" in alert.inner_text()
    problem = page.locator("table tbody tr").first
    assert problem.locator("td").nth(0).inner_text() == "3"
    assert problem.locator("td").nth(1).inner_text() == "证件号码"
    assert_page_ok(page)
    shoot(page, f"{step}-02-import-dry-run-problem")

    # The secretariat corrects the number in Excel and checks the file again, then imports it.
    fixed = ROWS
    _upload(page, fixed, dry_run=True)
    assert "全部 3 行均有效" in page.get_by_role("status").inner_text()
    shoot(page, f"{step}-03-import-dry-run-clean")
    _upload(page, fixed, dry_run=False)
    assert "新增会员 3 人，更新 0 人，0 人无变化。" in flash(page)
    assert_page_ok(page)
    shoot(page, f"{step}-04-import-done")

    # 2. The ledger finds an imported member by name.
    page.goto(f"{base}/s/cs/admin/members/")
    page.get_by_role("searchbox", name="搜索").fill("司马晓岚")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/admin/members/?q=*")
    row = page.get_by_role("row").filter(has_text="司马晓岚")
    assert row.count() == 1 and "示例软件有限公司" in row.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-05-ledger-search")
    row.get_by_role("link", name="司马晓岚").click()
    page.wait_for_url("**/admin/members/*")
    assert "138****8002" in page.locator("main").inner_text() or "13800138002" in page.locator("main").inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-06-member")

    # 3. A council meeting, then its attendance by name from the council's roster.
    held = date.today() - timedelta(days=3)
    title = f"第五届理事会{held.year}年临时会议"
    page.goto(f"{base}/s/cs/admin/governance/meetings")
    assert_page_ok(page)
    shoot(page, f"{step}-07-meetings")
    form = page.locator("form.form").last
    form.get_by_label("机构").select_option(label="理事会")
    form.get_by_label("名称").fill(title)
    form.get_by_label("召开日期").fill(held.isoformat())
    form.get_by_label("应到人数").fill("24")
    form.get_by_label("议程").fill("审议学术年会场地租赁及会务经费预算")
    form.get_by_role("button", name="保存").click()
    page.wait_for_url("**/admin/governance/meetings")
    assert flash(page)
    page.get_by_role("link", name=title).click()
    page.wait_for_url("**/admin/governance/meetings/*")
    rows = int(page.locator("input[name=rows]").input_value())
    assert rows == 24  # the council's roster on the day
    absent = {0, 5}
    for i in range(rows):
        page.locator(f"select[name=status-{i}]").select_option("absent" if i in absent else "present")
    page.get_by_role("button", name="保存出席情况").click()
    page.wait_for_url("**/admin/governance/meetings/*")
    assert "22" in page.locator("#quorum").inner_text() and "24" in page.locator("#quorum").inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-08-meeting-attendance")
    meeting_url = page.url

    # 4. The large fund use decided at that meeting, with the vote and a recusal.
    page.goto(f"{base}/s/cs/admin/decisions/")
    page.get_by_role("link", name="记录决策").click()
    page.wait_for_url("**/admin/decisions/new")
    assert_page_ok(page)
    shoot(page, f"{step}-09-decision-form")
    page.get_by_label("事项类别").select_option(label="大额度资金使用")
    page.get_by_label("事项", exact=True).fill("2027年学术年会场地租赁及会务经费")
    page.get_by_label("事项说明").fill("年会场地租赁、会务及专家差旅，合计二十五万元。")
    page.get_by_label("提出人").fill("秘书处")
    page.get_by_label("金额（元）").fill("250000")
    meeting_choice = page.get_by_label("会议", exact=True)
    meeting_choice.select_option(label=next(o for o in meeting_choice.locator("option").all_inner_texts()
                                             if title in o))
    page.get_by_label("回避人员（以逗号或顿号分隔）").fill("王伟")
    page.get_by_label("赞成票").fill("18")
    page.get_by_label("反对票").fill("2")
    page.get_by_label("弃权票").fill("1")
    page.get_by_label("表决结果").select_option("adopted")
    page.get_by_label("监事会").select_option("present")
    page.get_by_label("党组织是否已前置研究").select_option("yes")
    page.get_by_role("button", name="记录", exact=True).click()
    page.wait_for_url("**/admin/decisions/*-*")
    assert "已记入决策日志" in flash(page) or "第" in flash(page)
    main = page.locator("main").inner_text()
    assert "2027年学术年会场地租赁及会务经费" in main and "250,000.00" in main and title in main
    assert_page_ok(page)
    shoot(page, f"{step}-10-decision")

    # The meeting's page now lists the decision with its vote.
    page.goto(meeting_url)
    taken = page.get_by_role("listitem").filter(has_text="2027年学术年会场地租赁及会务经费")
    assert "18" in taken.inner_text() and "2" in taken.inner_text()
    shoot(page, f"{step}-11-meeting-decisions")

    # 5. The register, filtered to large fund use, exported as a PDF with embedded Chinese fonts.
    page.goto(f"{base}/s/cs/admin/decisions/")
    page.get_by_label("类型", exact=True).select_option("large_fund_use")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/admin/decisions/?kind=large_fund_use*")
    assert page.get_by_role("link", name="2027年学术年会场地租赁及会务经费").is_visible()
    assert_page_ok(page)
    shoot(page, f"{step}-12-register")
    pdf = download_pdf(page, page.get_by_role("link", name="导出 PDF"), tmp_path)
    fonts = embedded_cjk_fonts(pdf_fonts(pdf))
    assert fonts, pdf_fonts(pdf)


def test_secretariat_prints_the_certificates_of_a_class(page, live_server, demo, app, session, tmp_path):
    """The ledger filtered to one class, its current members' certificates printed by a job: a preview of how
    many, the job's page, one PDF with a page each and the Chinese fonts embedded."""
    import re
    import subprocess

    base, step = live_server, "certificate-print"
    login(page, base, "secretary@cs.demo")
    page.goto(f"{base}/s/cs/admin/members/")
    page.locator("select[name=class_code]").select_option(label="会员")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/admin/members/?*class_code=member*")
    page.get_by_role("link", name="打印所列会员的证书").click()
    page.wait_for_url("**/admin/members/certificates/print?*class_code=member*")
    assert_page_ok(page)
    shoot(page, f"{step}-01-preview")
    count = int(re.search(r"当前有效会员 (\d+) 人", page.locator("main").inner_text()).group(1))
    assert count > 0
    page.get_by_role("button", name=f"打印 {count} 张证书").click()
    page.wait_for_url("**/admin/members/certificates/jobs/*")
    assert f"{count} 张证书已生成" in page.get_by_role("status").inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-02-ready")
    pdf = download_pdf(page, page.get_by_role("link", name="下载证书（PDF）"), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"Pages:\s+{count}\n", info), info
    assert embedded_cjk_fonts(pdf_fonts(pdf)), pdf_fonts(pdf)
