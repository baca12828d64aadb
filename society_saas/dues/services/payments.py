"""Payments: recorded by staff, vouchers reviewed, refunds; a paid invoice extends the membership."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core import storage
from society_saas.core.audit import actor_id
from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.dues.models import Invoice, InvoiceState, Payment, PaymentMethod, PaymentState, Receipt
from society_saas.dues.services.common import parse_fen, reason_required, today_cn
from society_saas.dues.services.invoicing import recompute
from society_saas.dues.services.receipts import issue_receipt
from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.members.services.common import record_event

OFFLINE = (PaymentMethod.bank_transfer, PaymentMethod.cash, PaymentMethod.other, PaymentMethod.alipay,
           PaymentMethod.wechat_pay)


def _payable(invoice: Invoice, amount: int) -> None:
    if invoice.state == InvoiceState.void:
        raise ServiceError(_("This invoice is void."), field="amount")
    if amount <= 0:
        raise ServiceError(_("The amount must be more than zero."), field="amount")
    if amount > invoice.amount_fen - invoice.paid_fen:
        raise ServiceError(_("The amount is more than what is owed."), field="amount")


def received_on(value, invoice: Invoice, field: str = "paid_on") -> date | None:
    """The date money was received (a date or YYYY-MM-DD; None when not given), checked: never after today
    (Asia/Shanghai), nor before the year preceding the invoice's dues year."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ServiceError(_("Give the date received as YYYY-MM-DD."), field=field) from None
    # Dues are paid ahead at most a year; an earlier date is a typo, and it would number the receipt in that year.
    first, today = date(invoice.dues_year - 1, 1, 1), today_cn()
    if value > today:
        raise ServiceError(_("The date received cannot be after today (%(today)s).", today=today.isoformat()),
                           field=field)
    if value < first:
        raise ServiceError(_("The date received cannot be before %(first)s.", first=first.isoformat()), field=field)
    return value


def confirm(society, actor, payment: Payment, when: date | None = None) -> Payment:
    """Mark a payment received: recompute the invoice, number its receipt, extend the membership."""
    if payment.state == PaymentState.confirmed:
        return payment
    payment.state, payment.confirmed_at = PaymentState.confirmed, utcnow()
    payment.paid_on = payment.paid_on or when or today_cn()
    payment.reviewed_by = actor_id(actor) or payment.reviewed_by
    db.session.flush()
    invoice = db.session.scalar(select(Invoice).where(Invoice.id == payment.invoice_id))
    recompute(invoice)
    issue_receipt(society, payment)
    if invoice.state == InvoiceState.paid:
        extend_membership(society, actor, invoice)
    db.session.flush()
    return payment


def mark_duplicate(payment: Payment) -> Payment:
    """Record money received for an invoice already settled: kept out of the invoice and the totals, to refund."""
    payment.state, payment.confirmed_at = PaymentState.duplicate, utcnow()
    payment.paid_on = payment.paid_on or today_cn()
    db.session.flush()
    return payment


def extend_membership(society, actor, invoice: Invoice) -> None:
    """A paid year keeps the member valid to the end of that year, and brings a member in grace or lapsed back."""
    member = db.session.scalar(select(Member).where(Member.id == invoice.member_id))
    end = date(invoice.dues_year, 12, 31)
    if member.valid_until is None or member.valid_until < end:
        member.valid_until = end
    # Paying an old year's arrears does not by itself bring a member back; a current year does.
    if member.status in (MemberStatus.grace, MemberStatus.lapsed) and end >= today_cn():
        before = member.status
        member.status = MemberStatus.active
        record_event(member, actor, "dues_paid", from_status=before, to_status=MemberStatus.active,
                     reference=f"{invoice.dues_year}")


def record_payment(society, actor, invoice: Invoice, data: dict) -> Payment:
    """Staff record money received (cash, transfer, other), confirmed at once; partial amounts allowed."""
    method = PaymentMethod(data.get("method") or "cash")
    amount = parse_fen(data.get("amount_fen") if data.get("amount_fen") is not None else data.get("amount"), "amount")
    _payable(invoice, amount)
    paid_on = received_on(data.get("paid_on"), invoice) or today_cn()
    payment = Payment(society_id=society.id, invoice_id=invoice.id, member_id=invoice.member_id, method=method,
                      amount_fen=amount, currency=invoice.currency, reference=(data.get("reference") or "").strip() or None,
                      paid_on=paid_on, recorded_by=actor_id(actor))
    db.session.add(payment)
    db.session.flush()
    return confirm(society, actor, payment, payment.paid_on)


def submit_voucher(society, actor, invoice: Invoice, stream, filename: str, data: dict | None = None) -> Payment:
    """A member uploads a bank-transfer voucher (PDF, JPEG or PNG, size checked) for review; one at a time per
    invoice, so a repeated upload cannot be confirmed twice."""
    data = data or {}
    amount = invoice.amount_fen - invoice.paid_fen
    if data.get("amount") not in (None, ""):
        amount = parse_fen(data.get("amount"), "amount")
    _payable(invoice, amount)
    paid_on = received_on(data.get("paid_on"), invoice)
    # The invoice is locked so that two uploads at once (a double click) cannot both find none pending.
    db.session.scalar(select(Invoice.id).where(Invoice.id == invoice.id).with_for_update())
    if voucher_pending(invoice):
        raise ServiceError(_("A voucher for this invoice is already awaiting the secretariat's review."),
                           field="voucher")
    meta = storage.save(society.id, stream, filename)
    payment = Payment(society_id=society.id, invoice_id=invoice.id, member_id=invoice.member_id,
                      method=PaymentMethod.bank_transfer, amount_fen=amount, currency=invoice.currency, voucher=meta,
                      reference=(data.get("reference") or "").strip() or None, paid_on=paid_on,
                      recorded_by=actor_id(actor))
    db.session.add(payment)
    db.session.flush()
    return payment


def voucher_pending(invoice: Invoice) -> bool:
    """Whether a transfer voucher for the invoice awaits the secretariat's review."""
    return db.session.scalar(select(Payment.id).where(
        Payment.invoice_id == invoice.id, Payment.state == PaymentState.pending,
        Payment.method == PaymentMethod.bank_transfer).limit(1)) is not None


def confirm_voucher(society, actor, payment: Payment, data: dict | None = None) -> Payment:
    """The secretariat confirms a transfer seen on the bank statement: the money came in, so it is recorded
    even when the invoice was settled meanwhile (a duplicate, see `receive`) or the transfer is larger than
    what was still owed (the excess is held on the invoice as overpaid, to refund)."""
    if payment.state != PaymentState.pending or payment.method != PaymentMethod.bank_transfer:
        raise ServiceError(_("Only a pending bank transfer can be confirmed."), field="reason")
    return receive(society, actor, payment)


def receive(society, actor, payment: Payment) -> Payment:
    """Money that came in (a transfer seen on the statement, an online payment's success): counted toward its
    invoice while that is open or partly paid, else (paid, void or refunded meanwhile) kept apart as a
    duplicate to refund. The invoice is locked, so that two arrivals at once cannot both count."""
    invoice = db.session.scalar(select(Invoice).where(Invoice.id == payment.invoice_id).with_for_update())
    if invoice.state in (InvoiceState.open, InvoiceState.partly_paid):
        return confirm(society, actor, payment)
    payment.reviewed_by = actor_id(actor) or payment.reviewed_by
    return mark_duplicate(payment)


def reject_voucher(society, actor, payment: Payment, data: dict) -> Payment:
    """The secretariat rejects a voucher it cannot match, with a reason the member sees."""
    reason = reason_required(data)
    if payment.state != PaymentState.pending or payment.method != PaymentMethod.bank_transfer:
        raise ServiceError(_("Only a pending bank transfer can be rejected."), field="reason")
    payment.state, payment.reject_reason, payment.reviewed_by = PaymentState.rejected, reason, actor_id(actor)
    db.session.flush()
    return payment


def refund(society, actor, payment: Payment, data: dict) -> Payment:
    """Refund all or part of a confirmed offline payment, with a reason (Stripe refunds go through payments/)."""
    reason = reason_required(data)
    if payment.state not in (PaymentState.confirmed, PaymentState.refunded, PaymentState.duplicate):
        raise ServiceError(_("Only a received payment can be refunded."), field="reason")
    apply_refund(payment, payment.refunded_fen + refund_amount(payment, data), reason)
    return payment


def refund_amount(payment: Payment, data: dict) -> int:
    """The amount a refund asks for (all that is left of the payment when none is given), checked."""
    left = payment.amount_fen - payment.refunded_fen
    amount = parse_fen(data["amount"], "amount") if data.get("amount") not in (None, "") else left
    if amount <= 0 or amount > left:
        raise ServiceError(_("The refund is more than what is left of the payment."), field="amount")
    return amount


def apply_refund(payment: Payment, refunded_total: int, reason: str | None = None) -> Payment:
    """Set the payment's refunded total (never lowered, so repeated or late news cannot undo it)."""
    payment.refunded_fen = max(payment.refunded_fen, min(refunded_total, payment.amount_fen))
    if reason:
        payment.refund_reason = reason
    if payment.refunded_fen >= payment.amount_fen:
        payment.state = PaymentState.refunded
    db.session.flush()
    invoice = db.session.scalar(select(Invoice).where(Invoice.id == payment.invoice_id))
    recompute(invoice)
    db.session.flush()
    return payment


def _with_receipts(*where) -> list[tuple[Payment, Receipt | None]]:
    """Payments matching `where`, each with its receipt (or None), oldest first."""
    rows = db.session.execute(select(Payment, Receipt).outerjoin(
        Receipt, (Receipt.society_id == Payment.society_id) & (Receipt.payment_id == Payment.id))
        .where(*where).order_by(Payment.id))
    return [tuple(r) for r in rows]


def payments_of(invoice: Invoice) -> list[tuple[Payment, Receipt | None]]:
    """An invoice's payments with their receipts, oldest first."""
    return _with_receipts(Payment.invoice_id == invoice.id)


def member_invoices(member_id) -> list[tuple[Invoice, list[tuple[Payment, Receipt | None]]]]:
    """A member's invoices, newest year first, each with its payments and receipts (two queries at most)."""
    invoices = list(db.session.scalars(select(Invoice).where(Invoice.member_id == member_id)
                                       .order_by(Invoice.dues_year.desc())))
    paid: dict = {invoice.id: [] for invoice in invoices}
    if paid:  # found by their invoices (indexed), not by the member: payments carry no member index
        for payment, receipt in _with_receipts(Payment.invoice_id.in_(list(paid))):
            paid[payment.invoice_id].append((payment, receipt))
    return [(invoice, paid[invoice.id]) for invoice in invoices]


def duplicate_payments():
    """Money received for invoices already settled and not refunded in full yet, oldest first, with the payer's
    name and the dues year."""
    return db.session.execute(select(Payment, Member.name, Invoice.dues_year)
                              .join(Member, (Member.society_id == Payment.society_id) & (Member.id == Payment.member_id))
                              .join(Invoice, (Invoice.society_id == Payment.society_id) & (Invoice.id == Payment.invoice_id))
                              .where(Payment.state == PaymentState.duplicate)
                              .order_by(Payment.id)).all()


def overpaid_invoices():
    """Invoices that received more than their amount (the excess not refunded yet), oldest first, with the
    payer's name."""
    return db.session.execute(select(Invoice, Member.name)
                              .join(Member, (Member.society_id == Invoice.society_id) & (Member.id == Invoice.member_id))
                              .where(Invoice.overpaid_fen > 0).order_by(Invoice.id)).all()


def pending_vouchers():
    """Bank transfers awaiting review, oldest first, with the payer's name."""
    return db.session.execute(select(Payment, Member.name, Invoice.dues_year)
                              .join(Member, (Member.society_id == Payment.society_id) & (Member.id == Payment.member_id))
                              .join(Invoice, (Invoice.society_id == Payment.society_id) & (Invoice.id == Payment.invoice_id))
                              .where(Payment.state == PaymentState.pending, Payment.method == PaymentMethod.bank_transfer)
                              .order_by(Payment.id)).all()
