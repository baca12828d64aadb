"""Dues reports, each one set-based query: collection rate, arrears, payments by method."""
from sqlalchemy import and_, case, func, select

from society_saas.core.i18n import current_language
from society_saas.core.skipscan import distinct_values
from society_saas.dues.models import DUE_STATES, Invoice, InvoiceState, Payment, PaymentState
from society_saas.dues.services.common import IN_SOCIETY
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass
from society_saas.tenancy.context import current_society_id


def rate_permille(collected_fen: int, due_fen: int) -> int:
    """The collection rate in per mille, rounded down (every collection figure, here and in the console)."""
    # Down, so that a rate shows 100 % only once everything due has been collected.
    return collected_fen * 1000 // due_fen if due_fen else 0


def _class_name():
    """The member class's name column in the reader's language."""
    return MemberClass.name_en if current_language() == "en" else MemberClass.name_zh


def collection_by_class(year: int | None = None) -> list[dict]:
    """Per dues year and class: invoices, amount billed, amount collected, and the rate in per mille."""
    # Grouped by class id on the invoice index alone (it includes class, amount and paid); the few classes'
    # names and order are read apart and folded in here, as a join on every invoice would cost.
    stmt = (select(Invoice.dues_year, Invoice.class_id, func.count(), func.sum(Invoice.amount_fen),
                   func.sum(Invoice.paid_fen), func.sum(case((Invoice.state == InvoiceState.paid, 1), else_=0)))
            .where(Invoice.state.in_(DUE_STATES)).group_by(Invoice.dues_year, Invoice.class_id))
    if year:
        stmt = stmt.where(Invoice.dues_year == year)
    classes = {cid: (order, name) for cid, order, name in
               db.session.execute(select(MemberClass.id, MemberClass.sort_order, _class_name()))}
    sums: dict[tuple, list[int]] = {}
    for y, class_id, n, billed, paid, n_paid in db.session.execute(stmt):
        order, name = classes[class_id]
        acc = sums.setdefault((y, order, name), [0, 0, 0, 0])
        for i, v in enumerate((n, billed, paid, n_paid)):
            acc[i] += int(v or 0)
    out = []
    for (y, _order, cls), (n, billed, paid, n_paid) in sorted(sums.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        out.append({"year": y, "class": cls, "invoices": n, "paid_invoices": n_paid, "billed_fen": billed,
                    "collected_fen": paid, "rate_permille": rate_permille(paid, billed)})
    return out


def arrears(year: int | None = None):
    """Members still in the society who owe, with what they owe, largest first (a statement, for paging and export)."""
    owed = (Invoice.amount_fen - Invoice.paid_fen).label("owed_fen")
    stmt = (select(Member.name, Member.member_number, Member.email, Member.mobile, _class_name(),
                   Invoice.dues_year, Invoice.due_date, Invoice.grace_until, owed, Invoice.id)
            .join(Member, and_(Member.society_id == Invoice.society_id, Member.id == Invoice.member_id))
            .join(MemberClass, and_(MemberClass.society_id == Invoice.society_id, MemberClass.id == Invoice.class_id))
            .where(Invoice.state.in_((InvoiceState.open, InvoiceState.partly_paid)), Member.status.in_(IN_SOCIETY))
            .order_by(owed.desc(), Member.name))
    if year:
        stmt = stmt.where(Invoice.dues_year == year)
    return stmt


def by_method(year: int | None = None) -> list[dict]:
    """Received money per payment method (net of refunds), per year of the invoice."""
    stmt = (select(Invoice.dues_year, Payment.method, func.count(), func.sum(Payment.amount_fen - Payment.refunded_fen))
            .join(Invoice, and_(Invoice.society_id == Payment.society_id, Invoice.id == Payment.invoice_id))
            .where(Payment.state.in_((PaymentState.confirmed, PaymentState.refunded)))
            .group_by(Invoice.dues_year, Payment.method).order_by(Invoice.dues_year.desc(), Payment.method))
    if year:
        stmt = stmt.where(Invoice.dues_year == year)
    return [{"year": y, "method": m.value if hasattr(m, "value") else m, "count": n, "net_fen": int(s or 0)}
            for y, m, n, s in db.session.execute(stmt)]


def years() -> list[int]:
    """Dues years that have invoices, newest first."""
    return distinct_values(Invoice.dues_year, Invoice.society_id == current_society_id(), descending=True)
