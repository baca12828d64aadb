"""The annual assessment in a real browser, on the demo data: the association publishes a scheme, a society
self-reports with evidence, an assessor scores it, the association finalises, and the ranking and the
society's breakdown (with its chart) show."""
from datetime import date

import pytest

from tests.browser.demo_journey import assert_page_ok, flash, login
from tests.browser_support import shoot

pytestmark = pytest.mark.browser

SOCIETY = "示例市计算机学会"
EVIDENCE = b"%PDF-1.4\n% evidence: list of journal papers 2027\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _make_assessor():
    from society_saas.accounts import services as accounts
    from society_saas.accounts.models import AssociationRoleName
    from society_saas.extensions import db

    user = accounts.register_user("周评审", "demo1234", email="assessor@kx.demo")
    accounts.grant_association_role(user, AssociationRoleName.assessor)
    db.session.commit()


def _open_scheme(page, base, title: str, shot: str | None = None):
    page.goto(f"{base}/association/")
    if shot:
        assert_page_ok(page)
        shoot(page, f"{shot}-console")
    page.get_by_role("navigation", name="科协管理台").get_by_role("link", name="年度工作考核").click()
    page.wait_for_url("**/association/assessment/")
    page.get_by_role("link", name=title).click()
    page.wait_for_url("**/association/assessment/*")


def _add_indicator(page, code, name, category, weight, kind, rule, metric=None, floor=None, target=None):
    form = page.locator("form").filter(has=page.get_by_role("button", name="添加"))
    form.get_by_label("编号").fill(code)
    form.get_by_label("指标", exact=True).fill(name)
    form.get_by_label("类别").fill(category)
    form.get_by_label("权重").fill(weight)
    form.get_by_label("类型").select_option(kind)
    if metric:
        form.get_by_label("统计项").select_option(metric)
    form.get_by_label("规则").select_option(rule)
    if floor is not None:
        form.get_by_label("下限").fill(floor)
        form.get_by_label("目标值").fill(target)
    form.get_by_role("button", name="添加").click()
    page.wait_for_url("**/association/assessment/*")
    assert page.get_by_role("row").filter(has_text=name).filter(has_text=code).count() == 1


def test_assessment_year_from_scheme_to_ranking(page, live_server, demo, app, session, tmp_path):
    _make_assessor()
    base, step = live_server, "assessment-journey"
    year = date.today().year - 2  # a year that has ended: only then can it be frozen and finalised
    title = f"{year}年度学会工作考核"

    # 1. The association drafts the year's scheme, adds its indicators and publishes it.
    login(page, base, "admin@kx.demo", shot=f"{step}-00-login")
    page.goto(f"{base}/association/assessment/")
    assert_page_ok(page)
    shoot(page, f"{step}-01-schemes")
    page.get_by_label("年度").fill(str(year))
    page.get_by_label("名称").fill(title)
    page.get_by_role("button", name="创建").click()
    page.wait_for_url("**/association/assessment/*-*")
    _add_indicator(page, "C1", "党组织建设", "党建", "30", "computed", "yes_no", metric="party_organisation")
    _add_indicator(page, "S1", "期刊与论文", "学术交流", "30", "self_reported", "linear", floor="0", target="10")
    _add_indicator(page, "A1", "专家综合评议", "综合", "40", "assessor", "linear")
    assert_page_ok(page)
    shoot(page, f"{step}-02-scheme-draft")
    page.get_by_role("button", name="发布").click()
    page.wait_for_url("**/association/assessment/*")
    assert "学会自评" in page.locator("main").inner_text()

    # 2. The society self-reports with evidence.
    login(page, base, "secretary@cs.demo")
    page.goto(f"{base}/s/cs/admin/")
    assert_page_ok(page)
    shoot(page, f"{step}-03-secretariat-home")
    page.get_by_role("navigation", name="秘书处").get_by_role("link", name="年度工作考核").click()
    page.wait_for_url("**/admin/assessment/")
    assert_page_ok(page)
    shoot(page, f"{step}-03-society-years")
    page.get_by_role("link", name=title).click()
    page.wait_for_url("**/admin/assessment/*")
    row = page.get_by_role("group", name="S1 期刊与论文")
    row.get_by_label("数值").fill("8")
    row.get_by_label("备注").fill("2027年在核心期刊发表论文 8 篇")
    row.get_by_label("佐证材料").set_input_files({"name": "论文清单.pdf", "mimeType": "application/pdf",
                                               "buffer": EVIDENCE})
    row.get_by_role("button", name="保存").click()
    page.wait_for_url("**/admin/assessment/*")
    assert "已保存" in flash(page)
    assert page.get_by_role("link", name="论文清单.pdf").is_visible()
    assert_page_ok(page)
    shoot(page, f"{step}-04-self-report")

    # 3. The association assigns the assessor and freezes the computed metrics.
    login(page, base, "admin@kx.demo")
    _open_scheme(page, base, title)
    page.get_by_label("学会", exact=True).select_option(label=SOCIETY)
    page.get_by_label("评审专家", exact=True).select_option(label="周评审")
    page.get_by_role("button", name="分配").click()
    page.wait_for_url("**/association/assessment/*")
    assert page.get_by_role("row").filter(has_text="周评审").count() == 1
    page.get_by_role("button", name="冻结计算指标").click()
    page.wait_for_url("**/association/assessment/*")
    assert_page_ok(page)
    shoot(page, f"{step}-05-frozen")

    # 4. The assessor reads the evidence and scores the society.
    login(page, base, "assessor@kx.demo")
    _open_scheme(page, base, title, shot=f"{step}-06-assessor")
    page.get_by_role("row").filter(has_text=SOCIETY).get_by_role("link", name="评分").click()
    page.wait_for_url("**/score/*")
    assert "2027年在核心期刊发表论文 8 篇" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="论文清单.pdf").click()
    assert download.value.suggested_filename == "论文清单.pdf"
    assert_page_ok(page)
    shoot(page, f"{step}-06-score")
    page.get_by_label("A1 专家综合评议").fill("35")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/association/assessment/*")
    assert "已保存" in flash(page)

    # 5. The association finalises; the ranking shows with its chart.
    login(page, base, "admin@kx.demo")
    _open_scheme(page, base, title)
    page.get_by_role("button", name="确定等次与排行").click()
    page.wait_for_url("**/association/assessment/*")
    page.get_by_role("link", name="排行", exact=True).click()
    page.wait_for_url("**/ranking")
    page.wait_for_selector(".chart[data-chart=ranking] canvas")
    cs = page.get_by_role("row").filter(has_text=SOCIETY)
    # party organisation 30 + 8 of 10 papers (24) + assessor 35 = 89
    assert "89.0" in cs.inner_text() and "良好" in cs.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-07-ranking")

    # 6. The society sees its breakdown with the chart.
    login(page, base, "secretary@cs.demo")
    page.goto(f"{base}/s/cs/admin/assessment/")
    page.get_by_role("link", name=title).click()
    page.wait_for_url("**/admin/assessment/*")
    main = page.locator("main").inner_text()
    assert "89.0" in main and "良好" in main
    chart = page.locator(".chart[data-chart=breakdown]")
    page.wait_for_selector(".chart[data-chart=breakdown] canvas")
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 150
    assert_page_ok(page)
    shoot(page, f"{step}-08-society-breakdown")
