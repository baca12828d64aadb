"""Renewal (换届) in a real browser, on the demo data: the society submits its plan and candidates, the
association's pre-review returns it with a comment, the society reads the comment and resubmits, the
association approves, and the society records its general assembly."""
from datetime import date

import pytest

from tests.browser.demo_journey import assert_page_ok, flash, login
from tests.browser_support import shoot

pytestmark = pytest.mark.browser

SOCIETY = "示例市计算机学会"
COMMENT = "理事候选人中45岁以下人员比例不足三分之一，请补充青年候选人后重新报送。"


def _review(page, base, decision_label: str, comment: str, step: str):
    """The association opens the society's renewal from the overview and records its pre-review."""
    login(page, base, "admin@kx.demo")
    page.goto(f"{base}/association/")
    assert_page_ok(page)
    shoot(page, f"{step}-console")
    page.get_by_role("navigation", name="科协管理台").get_by_role("link", name="换届").click()
    page.wait_for_url("**/association/renewals/")
    row = page.get_by_role("row").filter(has_text=SOCIETY)
    assert "待前置审核" in row.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-overview")
    row.get_by_role("link", name="待前置审核").click()
    page.wait_for_url("**/association/renewals/*/*")
    assert page.get_by_role("heading", name="候选人名单").is_visible()
    assert_page_ok(page)
    shoot(page, f"{step}-detail")
    page.get_by_label("审核结论").select_option(label=decision_label)
    page.get_by_label("意见").fill(comment)
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_url("**/association/renewals/*/*")
    assert flash(page)
    assert_page_ok(page)
    shoot(page, f"{step}-decided")


def _society_renewal(page, base, shot: str | None = None):
    login(page, base, "secretary@cs.demo", shot=shot and f"{shot}-login")
    page.goto(f"{base}/s/cs/admin/")
    if shot:
        assert_page_ok(page)
        shoot(page, f"{shot}-secretariat-home")
    page.get_by_role("navigation", name="秘书处").get_by_role("link", name="换届").click()
    page.wait_for_url("**/admin/governance/renewal")


def _submit(page, plan: str, candidates: str):
    section = page.locator("section.card").first
    section.get_by_label("换届工作方案").fill(plan)
    section.get_by_label("候选人名单（每行一人）").fill(candidates)
    section.get_by_role("button", name="报送").click()
    page.wait_for_url("**/admin/governance/renewal")


def test_renewal_is_returned_resubmitted_and_approved(page, live_server, demo, app, session, tmp_path):
    base, step = live_server, "renewal-journey"

    # The society prepares its renewal: the demo opened it; the secretariat submits plan and candidates.
    _society_renewal(page, base, shot=f"{step}-00")
    section = page.locator("section.card").first
    assert "筹备中" in section.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-01-preparing")
    _submit(page, "拟于本届理事会任期届满前召开第六次会员代表大会，选举产生第六届理事会、监事会。",
            "理事长候选人：陈建国\n秘书长候选人：刘静\n理事候选人 24 名（名单附后）")
    assert "待前置审核" in page.locator("section.card").first.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-02-submitted")

    # The association's pre-review returns it with a comment.
    _review(page, base, "退回修改（附意见）", COMMENT, f"{step}-03-return")
    assert "已退回" in page.locator("main").inner_text() and COMMENT in page.locator("main").inner_text()

    # The society sees the comment and resubmits.
    _society_renewal(page, base)
    section = page.locator("section.card").first
    assert COMMENT in section.inner_text() and "已退回" in section.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-04-returned")
    _submit(page, "拟于本届理事会任期届满前召开第六次会员代表大会，选举产生第六届理事会、监事会；已补充青年候选人。",
            "理事长候选人：陈建国\n秘书长候选人：刘静\n理事候选人 24 名，其中45岁以下 9 名（名单附后）")
    section = page.locator("section.card").first
    assert "待前置审核" in section.inner_text() and "重新报送换届方案" in section.inner_text()
    shoot(page, f"{step}-05-resubmitted")

    # The association approves.
    _review(page, base, "审核通过", "同意按方案组织换届。", f"{step}-06-approve")
    assert "前置审核通过" in page.locator("main").inner_text()

    # The society sees the approval and records its general assembly.
    _society_renewal(page, base)
    section = page.locator("section.card").first
    assert "前置审核通过" in section.inner_text()
    section.get_by_label("会员（代表）大会召开日期").fill(date.today().isoformat())
    section.get_by_role("button", name="登记会员（代表）大会").click()
    page.wait_for_url("**/admin/governance/renewal")
    assert "已召开会员（代表）大会" in page.locator("section.card").first.inner_text()
    assert_page_ok(page)
    shoot(page, f"{step}-07-assembly-held")
