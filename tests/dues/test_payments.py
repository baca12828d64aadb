"""Payments, vouchers, refunds, receipts: partial amounts, reasons, gapless numbers, Chinese capitals."""
import io
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import func, select

from society_saas.core.errors import ServiceError
from society_saas.dues import services as dues
from society_saas.dues.models import InvoiceState, Payment, PaymentState, Receipt, ReceiptCounter
from society_saas.dues.services.common import parse_fen, yuan
from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society, invoice_of
from tests.factories import make_society


@pytest.mark.parametrize("yuan_text, fen, capitals", [
    ("0.05", 5, "伍分"),
    ("10,000.00", 1_000_000, "壹万元整"),
    ("1,000,000.10", 100_000_010, "壹佰万元壹角"),
])
def test_chinese_capitals_of_awkward_amounts(yuan_text, fen, capitals):
    assert parse_fen(yuan_text) == fen and isinstance(parse_fen(yuan_text), int)
    assert yuan(fen) == yuan_text
    assert dues.amount_in_capitals(fen) == capitals


def test_amounts_never_go_through_floats(rq):
    assert parse_fen("0.1") + parse_fen("0.2") == parse_fen("0.3") == 30
    for bad in ("1.234", "abc", "-5", "1e3"):
        with pytest.raises(ServiceError):
            parse_fen(bad)


def _setup(n=3):
    a = make_society("a")
    ids = dues_society(a, members=n)["member_ids"]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        db.session.commit()
    return a, ids


def test_partial_payments_then_paid_extends_membership(app, rq):
    a, ids = _setup()
    with society_context(a.id):
        member = db.session.get(Member, (a.id, ids[0]))
        member.status, member.valid_until = MemberStatus.grace, date(YEAR - 1, 12, 31)
        db.session.commit()
        inv = invoice_of(ids[0])
        dues.record_payment(a, None, inv, {"method": "cash", "amount": "50.00"})
        assert inv.state == InvoiceState.partly_paid and inv.paid_fen == 5000
        with pytest.raises(ServiceError):
            dues.record_payment(a, None, inv, {"method": "cash", "amount": "150.01"})  # more than owed
        dues.record_payment(a, None, inv, {"method": "wechat_pay", "amount": "150", "reference": "WX123"})
        db.session.commit()
        assert inv.state == InvoiceState.paid and inv.paid_fen == 20000
        member = db.session.get(Member, (a.id, ids[0]))
        assert member.valid_until == date(YEAR, 12, 31) and member.status == MemberStatus.active
        assert db.session.scalar(select(func.count()).select_from(Receipt)) == 2


def test_voucher_upload_review_and_reject(app, rq):
    a, ids = _setup()
    with society_context(a.id):
        with pytest.raises(ServiceError):
            dues.submit_voucher(a, None, invoice_of(ids[0]), io.BytesIO(b"MZ\x90\x00 not an image"), "evil.pdf")
        p1 = dues.submit_voucher(a, None, invoice_of(ids[0]), io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100), "转账.png",
                                 {"reference": "ICBC 0001"})
        p2 = dues.submit_voucher(a, None, invoice_of(ids[1]), io.BytesIO(b"%PDF-1.7 voucher"), "v.pdf")
        db.session.commit()
        assert invoice_of(ids[0]).state == InvoiceState.open  # a voucher alone pays nothing
        dues.confirm_voucher(a, None, p1)
        with pytest.raises(ServiceError):
            dues.reject_voucher(a, None, p2, {"reason": ""})
        dues.reject_voucher(a, None, p2, {"reason": "未查到到账记录"})
        db.session.commit()
        assert invoice_of(ids[0]).state == InvoiceState.paid and invoice_of(ids[1]).state == InvoiceState.open
        assert p2.state == PaymentState.rejected and p2.reject_reason == "未查到到账记录"
        with pytest.raises(ServiceError):
            dues.confirm_voucher(a, None, p2)


def test_refund_needs_a_reason_and_is_audited(app, rq):
    from society_saas.core import audit
    from society_saas.core.audit import AuditEvent

    a, ids = _setup()
    audit.set_actor(None, "staff@a.test")
    with society_context(a.id):
        inv = invoice_of(ids[0])
        payment = dues.record_payment(a, None, inv, {"method": "bank_transfer", "amount": "200"})
        with pytest.raises(ServiceError):
            dues.refund(a, None, payment, {"reason": " "})
        dues.refund(a, None, payment, {"reason": "误缴", "amount": "80"})
        assert inv.state == InvoiceState.partly_paid and inv.paid_fen == 12000
        dues.refund(a, None, payment, {"reason": "退会"})
        db.session.commit()
        assert payment.state == PaymentState.refunded and inv.state == InvoiceState.refunded
        logged = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Payment",
                                                              AuditEvent.action == "update")).all()
        assert any((e.after or {}).get("refund_reason") == "退会" for e in logged)
    audit.clear_actor()


def test_receipt_numbers_are_gapless_per_society_and_year(app, rq):
    a, ids = _setup(6)
    b = make_society("b")
    ids_b = dues_society(b, members=2)["member_ids"]
    with society_context(a.id):
        for i, member_id in enumerate(ids):
            if i == 3:  # a failed transaction takes a number and gives it back
                dues.record_payment(a, None, invoice_of(member_id), {"method": "cash", "amount": "200"})
                db.session.rollback()
            dues.record_payment(a, None, invoice_of(member_id), {"method": "cash", "amount": "200",
                                                                  "paid_on": date(YEAR, 5, 1)})
            db.session.commit()
        numbers = db.session.scalars(select(Receipt.number).order_by(Receipt.seq)).all()
        assert numbers == [f"{YEAR}-{i:06d}" for i in range(1, 7)]
        assert db.session.scalar(select(ReceiptCounter.counter)) == 6
    with society_context(b.id):
        dues.run_invoices(b, None, YEAR)
        dues.record_payment(b, None, invoice_of(ids_b[0]), {"method": "cash", "amount": "200", "paid_on": date(YEAR, 5, 2)})
        db.session.commit()
        assert db.session.scalars(select(Receipt.number)).all() == [f"{YEAR}-000001"]


def test_receipt_pdf_in_chinese_with_embedded_cjk_font(app, rq, tmp_path):
    a, ids = _setup(1)
    with society_context(a.id):
        inv = invoice_of(ids[0])
        dues.set_fapiao(a, None, inv, {"fapiao_title": "示例大学", "fapiao_tax_number": "91110000123456789X"})
        payment = dues.record_payment(a, None, inv, {"method": "alipay", "amount": "200"})
        receipt = db.session.scalar(select(Receipt).where(Receipt.payment_id == payment.id))
        from society_saas.dues.services.receipts import receipt_context

        context = receipt_context(receipt)
        assert context["capitals"] == "贰佰元整" and context["figures"] == "200.00" and context["method"] == "支付宝"
        pdf = dues.receipt_pdf(a, receipt)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
