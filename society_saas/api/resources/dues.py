"""Dues invoices and payments of one society."""
import uuid

from flask import g

from society_saas.api.schemas import InvoiceDetailSchema, InvoiceFilterArgs, InvoicePageSchema, PaymentRecordSchema, PaymentSchema
from society_saas.api.web import rule, society_blueprint
from society_saas.core.pagination import paginate
from society_saas.dues.models import Invoice
from society_saas.dues.services import invoicing, payments
from society_saas.extensions import db

bp = society_blueprint("api_dues", __name__, "", "Dues invoices and payments (money in fen).")


FIELDS = [name for name in InvoiceDetailSchema().fields if name != "payments"]


def _detail(invoice: Invoice) -> dict:
    return {**{k: getattr(invoice, k) for k in FIELDS},
            "payments": [payment for payment, _receipt in payments.payments_of(invoice)]}


@bp.get("/invoices")
@bp.arguments(InvoiceFilterArgs, location="query")
@bp.response(200, InvoicePageSchema)
@rule("dues.manage")
def list_invoices(args):
    """Invoices, newest year first, by member name (then id, so pages are stable)."""
    filters = {k: args.get(k) for k in ("year", "state", "class_id", "q")}
    page = paginate(invoicing.invoices_query(filters).order_by(Invoice.id), args["page"], args["per_page"], tuples=True)
    items = [{**{k: getattr(inv, k) for k in FIELDS}, "member_name": name, "member_number": number} for inv, name, number, _class in page.items]
    return {"items": items, "total": page.total, "page": page.number, "per_page": page.per_page, "pages": page.pages}


@bp.get("/invoices/<uuid:invoice_id>")
@bp.response(200, InvoiceDetailSchema)
@rule("dues.manage")
def get_invoice(invoice_id: uuid.UUID):
    """One invoice with its payments."""
    return _detail(invoicing.get_invoice(invoice_id))


@bp.post("/invoices/<uuid:invoice_id>/payments")
@bp.arguments(PaymentRecordSchema)
@bp.response(201, PaymentSchema)
@rule("dues.manage", write=True)
def record_payment(data, invoice_id: uuid.UUID):
    """Record money received offline; confirmed at once (receipt numbered, membership extended when paid)."""
    invoice = invoicing.get_invoice(invoice_id)
    payment = payments.record_payment(g.society, g.api_token.user, invoice, data)
    db.session.commit()
    return payment
