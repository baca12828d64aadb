"""Receipts: numbered per society and year without gaps, rendered as a Chinese PDF."""
import cn2an
from flask import render_template
from sqlalchemy import insert, select, update

from society_saas.core.db import new_id, utcnow
from society_saas.dues.models import Invoice, Payment, Receipt, ReceiptCounter
from society_saas.dues.services.common import today_cn, yuan
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass

METHOD_LABELS_ZH = {"stripe_card": "在线支付（银行卡）", "alipay": "支付宝", "wechat_pay": "微信支付",
                    "bank_transfer": "银行转账", "cash": "现金", "other": "其他"}


def amount_in_capitals(fen: int) -> str:
    """The amount in Chinese financial capitals (大写) via cn2an: 5 -> 伍分, 1000000 -> 壹万元整."""
    if fen == 0:
        return "零元整"
    return cn2an.an2cn(f"{fen // 100}.{fen % 100:02d}", "rmb")


def _next_seq(society, year: int) -> int:
    """Bump the year's counter in the database (UPDATE ... counter + 1) inside the caller's transaction.

    The row stays locked until the transaction ends, so two receipts never share a number, and a
    rolled-back transaction gives its number back: the sequence has no gaps.
    """
    stmt = (update(ReceiptCounter).where(ReceiptCounter.year == year).values(counter=ReceiptCounter.counter + 1)
            .returning(ReceiptCounter.counter).execution_options(synchronize_session=False))
    seq = db.session.scalar(stmt)
    if seq is None:
        db.session.execute(insert(ReceiptCounter).values(society_id=society.id, id=new_id(), created_at=utcnow(),
                                                         year=year, counter=1))
        return 1
    return seq


def issue_receipt(society, payment: Payment) -> Receipt:
    """Give a confirmed payment its receipt (once); the number is YEAR-NNNNNN within the society."""
    existing = db.session.scalar(select(Receipt).where(Receipt.payment_id == payment.id))
    if existing is not None:
        return existing
    issued = payment.paid_on or today_cn()
    year = issued.year
    seq = _next_seq(society, year)
    receipt = Receipt(society_id=society.id, payment_id=payment.id, year=year, seq=seq, number=f"{year}-{seq:06d}",
                      issued_on=issued)
    db.session.add(receipt)
    db.session.flush()
    return receipt


def receipt_context(receipt: Receipt) -> dict:
    """Everything a receipt shows."""
    payment = db.session.scalar(select(Payment).where(Payment.id == receipt.payment_id))
    invoice = db.session.scalar(select(Invoice).where(Invoice.id == payment.invoice_id))
    member = db.session.scalar(select(Member).where(Member.id == payment.member_id))
    klass = db.session.scalar(select(MemberClass).where(MemberClass.id == invoice.class_id))
    return {"receipt": receipt, "payment": payment, "invoice": invoice, "member": member, "klass": klass,
            "figures": yuan(payment.amount_fen), "capitals": amount_in_capitals(payment.amount_fen),
            "method": METHOD_LABELS_ZH[payment.method.value]}


def receipt_pdf(society, receipt: Receipt) -> bytes:
    """The receipt as a PDF in Chinese (Noto Sans CJK SC embedded)."""
    from weasyprint import HTML

    html = render_template("dues/receipt.html", society=society, **receipt_context(receipt))
    return HTML(string=html).write_pdf()
