"""A scientist finds a society, applies with an attachment, is approved, pays dues and gets the documents,
in a real browser on the demo data: once by bank transfer (voucher confirmed by the secretariat), once online
through the Stripe stand-in's checkout page."""
import json
import re
import subprocess
import urllib.request
from pathlib import Path

import pytest

from society_saas.dues.services.common import today_cn
from tests.browser.demo_journey import download_pdf, embedded_cjk_fonts, flash, ids_used_twice, pdf_fonts
from tests.browser_support import fits_width, log_in, shoot
from tests.payments.stripe_standin import StripeStandIn

pytestmark = pytest.mark.browser

SLUG = "cs"
SOCIETY = "示例市计算机学会"
STAFF = "staff@cs.demo"
SECRETARY = "secretary@cs.demo"
NAME = "王晓峰"
EMAIL = "wangxf@example.cn"
PASSWORD = "Kexue-2026!"
WEBHOOK_SECRET = "whsec_browser_journey"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory) -> Path:
    """A real one-page PDF (a scan of a degree certificate, say), made by WeasyPrint."""
    from weasyprint import HTML

    path = tmp_path_factory.mktemp("files") / "学位证书.pdf"
    HTML(string='<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">'
                "<h1>博士学位证书</h1><p>王晓峰 · 计算机科学与技术</p></body></html>").write_pdf(str(path))
    return path


LEFTOVERS = re.compile(r"\b(?:[a-z]+_[a-z_]+|[a-z]+\.[a-z_]+_[a-z_]+|None|True|False)\b")


def _check(page, name: str) -> None:
    """Screenshot the page, and check it is Chinese, fits the screen, and shows no raw codes (work_unit, False)."""
    shoot(page, name)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert fits_width(page), f"{page.url} scrolls sideways at {page.viewport_size}"
    duplicates = ids_used_twice(page)
    assert not duplicates, f"ids used twice on {page.url} (a label binds to the first only): {duplicates}"
    text = page.locator("main").inner_text()
    assert not LEFTOVERS.findall(text.replace(EMAIL, "")), f"raw codes on {page.url}: {LEFTOVERS.findall(text)}"


def qr_links(pdf: Path) -> list[str]:
    """The texts of the QR codes printed on the first page of a PDF (rendered by pdftoppm, read by zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(f"{stem}.png")) if r.format == zxingcpp.BarcodeFormat.QRCode]


def _submit(page, button) -> None:
    """Click a button that posts a form, and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def _apply(page, base, small_pdf):
    """The scientist finds the society from the list of societies and applies, with a PDF attached."""
    page.context.clear_cookies()
    page.goto(f"{base}/")
    _check(page, "join-member-societies")
    page.get_by_role("link", name=SOCIETY).click()
    page.wait_for_url(f"**/s/{SLUG}/")
    assert page.get_by_role("heading", name=SOCIETY).is_visible()
    _check(page, "join-member-society-public")
    page.get_by_role("link", name="申请入会").click()
    page.wait_for_url(f"**/s/{SLUG}/apply/")
    page.get_by_label("会员类别").select_option(label="会员")
    page.get_by_label("姓名（单位会员填写单位名称）").fill(NAME)
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("手机", exact=True).fill("13800138123")
    page.get_by_label("邮箱", exact=True).fill(EMAIL)
    page.get_by_label("工作单位").fill("示例大学计算机学院")
    page.get_by_label("职称", exact=True).fill("副教授")
    page.get_by_label("学科领域").fill("计算机科学与技术")
    page.get_by_label("附件（PDF、JPEG 或 PNG，不超过 5 MB）").set_input_files(str(small_pdf))
    page.get_by_label("新账号密码").fill(PASSWORD)
    _check(page, "join-member-apply")
    _submit(page, page.get_by_role("button", name="提交申请"))
    page.wait_for_url(f"**/s/{SLUG}/apply/status")
    assert "您的入会申请已提交。" in flash(page)
    assert page.get_by_text("已提交").first.is_visible()
    _check(page, "join-member-apply-status")


def _approve(page, base, small_pdf, tmp_path) -> str:
    """The secretariat reviews the application, opens the attachment, approves; returns the member number."""
    log_in(page, base, STAFF)
    page.goto(f"{base}/s/{SLUG}/admin/")
    page.get_by_role("link", name=re.compile("待审核的入会申请")).click()
    page.wait_for_url("**/admin/members/applications/**")
    _check(page, "join-secretariat-applications")
    page.get_by_role("link", name=NAME).click()
    page.wait_for_url(re.compile(f"/applications/{UUID}$"))
    assert page.get_by_role("heading", name=re.compile(NAME)).is_visible()
    attachment = page.get_by_role("link", name=small_pdf.name)
    response = page.request.get(base + attachment.get_attribute("href"))
    assert response.ok and response.body() == small_pdf.read_bytes()
    _check(page, "join-secretariat-application")
    _submit(page, page.get_by_role("button", name="开始审核"))
    assert "审核中" in page.locator("main").inner_text()
    _submit(page, page.get_by_role("button", name="通过", exact=True))
    assert "申请已更新。" in flash(page)
    assert "已通过" in page.locator("main").inner_text()
    _check(page, "join-secretariat-application-approved")

    page.goto(f"{base}/s/{SLUG}/admin/members/")
    page.get_by_role("searchbox").fill(NAME)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/admin/members/?*")
    page.get_by_role("link", name=NAME).click()
    page.wait_for_url(re.compile(f"/admin/members/{UUID}$"))
    number = page.locator("h1 small").inner_text().strip()
    assert re.fullmatch(r"CS\d+", number), number
    _check(page, "join-secretariat-new-member")
    return number


def _invoice_run(page, base) -> None:
    """The secretariat makes this year's invoice for the new member (everyone else already has one)."""
    page.goto(f"{base}/s/{SLUG}/admin/dues/run")
    assert "将新生成 1 张会费账单，合计 200.00 元。" in page.locator("main").inner_text()
    _check(page, "join-secretariat-invoice-run")
    page.get_by_role("button", name="生成会费账单").click()
    page.wait_for_url("**/admin/dues/jobs/*")
    page.locator("#job").get_by_text("已完成").wait_for()
    assert page.get_by_role("heading", name="任务：生成会费账单").is_visible()
    assert "已生成 1 张会费账单。" in page.locator("#job").inner_text()
    _check(page, "join-secretariat-invoice-job")


def _member_sees_invoice(page, base, number) -> None:
    log_in(page, base, EMAIL, PASSWORD)
    page.goto(f"{base}/s/{SLUG}/me/")
    _check(page, "join-member-portal")
    page.get_by_role("link", name="我的资料").click()
    page.wait_for_url("**/me/profile/")
    record = page.locator("dl.record").inner_text()
    assert number in record and NAME in record
    _check(page, "join-member-profile")
    page.goto(f"{base}/s/{SLUG}/me/")
    page.get_by_role("link", name="我的会费").click()
    page.wait_for_url("**/me/dues/")
    card = page.locator("section.card", has_text=str(today_cn().year))
    assert "待缴" in card.locator("h2").inner_text()
    assert "200.00" in card.inner_text()
    _check(page, "join-member-dues-open")


def _documents(page, base, number, tmp_path) -> None:
    """The member downloads the receipt and the certificate, and opens the certificate's QR link."""
    page.goto(f"{base}/s/{SLUG}/me/dues/")
    card = page.locator("section.card", has_text=str(today_cn().year))
    assert "已缴清" in card.locator("h2").inner_text()
    _check(page, "join-member-dues-paid")
    receipt = download_pdf(page, card.get_by_role("link", name=re.compile("收据")), tmp_path)
    assert embedded_cjk_fonts(pdf_fonts(receipt)), "the receipt has no embedded CJK font"

    page.goto(f"{base}/s/{SLUG}/me/")
    certificate = download_pdf(page, page.get_by_role("link", name="会员证书"), tmp_path)
    assert embedded_cjk_fonts(pdf_fonts(certificate)), "the certificate has no embedded CJK font"
    links = qr_links(certificate)
    assert len(links) == 1 and links[0].startswith(f"{base}/verify/"), links
    page.goto(links[0])
    facts = page.locator("dl.record").inner_text()
    assert NAME in facts and number in facts and SOCIETY in facts
    assert "该会籍有效。" in flash(page)
    _check(page, "join-member-certificate-verify")


def test_scientist_joins_and_pays_by_bank_transfer(page, live_server, demo, small_pdf, tmp_path):
    base = live_server
    _apply(page, base, small_pdf)
    number = _approve(page, base, small_pdf, tmp_path)
    _invoice_run(page, base)
    _member_sees_invoice(page, base, number)

    card = page.locator("section.card", has_text=str(today_cn().year))
    card.get_by_label("银行转账凭证（PDF、JPEG 或 PNG）").set_input_files(str(small_pdf))
    card.get_by_label("交易流水号").fill("网银20261129001")
    _submit(page, card.get_by_role("button", name="上传凭证"))
    assert "已收到您的转账凭证，秘书处将尽快确认。" in flash(page)
    card = page.locator("section.card", has_text=str(today_cn().year))
    assert "银行转账 · 200.00 · 待确认" in card.inner_text()
    _check(page, "join-member-dues-voucher")

    log_in(page, base, STAFF)
    page.goto(f"{base}/s/{SLUG}/admin/dues/vouchers")
    row = page.get_by_role("row", name=re.compile(NAME))
    assert "网银20261129001" in row.inner_text()
    _check(page, "join-secretariat-vouchers")
    _submit(page, row.get_by_role("button", name="确认"))
    assert "转账已确认，收据已开具。" in flash(page)
    assert page.get_by_role("row", name=re.compile(NAME)).count() == 0
    _check(page, "join-secretariat-voucher-confirmed")

    log_in(page, base, EMAIL, PASSWORD)
    _documents(page, base, number, tmp_path)


@pytest.fixture
def stripe(app, demo, live_server):
    """The Stripe stand-in, with cs's keys pointing at it and its events posted to the live server's webhook."""
    server = StripeStandIn(WEBHOOK_SECRET).start()

    def deliver(payload: bytes, headers: dict):
        request = urllib.request.Request(f"{live_server}/s/{SLUG}/stripe/webhook", data=payload, headers=headers,
                                         method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    server.deliver = deliver
    app.config["STRIPE_API_BASE"] = server.base
    yield server
    server.stop()


def test_scientist_joins_and_pays_online(page, live_server, demo, stripe, small_pdf, tmp_path):
    base = live_server
    # the secretary-general enters the society's Stripe keys once
    log_in(page, base, SECRETARY)
    page.goto(f"{base}/s/{SLUG}/admin/payments/stripe")
    page.get_by_label("密钥", exact=True).fill("sk_test_browser_journey")
    page.get_by_label("Webhook 签名密钥").fill(WEBHOOK_SECRET)
    _check(page, "join-secretariat-stripe-settings")
    _submit(page, page.get_by_role("button", name="保存"))
    assert "在线缴费已开通。" in page.locator("main").inner_text()
    assert "sk_test_browser_journey" not in page.content()
    _check(page, "join-secretariat-stripe-saved")

    _apply(page, base, small_pdf)
    number = _approve(page, base, small_pdf, tmp_path)
    _invoice_run(page, base)
    _member_sees_invoice(page, base, number)

    card = page.locator("section.card", has_text=str(today_cn().year))
    card.get_by_role("button", name="在线缴费（银行卡、支付宝、微信支付）").click()
    page.wait_for_url(f"{stripe.base}/pay/*")
    assert page.get_by_role("heading", name="Pay 200.00 CNY").is_visible()
    shoot(page, "join-stripe-checkout")
    page.get_by_role("button", name="Pay").click()
    page.wait_for_url("**/me/dues/?paid=1")
    kinds = [e["type"] for e in stripe.sent_events]
    assert kinds == ["checkout.session.completed", "payment_intent.succeeded"]
    assert "谢谢！支付服务确认后，您的缴费将显示在这里。" in flash(page)
    card = page.locator("section.card", has_text=str(today_cn().year))
    assert "已缴清" in card.locator("h2").inner_text()
    assert "银行卡（在线） · 200.00 · 已确认" in card.inner_text()
    _check(page, "join-member-dues-returned")
    _documents(page, base, number, tmp_path)
