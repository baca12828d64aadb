"""The member's dues in the portal: my invoices, pay online, upload a voucher, download receipts."""
from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from society_saas.core.errors import ServiceError
from society_saas.dues import services
from society_saas.dues.models import Invoice, Payment, PaymentMethod, PaymentState, Receipt
from society_saas.dues.views.common import refusal, remember_refusal, row_or_404
from society_saas.extensions import db
from society_saas.members import services as members
from society_saas.payments import services as online
from society_saas.tenancy.web import society_blueprint

bp = society_blueprint("my_dues", __name__, "portal", "/dues")


def _me():
    member = members.member_for_user(current_user)
    if member is None:
        abort(404)
    return member


def _my_invoice(invoice_id):
    """My invoice, or 404 (for another member's and another society's alike)."""
    invoice = row_or_404(Invoice, invoice_id)
    if invoice.member_id != _me().id:
        abort(404)
    return invoice


@bp.get("/")
def index():
    """My invoices with their payments and receipts."""
    member = members.member_for_user(current_user)
    rows = services.member_invoices(member.id) if member is not None else []
    # invoices with a voucher awaiting review: the upload form gives way to a note until it is reviewed
    awaiting = {invoice.id for invoice, payments in rows if any(
        p.state == PaymentState.pending and p.method == PaymentMethod.bank_transfer for p, _r in payments)}
    return render_template("dues/my_dues.html", member=member, rows=rows, online=online.is_configured(),
                           paid=request.args.get("paid"), awaiting=awaiting, refused=refusal())


@bp.post("/<uuid:invoice_id>/pay")
def pay(invoice_id):
    """Pay online: go to Stripe Checkout for what the invoice still owes."""
    invoice = _my_invoice(invoice_id)
    try:
        url = online.start_checkout(g.society, current_user, invoice,
                                    success_url=url_for(".index", paid=1, _external=True),
                                    cancel_url=url_for(".index", _external=True))
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".index"))
    db.session.commit()
    return redirect(url, code=303)


@bp.post("/<uuid:invoice_id>/voucher")
def voucher(invoice_id):
    """Upload a bank-transfer voucher (PDF, JPEG or PNG) for the secretariat to check."""
    invoice = _my_invoice(invoice_id)
    upload = request.files.get("voucher")
    try:
        if upload is None or not upload.filename:
            raise ServiceError(_("Choose the voucher file."), field="voucher")
        services.submit_voucher(g.society, current_user, invoice, upload.stream, upload.filename,
                                {"reference": request.form.get("reference"), "amount": request.form.get("amount")})
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        remember_refusal(exc, f"voucher-{invoice.id}", {"attachment": "voucher"})
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("Your voucher has been received; the secretariat will confirm it."), "success")
    return redirect(url_for(".index"))


@bp.post("/<uuid:invoice_id>/fapiao")
def fapiao(invoice_id):
    """Give the fapiao title and tax number I need."""
    invoice = _my_invoice(invoice_id)
    try:
        services.set_fapiao(g.society, current_user, invoice, request.form)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        remember_refusal(exc, f"fapiao-{invoice.id}")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("The fapiao details have been saved."), "success")
    return redirect(url_for(".index"))


@bp.get("/receipts/<uuid:receipt_id>.pdf")
def receipt(receipt_id):
    """Download one of my receipts."""
    row = row_or_404(Receipt, receipt_id)
    payment = row_or_404(Payment, row.payment_id)
    if payment.member_id != _me().id:
        abort(404)
    return Response(services.receipt_pdf(g.society, row), mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=receipt-{row.number}.pdf"})
