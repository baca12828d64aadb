"""Demo dues: three years of schedules, invoices and payments of every method and state (idempotent)."""
import io
from datetime import date, timedelta

from sqlalchemy import select

from society_saas.dues import services as dues
from society_saas.dues.models import Invoice, Payment, PaymentMethod
from society_saas.dues.services.common import today_cn
from society_saas.extensions import db

# A 1x1 PNG: the demo's transfer vouchers.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
METHODS = (PaymentMethod.bank_transfer, PaymentMethod.alipay, PaymentMethod.wechat_pay, PaymentMethod.stripe_card,
           PaymentMethod.cash, PaymentMethod.other)


def seed_dues(society, staff=None) -> None:
    """Give a demo society dues history for the last three years; does nothing if it has invoices."""
    if db.session.scalar(select(Invoice.id)) is not None:
        return
    this_year = today_cn().year
    for year in (this_year - 2, this_year - 1, this_year):
        dues.schedule_from_classes(society, staff, year, due=date(year, 3, 31), grace_days=90)
        dues.run_invoices(society, staff, year)
        invoices = list(db.session.scalars(select(Invoice).where(Invoice.dues_year == year).order_by(Invoice.id)))
        share = {this_year - 2: 0.9, this_year - 1: 0.8, this_year: 0.55}[year]
        paying = int(len(invoices) * share)
        for i, invoice in enumerate(invoices):
            paid_on = min(date(year, 1, 10) + timedelta(days=(i * 7) % 150), today_cn())
            if i < paying:
                _pay(society, staff, invoice, METHODS[i % len(METHODS)], paid_on, i)
            elif i == paying:
                dues.record_payment(society, staff, invoice, {"method": "cash", "amount_fen": invoice.amount_fen // 2,
                                                              "paid_on": paid_on, "reference": "现场缴纳一半"})
            elif i == paying + 1:
                dues.void_invoice(society, staff, invoice, {"reason": "会员已于年初办理退会"})
            elif i == paying + 2 and invoice.amount_fen:
                p = dues.record_payment(society, staff, invoice, {"method": "bank_transfer", "amount_fen": invoice.amount_fen,
                                                                  "paid_on": paid_on, "reference": "重复转账"})
                dues.refund(society, staff, p, {"reason": "会员重复缴费，原路退回"})
            elif i == paying + 3:
                v = dues.submit_voucher(society, None, invoice, io.BytesIO(PNG), "转账回单.png", {"reference": "网银转账"})
                if year < this_year:
                    dues.reject_voucher(society, staff, v, {"reason": "未查到到账记录，请重新上传"})
            elif i == paying + 4 and year == this_year:
                dues.submit_voucher(society, None, invoice, io.BytesIO(PNG), "回单.png", {"reference": "对公转账"})
            if i % 5 == 0:
                dues.set_fapiao(society, staff, invoice, {"fapiao_title": "示例大学", "fapiao_tax_number": "12110000400000000X"})
    db.session.flush()


def _pay(society, staff, invoice: Invoice, method: PaymentMethod, paid_on: date, i: int) -> None:
    if method == PaymentMethod.bank_transfer:
        v = dues.submit_voucher(society, None, invoice, io.BytesIO(PNG), "转账回单.png", {"reference": f"网银{i:04d}"})
        v.paid_on = paid_on
        dues.confirm_voucher(society, staff, v)
    elif method == PaymentMethod.stripe_card:
        p = Payment(society_id=society.id, invoice_id=invoice.id, member_id=invoice.member_id, method=method,
                    amount_fen=invoice.amount_fen, provider_ref=f"cs_demo_{invoice.id.hex[:16]}",
                    provider_payment_ref=f"pi_demo_{invoice.id.hex[:16]}", paid_on=paid_on)
        db.session.add(p)
        db.session.flush()
        dues.confirm(society, None, p, paid_on)
    else:
        dues.record_payment(society, staff, invoice, {"method": method.value, "amount_fen": invoice.amount_fen,
                                                      "paid_on": paid_on, "reference": f"{i:04d}"})
