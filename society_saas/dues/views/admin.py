"""The secretariat's dues pages: schedules, the invoice run, invoices, payments, vouchers, refunds, reports."""
import uuid
from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core import jobs, once, storage
from society_saas.core.errors import ServiceError
from society_saas.core.pagination import paginate
from society_saas.dues import services
from society_saas.dues.models import Invoice, InvoiceState, Payment, PaymentMethod, PaymentState, Receipt
from society_saas.dues.services.common import today_cn, yuan
from society_saas.dues.views.common import csv_response, refusal, remember_refusal, row_or_404
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass
from society_saas.payments import services as online
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("dues", __name__, "admin", "/dues")
FILTERS = ("year", "state", "class_id", "q")


@bp.before_request
def _staff_only():
    require("dues.manage")


@bp.app_template_filter("yuan")
def _yuan_filter(fen) -> str:
    return yuan(int(fen or 0))


def _done(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _refused(exc: ServiceError, endpoint: str, form: str | None = None, **values):
    """Roll back, flash the refusal and, for `form`, keep its field errors and values for the page shown next."""
    db.session.rollback()
    flash(exc.message, "error")
    if form:
        remember_refusal(exc, form)
    return redirect(url_for(endpoint, **values))


def _year_arg(default: int | None = None) -> int:
    try:
        return int(request.values.get("year") or default or today_cn().year)
    except ValueError:
        abort(400)


def _classes():
    return list(db.session.scalars(select(MemberClass).order_by(MemberClass.sort_order)))


@bp.get("/")
def index():
    """Dues at a glance: this year's collection by class and the work waiting."""
    year = _year_arg()
    return render_template("dues/admin_index.html", year=year, rows=services.reports.collection_by_class(year),
                           vouchers=len(services.pending_vouchers()), duplicates=services.duplicate_payments(),
                           overpaid=services.overpaid_invoices(),
                           years=services.reports.years(),
                           online=online.is_configured())


@bp.route("/schedules", methods=["GET", "POST"])
def schedules():
    """What each class owes per dues year; set one, or fill a year from the classes' annual dues."""
    if request.method == "POST":
        form = request.form
        try:
            if form.get("from_classes"):
                n = services.schedule_from_classes(g.society, current_user, form.get("year"))
                return _done(_("%(n)d schedules made.", n=n), ".schedules")
            services.set_schedule(g.society, current_user, {
                "dues_year": form.get("dues_year"), "class_id": _uuid(form.get("class_id")), "amount": form.get("amount"),
                "due_date": _date(form.get("due_date"), "due_date"), "grace_days": form.get("grace_days") or 90})
        except ServiceError as exc:
            return _refused(exc, ".schedules", "from_classes" if form.get("from_classes") else "schedule")
        return _done(_("The schedule has been saved."), ".schedules")
    classes = {c.id: c for c in _classes()}
    return render_template("dues/schedules.html", schedules=services.list_schedules(), classes=classes,
                           year=today_cn().year, refused=refusal())


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _date(value, field: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ServiceError(_("Give the date as YYYY-MM-DD."), field=field) from None


@bp.route("/run", methods=["GET", "POST"])
def invoice_run():
    """Preview the year's invoice run (how many, how much), then run it as a job."""
    year = _year_arg()
    if request.method == "POST":
        try:
            once.claim(g.society)
        except once.AlreadySubmitted:
            return once.repeated(url_for(".invoices", year=year))
        job = jobs.start(jobs.enqueue(g.society, current_user, "dues.invoice_run", {"year": year}))
        return redirect(url_for(".job", job_id=job.id))
    preview = services.preview_invoice_run(g.society, year)
    db.session.rollback()
    return render_template("dues/run.html", year=year, preview=preview)


@bp.get("/jobs/<uuid:job_id>")
def job(job_id):
    """A job's state and progress; the page polls itself with htmx until the job ends."""
    row = jobs.resume_if_orphaned(row_or_404(jobs.Job, job_id))
    template = "dues/_job.html" if request.headers.get("HX-Request") else "dues/job.html"
    return render_template(template, job=row)


@bp.get("/invoices")
def invoices():
    """Invoices with filters by year, state, class and name, by pages."""
    filters = {k: request.args.get(k, "") for k in FILTERS}
    try:
        page = services.invoice_page(filters, request.args.get("page", 1, type=int))
    except ValueError:
        abort(400)
    return render_template("dues/invoices.html", page=page, filters=filters, classes=_classes(),
                           states=list(InvoiceState), args={k: v for k, v in filters.items() if v})


@bp.get("/invoices/<uuid:invoice_id>")
def invoice(invoice_id):
    """One invoice: its payments and receipts, and what staff can do with it."""
    row = row_or_404(Invoice, invoice_id)
    member = row_or_404(Member, row.member_id)
    return render_template("dues/invoice.html", invoice=row, member=member, payments=services.payments_of(row),
                           exemption=services.exemption_of(row),
                           methods=[m for m in PaymentMethod if m != PaymentMethod.stripe_card], today=today_cn(),
                           refused=refusal())


@bp.post("/invoices/<uuid:invoice_id>/payments")
def record_payment(invoice_id):
    """Record money received in cash, by transfer or otherwise (partial amounts allowed)."""
    row = row_or_404(Invoice, invoice_id)
    try:
        once.claim(g.society)
    except once.AlreadySubmitted:
        return once.repeated(url_for(".invoice", invoice_id=invoice_id))
    try:
        services.record_payment(g.society, current_user, row, {
            "method": request.form.get("method") or "cash", "amount": request.form.get("amount"),
            "reference": request.form.get("reference"), "paid_on": request.form.get("paid_on")})
    except (ServiceError, ValueError) as exc:
        return _refused(exc if isinstance(exc, ServiceError) else ServiceError(_("Choose a payment method."), "method"),
                        ".invoice", "payment", invoice_id=invoice_id)
    return _done(_("The payment has been recorded."), ".invoice", invoice_id=invoice_id)


@bp.post("/invoices/<uuid:invoice_id>/void")
def void(invoice_id):
    """Void an unpaid invoice, with a reason."""
    row = row_or_404(Invoice, invoice_id)
    try:
        services.void_invoice(g.society, current_user, row, {"reason": request.form.get("reason")})
    except ServiceError as exc:
        return _refused(exc, ".invoice", "void", invoice_id=invoice_id)
    return _done(_("The invoice has been voided."), ".invoice", invoice_id=invoice_id)


@bp.post("/invoices/<uuid:invoice_id>/fapiao")
def fapiao(invoice_id):
    """Keep the fapiao title and tax number for the finance office."""
    row = row_or_404(Invoice, invoice_id)
    try:
        services.set_fapiao(g.society, current_user, row, request.form)
    except ServiceError as exc:
        return _refused(exc, ".invoice", "fapiao", invoice_id=invoice_id)
    return _done(_("The fapiao details have been saved."), ".invoice", invoice_id=invoice_id)


@bp.post("/invoices/<uuid:invoice_id>/exemption")
def exemption(invoice_id):
    """Exempt the member from this year's dues, or reduce them, with a reason."""
    row = row_or_404(Invoice, invoice_id)
    member = row_or_404(Member, row.member_id)
    try:
        services.grant_exemption(g.society, current_user, member, {
            "dues_year": row.dues_year, "kind": request.form.get("kind") or "exempt",
            "amount": request.form.get("amount"), "reason": request.form.get("reason")})
    except ServiceError as exc:
        return _refused(exc, ".invoice", "exemption", invoice_id=invoice_id)
    return _done(_("The exemption has been saved."), ".invoice", invoice_id=invoice_id)


@bp.post("/invoices/<uuid:invoice_id>/exemption/withdraw")
def withdraw_exemption(invoice_id):
    """Take back the member's exemption or reduction for the invoice's year, with a reason."""
    row = row_or_404(Invoice, invoice_id)
    try:
        services.withdraw_exemption(g.society, current_user, row, request.form)
    except ServiceError as exc:
        return _refused(exc, ".invoice", "withdraw", invoice_id=invoice_id)
    return _done(_("The exemption has been withdrawn: the invoice asks for the full dues again."), ".invoice",
                 invoice_id=invoice_id)


@bp.get("/vouchers")
def vouchers():
    """Bank-transfer vouchers awaiting review."""
    return render_template("dues/vouchers.html", rows=services.pending_vouchers())


@bp.get("/payments/<uuid:payment_id>/voucher")
def voucher(payment_id):
    """The uploaded voucher file of a payment."""
    row = row_or_404(Payment, payment_id)
    if not row.voucher:
        abort(404)
    return send_file(storage.path_of(row.voucher["key"]), mimetype=row.voucher["type"], as_attachment=False,
                     download_name=row.voucher.get("name") or "voucher")


@bp.post("/payments/<uuid:payment_id>/review")
def review(payment_id):
    """Confirm a transfer, or reject it with a reason."""
    row = row_or_404(Payment, payment_id)
    try:
        if request.form.get("action") == "confirm":
            payment = services.confirm_voucher(g.society, current_user, row)
            message = (_("The invoice no longer owes anything (paid, void or refunded): the transfer is recorded "
                         "as a duplicate, to refund.")
                       if payment.state == PaymentState.duplicate else
                       _("The transfer has been confirmed and a receipt issued."))
        else:
            services.reject_voucher(g.society, current_user, row, {"reason": request.form.get("reason")})
            message = _("The voucher has been rejected.")
    except ServiceError as exc:
        return _refused(exc, ".vouchers")
    return _done(message, ".vouchers")


@bp.post("/payments/<uuid:payment_id>/refund")
def refund(payment_id):
    """Refund a payment (online ones through Stripe), with a reason; a repeated submission refunds nothing more."""
    row = row_or_404(Payment, payment_id)
    try:
        once.claim(g.society)
    except once.AlreadySubmitted:
        return once.repeated(url_for(".invoice", invoice_id=row.invoice_id))
    try:
        data = {"reason": request.form.get("reason"), "amount": request.form.get("amount")}
        if row.provider_payment_ref:
            online.refund_online(g.society, current_user, row, data)
        else:
            services.refund(g.society, current_user, row, data)
    except ServiceError as exc:
        return _refused(exc, ".invoice", f"refund-{row.id}", invoice_id=row.invoice_id)
    return _done(_("The refund has been recorded."), ".invoice", invoice_id=row.invoice_id)


@bp.get("/receipts/<uuid:receipt_id>.pdf")
def receipt(receipt_id):
    """A receipt as PDF."""
    row = row_or_404(Receipt, receipt_id)
    return Response(services.receipt_pdf(g.society, row), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=receipt-{row.number}.pdf"})


@bp.get("/reports")
def reports():
    """Collection rate by class and year, payments by method, and the arrears list."""
    year = request.args.get("year", type=int)
    page = paginate(services.reports.arrears(year), request.args.get("page", 1, type=int), per_page=50, tuples=True)
    return render_template("dues/reports.html", year=year, years=services.reports.years(),
                           collection=services.reports.collection_by_class(year),
                           methods=services.reports.by_method(year), arrears=page)


@bp.get("/reports/arrears.csv")
def export_arrears():
    """The arrears list as CSV."""
    year = request.args.get("year", type=int)
    rows = db.session.execute(services.reports.arrears(year)).all()
    return csv_response("arrears.csv", [_("Name"), _("Member number"), _("Email"), _("Mobile"), _("Member class"),
                                        _("Dues year"), _("Due date"), _("Grace until"), _("Owed (yuan)")],
                        [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], yuan(r[8])) for r in rows])


@bp.get("/reports/payments.csv")
def export_payments():
    """Every payment with its receipt number and fapiao details, for the finance office."""
    stmt = (select(Payment, Invoice, Member.name, Receipt.number)
            .join(Invoice, (Invoice.society_id == Payment.society_id) & (Invoice.id == Payment.invoice_id))
            .join(Member, (Member.society_id == Payment.society_id) & (Member.id == Payment.member_id))
            .outerjoin(Receipt, (Receipt.society_id == Payment.society_id) & (Receipt.payment_id == Payment.id))
            .order_by(Payment.id))
    rows = db.session.execute(stmt).all()
    return csv_response("payments.csv", [_("Name"), _("Dues year"), _("Payment method"), _("Amount (yuan)"),
                                         _("Refunded (yuan)"), _("State"), _("Date received"), _("Receipt number"),
                                         _("Fapiao title"), _("Tax number")],
                        [(name, inv.dues_year, p.method.value, yuan(p.amount_fen), yuan(p.refunded_fen), p.state.value,
                          p.paid_on, number or "", inv.fapiao_title or "", inv.fapiao_tax_number or "")
                         for p, inv, name, number in rows])
