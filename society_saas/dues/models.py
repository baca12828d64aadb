"""Dues schedules, exemptions, invoices, payments, receipts, Stripe events and reminders.

Money is an integer number of fen (分) with its currency; never a float.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (CheckConstraint, Date, Enum, ForeignKeyConstraint, Index, Integer, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import TenantScoped, UTCDateTime, json_type, utcnow


def _enum(cls, length: int = 20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class InvoiceState(str, enum.Enum):
    """Where an invoice stands."""

    open = "open"
    partly_paid = "partly_paid"
    paid = "paid"
    void = "void"
    refunded = "refunded"


# The invoices every collection figure counts as due (the society's dues page and the association's console
# alike): a void invoice was cancelled and a refunded one had its money returned, so neither is owed.
DUE_STATES = (InvoiceState.open, InvoiceState.partly_paid, InvoiceState.paid)


class PaymentMethod(str, enum.Enum):
    """How a payment was made."""

    stripe_card = "stripe_card"
    alipay = "alipay"
    wechat_pay = "wechat_pay"
    bank_transfer = "bank_transfer"
    cash = "cash"
    other = "other"


class PaymentState(str, enum.Enum):
    """pending (checkout started, voucher awaiting review) -> confirmed | rejected | duplicate; confirmed -> refunded.

    duplicate: money received online for an invoice that was already settled; it does not count toward the
    invoice or the totals, and the treasurer refunds it (-> refunded).
    """

    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"
    refunded = "refunded"
    cancelled = "cancelled"
    duplicate = "duplicate"


class ExemptionKind(str, enum.Enum):
    """A full exemption, or dues reduced to a given amount."""

    exempt = "exempt"
    reduced = "reduced"


class DuesSchedule(TenantScoped):
    """What one member class owes for one dues year, when, and how long the grace lasts."""

    __tablename__ = "dues_schedule"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "class_id"], ["member_class.society_id", "member_class.id"]),
        UniqueConstraint("society_id", "class_id", "dues_year"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    class_id: Mapped[uuid.UUID] = mapped_column()
    dues_year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    due_date: Mapped[date] = mapped_column(Date)
    grace_days: Mapped[int] = mapped_column(Integer, default=90)


class DuesExemption(TenantScoped):
    """A member's exemption from, or reduction of, one year's dues, with the reason."""

    __tablename__ = "dues_exemption"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"]),
        UniqueConstraint("society_id", "member_id", "dues_year"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column()
    dues_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ExemptionKind] = mapped_column(_enum(ExemptionKind))
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)  # what is owed instead; 0 when exempt
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[uuid.UUID | None] = mapped_column()


class Invoice(TenantScoped):
    """One member's dues for one year; at most one per member and year."""

    __tablename__ = "dues_invoice"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"]),
        ForeignKeyConstraint(["society_id", "class_id"], ["member_class.society_id", "member_class.id"]),
        UniqueConstraint("society_id", "member_id", "dues_year"),
        # the dues page's collection by class, and the invoice list's counts, from the index alone
        Index("ix_dues_invoice_year_state", "society_id", "dues_year", "state",
              postgresql_include=["class_id", "amount_fen", "paid_fen"]),
        # the console's collection rate of every society for a year: one range of this index, not every invoice
        Index("ix_dues_invoice_year_society", "dues_year", "society_id", "state",
              postgresql_include=["amount_fen", "paid_fen"]),
        Index("ix_dues_invoice_member", "society_id", "member_id"),
        # the few invoices paid beyond their amount, listed on the dues page for a refund
        Index("ix_dues_invoice_overpaid", "society_id", postgresql_where=text("overpaid_fen > 0"),
              sqlite_where=text("overpaid_fen > 0")),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column()
    class_id: Mapped[uuid.UUID] = mapped_column()
    dues_year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)  # confirmed payments less refunds, up to the amount
    # received beyond the amount (a checkout paid after a transfer, an amount reduced after payment): held, to refund
    overpaid_fen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    state: Mapped[InvoiceState] = mapped_column(_enum(InvoiceState), default=InvoiceState.open)
    due_date: Mapped[date] = mapped_column(Date)
    grace_until: Mapped[date] = mapped_column(Date)
    void_reason: Mapped[str | None] = mapped_column(Text)
    fapiao_title: Mapped[str | None] = mapped_column(String(200))  # 发票抬头
    fapiao_tax_number: Mapped[str | None] = mapped_column(String(30))  # 税号

    @property
    def outstanding_fen(self) -> int:
        """What is still owed."""
        if self.state in (InvoiceState.void, InvoiceState.refunded):
            return 0
        return max(0, self.amount_fen - self.paid_fen)


class Payment(TenantScoped):
    """Money received (or awaited) against an invoice, by any method."""

    __tablename__ = "dues_payment"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "invoice_id"], ["dues_invoice.society_id", "dues_invoice.id"]),
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"]),
        UniqueConstraint("society_id", "provider_ref"),
        UniqueConstraint("society_id", "provider_payment_ref"),
        Index("ix_dues_payment_invoice", "society_id", "invoice_id"),
        Index("ix_dues_payment_state", "society_id", "state"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("refunded_fen >= 0 AND refunded_fen <= amount_fen", name="refund_within_amount"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column()
    member_id: Mapped[uuid.UUID] = mapped_column()
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod))
    amount_fen: Mapped[int] = mapped_column(Integer)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    state: Mapped[PaymentState] = mapped_column(_enum(PaymentState), default=PaymentState.pending)
    reference: Mapped[str | None] = mapped_column(String(200))  # bank reference, cash book line...
    provider_ref: Mapped[str | None] = mapped_column(String(255))  # Stripe Checkout Session id
    provider_payment_ref: Mapped[str | None] = mapped_column(String(255))  # Stripe PaymentIntent id
    voucher: Mapped[dict | None] = mapped_column(json_type())  # storage metadata of a transfer voucher
    paid_on: Mapped[date | None] = mapped_column(Date)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column()
    reject_reason: Mapped[str | None] = mapped_column(Text)
    refund_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()

    @property
    def net_fen(self) -> int:
        """What this payment contributes to its invoice."""
        return self.amount_fen - self.refunded_fen if self.state in (PaymentState.confirmed, PaymentState.refunded) else 0


class ReceiptCounter(TenantScoped):
    """The society's receipt counter for one year; bumped in the transaction that issues the receipt."""

    __tablename__ = "dues_receipt_counter"
    __table_args__ = (UniqueConstraint("society_id", "year"),)
    __audited__ = False

    year: Mapped[int] = mapped_column(Integer)
    counter: Mapped[int] = mapped_column(Integer, default=0)


class Receipt(TenantScoped):
    """The numbered receipt of one confirmed payment."""

    __tablename__ = "dues_receipt"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "payment_id"], ["dues_payment.society_id", "dues_payment.id"]),
        UniqueConstraint("society_id", "year", "seq"),
        UniqueConstraint("society_id", "number"),
        UniqueConstraint("society_id", "payment_id"),
    )

    payment_id: Mapped[uuid.UUID] = mapped_column()
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(30))
    issued_on: Mapped[date] = mapped_column(Date)


class StripeEvent(TenantScoped):
    """A Stripe webhook event, recorded once, in the transaction that applies it.

    `applied` is false while the event waits for the payment it concerns to become known
    (an event that arrived before the one linking its PaymentIntent to our payment).
    """

    __tablename__ = "stripe_event"
    __table_args__ = (
        UniqueConstraint("society_id", "event_id"),
        Index("ix_stripe_event_object", "society_id", "object_ref"),
    )
    __audited__ = False

    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100))
    stripe_created: Mapped[int] = mapped_column(Integer, default=0)
    object_ref: Mapped[str | None] = mapped_column(String(255))
    applied: Mapped[bool] = mapped_column(default=False)
    payload: Mapped[dict] = mapped_column(json_type(), default=dict)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderSent(TenantScoped):
    """One reminder of one kind for one invoice: claimed once, so it is never sent twice."""

    __tablename__ = "dues_reminder_sent"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "invoice_id"], ["dues_invoice.society_id", "dues_invoice.id"]),
        UniqueConstraint("society_id", "invoice_id", "kind"),
    )
    __audited__ = False

    invoice_id: Mapped[uuid.UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))  # before_due, due, grace, lapse
    status: Mapped[str] = mapped_column(String(20), default="claimed")  # claimed -> sent | failed
    # When the current claim was taken: a claim left unsent for long is taken over by a later run.
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    to_address: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
