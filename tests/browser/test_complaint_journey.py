"""A member files a complaint in the portal, the secretariat answers it, the member reads the answer and
closes it, in a real browser on the demo data."""
import re

import pytest

from tests.browser.demo_journey import flash, ids_used_twice
from tests.browser_support import fits_width, log_in, shoot

pytestmark = pytest.mark.browser

SLUG = "cs"
MEMBER = "member@cs.demo"
STAFF = "staff@cs.demo"
SUBJECT = "学术年会注册费发票未收到"
BODY = "我于十月参加学会学术年会并缴纳了注册费，至今未收到电子发票，请秘书处帮助查询。"
REPLY = "您好，已核实您的缴费记录，电子发票已于今日重新发送至您登记的邮箱，请查收。"


def _check(page, name: str) -> None:
    """Screenshot the page, and check it is Chinese and fits the screen."""
    shoot(page, name)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert fits_width(page), f"{page.url} scrolls sideways at {page.viewport_size}"
    duplicates = ids_used_twice(page)
    assert not duplicates, f"ids used twice on {page.url} (a label binds to the first only): {duplicates}"


def _submit(page, button) -> None:
    """Click a button that posts a form, and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def _my_card(page):
    return page.locator("section.card", has=page.get_by_role("heading", name=re.compile(SUBJECT)))


def test_member_complains_and_reads_the_answer(page, live_server, demo):
    base = live_server

    # the member files the complaint from the portal
    log_in(page, base, MEMBER)
    page.goto(f"{base}/s/{SLUG}/me/")
    page.get_by_role("link", name="诉求反映与反馈").click()
    page.wait_for_url("**/me/requests/")
    page.get_by_label("主题").fill(SUBJECT)
    page.get_by_label("诉求内容").fill(BODY)
    _check(page, "complaint-member-new")
    _submit(page, page.get_by_role("button", name="提交"))
    page.wait_for_url("**/me/requests/")
    assert "您的诉求已提交秘书处。" in flash(page)
    card = _my_card(page)
    assert card.get_by_role("heading").inner_text().endswith("待处理")
    assert BODY in card.inner_text()
    _check(page, "complaint-member-filed")

    # the secretariat finds it from its start page and answers
    log_in(page, base, STAFF)
    page.goto(f"{base}/s/{SLUG}/admin/")
    page.get_by_role("link", name=re.compile("待处理的会员诉求")).click()
    page.wait_for_url("**/admin/members/requests/")
    row = page.get_by_role("row", name=re.compile(SUBJECT))
    assert "待处理" in row.inner_text()
    _check(page, "complaint-secretariat-list")
    row.get_by_role("link", name=SUBJECT).click()
    page.wait_for_url(re.compile(r"/admin/members/requests/[0-9a-f-]{36}$"))
    assert page.get_by_role("heading", name=SUBJECT).is_visible()
    assert BODY in page.locator("blockquote").inner_text()
    page.get_by_label("答复").fill(REPLY)
    _check(page, "complaint-secretariat-answer")
    _submit(page, page.get_by_role("button", name="发送答复"))
    assert "诉求已更新。" in flash(page)
    assert "已答复" in page.locator("main").inner_text()
    assert REPLY in page.locator("main").inner_text()
    _check(page, "complaint-secretariat-answered")

    # the member reads the answer, and closes the request
    log_in(page, base, MEMBER)
    page.goto(f"{base}/s/{SLUG}/me/requests/")
    card = _my_card(page)
    assert card.get_by_role("heading").inner_text().endswith("已答复")
    assert f"答复: {REPLY}" in card.inner_text()
    _check(page, "complaint-member-answered")
    _submit(page, card.get_by_role("button", name="办结"))
    page.wait_for_url("**/me/requests/")
    card = _my_card(page)
    assert card.get_by_role("heading").inner_text().endswith("已办结")
    assert card.get_by_role("button", name="办结").count() == 0
    _check(page, "complaint-member-closed")
