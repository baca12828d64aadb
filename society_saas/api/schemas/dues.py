"""Dues invoices and payments (money in fen)."""
from marshmallow import Schema, fields, validate

from society_saas.api.schemas.common import PageArgs, PageSchema, Text
from society_saas.dues.models import InvoiceState, PaymentMethod, PaymentState


class PaymentSchema(Schema):
    """A payment towards an invoice."""

    id = fields.UUID(required=True)
    method = fields.Enum(PaymentMethod, by_value=True, required=True)
    amount_fen = fields.Integer(required=True)
    refunded_fen = fields.Integer(required=True)
    currency = fields.String(required=True)
    state = fields.Enum(PaymentState, by_value=True, required=True)
    reference = fields.String(required=True, allow_none=True)
    paid_on = fields.Date(required=True, allow_none=True)
    confirmed_at = fields.DateTime(required=True, allow_none=True)


class InvoiceSchema(Schema):
    """A member's dues invoice for one year; money in fen."""

    id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    class_id = fields.UUID(required=True)
    dues_year = fields.Integer(required=True)
    amount_fen = fields.Integer(required=True)
    paid_fen = fields.Integer(required=True, metadata={"description": "Received toward the amount, at most the amount."})
    overpaid_fen = fields.Integer(required=True, metadata={"description": "Received beyond the amount, to be refunded."})
    currency = fields.String(required=True)
    state = fields.Enum(InvoiceState, by_value=True, required=True)
    due_date = fields.Date(required=True)
    grace_until = fields.Date(required=True)
    void_reason = fields.String(required=True, allow_none=True)


class InvoiceRowSchema(InvoiceSchema):
    """An invoice in the list, with the member's name and number."""

    member_name = fields.String(required=True)
    member_number = fields.String(required=True, allow_none=True)


class InvoiceDetailSchema(InvoiceSchema):
    """An invoice with its payments."""

    payments = fields.List(fields.Nested(PaymentSchema), required=True)


class InvoicePageSchema(PageSchema):
    """A page of invoices."""

    items = fields.List(fields.Nested(InvoiceRowSchema), required=True)


class InvoiceFilterArgs(PageArgs):
    """The invoice list's filters."""

    year = fields.Integer(validate=validate.Range(2000, 2200))
    state = fields.String(validate=validate.OneOf([s.value for s in InvoiceState]))
    class_id = fields.UUID()
    q = Text(100)


class PaymentRecordSchema(Schema):
    """Money received offline (cash, bank transfer, other), confirmed at once; partial amounts allowed."""

    method = fields.String(load_default="bank_transfer", validate=validate.OneOf(["bank_transfer", "cash", "other"]))
    amount_fen = fields.Integer(required=True, validate=validate.Range(1, 10**9))
    reference = Text(200)
    paid_on = fields.Date(metadata={"description": "When the money was received (default today); not after today "
                                                   "(Asia/Shanghai) nor before the year preceding the dues year."})
