"""The treasurer finds an invoice that received more than it is for on the dues page and refunds the excess,
in a real browser on the demo data."""
import re

import pytest
from sqlalchemy import select

from society_saas.dues import services as dues
from society_saas.dues.models import Invoice, InvoiceState
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society
from tests.browser.demo_journey import flash, ids_used_twice
from tests.browser_support import fits_width, log_in, shoot

pytestmark = pytest.mark.browser

STAFF = "staff@cs.demo"


def _overpaid_invoice(app) -> tuple[str, int, str]:
    """An open invoice of the computer society of at least 100 yuan: all but 10 yuan paid in cash, then the
    dues reduced by 60 yuan, which leaves 50 yuan received beyond the amount. (invoice id, year, member name)"""
    with app.test_request_context("/"):
        society = db.session.scalar(select(Society).where(Society.slug == "cs"))
        with society_context(society.id):
            invoice = db.session.scalars(select(Invoice).where(Invoice.state == InvoiceState.open,
                                                               Invoice.amount_fen >= 10000).order_by(Invoice.id)).first()
            member = db.session.get(Member, (society.id, invoice.member_id))
            dues.record_payment(society, None, invoice, {"method": "cash", "amount": (invoice.amount_fen - 1000) / 100})
            dues.grant_exemption(society, None, member, {"dues_year": invoice.dues_year, "kind": "reduced",
                                                         "amount": (invoice.amount_fen - 6000) / 100, "reason": "困难减免"})
            db.session.commit()
            return str(invoice.id), invoice.dues_year, member.name


def _check(page, name: str) -> None:
    shoot(page, name)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert fits_width(page), f"{page.url} scrolls sideways at {page.viewport_size}"
    assert not ids_used_twice(page), page.url


def test_the_treasurer_refunds_what_an_invoice_received_beyond_its_amount(app, page, live_server, demo):
    invoice_id, year, name = _overpaid_invoice(app)
    base = live_server
    log_in(page, base, STAFF)
    page.goto(f"{base}/s/cs/admin/dues/?year={year}")
    notice = page.locator(".flash-error", has_text="张发票收款超过应缴金额")
    assert notice.is_visible() and "50.00" in notice.inner_text()
    _check(page, "overpaid-dues-page")
    notice.get_by_role("link", name=re.compile(name)).click()
    page.wait_for_url(f"**/admin/dues/invoices/{invoice_id}")
    assert "多收（元）" in page.locator("main").inner_text()
    form = page.locator("form[action$='/refund']")
    assert form.get_by_label("金额（元）").input_value() == "50.00"  # the excess, offered
    _check(page, "overpaid-invoice")
    form.get_by_label("原因").fill("退还多缴部分")
    with page.expect_navigation():
        form.get_by_role("button", name="退款").click()
    assert "退款已登记。" in flash(page)
    assert "多收（元）" not in page.locator("main").inner_text()
    _check(page, "overpaid-invoice-refunded")
    page.goto(f"{base}/s/cs/admin/dues/?year={year}")
    assert page.locator(".flash-error", has_text="张发票收款超过应缴金额").count() == 0
