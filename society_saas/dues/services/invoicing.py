"""Schedules, exemptions and the invoice run: one set-based INSERT ... SELECT per dues year."""
import uuid
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Date, and_, case, exists, func, literal, literal_column, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from society_saas.core.audit import actor_id, log_event
from society_saas.core.db import UTCDateTime, utcnow
from society_saas.core.pagination import Page, paginate
from society_saas.core.errors import ServiceError
from society_saas.core.i18n import current_language
from society_saas.dues.models import (DUE_STATES, DuesExemption, DuesSchedule, ExemptionKind, Invoice, InvoiceState,
                                      Payment)
from society_saas.dues.services.common import get_or_404, parse_fen, reason_required, whole_number, yuan
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberStatus
from society_saas.tenancy import context
from society_saas.tenancy.scoping import TenancyError, sync_rls

# Members who owe dues: those whose membership is current or in grace.
OWING = (MemberStatus.active, MemberStatus.grace)


def list_schedules(year: int | None = None) -> list[DuesSchedule]:
    """The society's schedules, newest year first."""
    stmt = select(DuesSchedule).order_by(DuesSchedule.dues_year.desc(), DuesSchedule.class_id)
    if year:
        stmt = stmt.where(DuesSchedule.dues_year == year)
    return list(db.session.scalars(stmt))


def _dues_year(value, field: str = "dues_year") -> int:
    """A dues year from an int or a text of digits, between 2000 and 2100, else ServiceError on the field."""
    return whole_number(value, field, _("Give a dues year between 2000 and 2100."), 2000, 2100)


def set_schedule(society, actor, data: dict) -> DuesSchedule:
    """Create or change what a class owes for a dues year (amount in fen or yuan text, due date, grace days)."""
    year = _dues_year(data.get("dues_year"))
    klass = db.session.scalar(select(MemberClass).where(MemberClass.id == data.get("class_id")))
    if klass is None:
        raise ServiceError(_("Choose a member class."), field="class_id")
    amount = parse_fen(data.get("amount_fen") if data.get("amount_fen") is not None else data.get("amount"), "amount")
    due = data.get("due_date") or date(year, 3, 31)
    # A due date years away from its dues year is a typo (and one near 9999 overflows the grace end).
    first, last = date(year - 1, 1, 1), date(year + 1, 12, 31)
    if not first <= due <= last:
        raise ServiceError(_("The due date must fall between %(first)s and %(last)s.", first=first.isoformat(),
                             last=last.isoformat()), field="due_date")
    grace = whole_number(data.get("grace_days") if data.get("grace_days") is not None else 90, "grace_days",
                         _("The grace period is a whole number of days between 0 and 366."), 0, 366)
    row = db.session.scalar(select(DuesSchedule).where(DuesSchedule.class_id == klass.id, DuesSchedule.dues_year == year))
    if row is None:
        row = DuesSchedule(society_id=society.id, class_id=klass.id, dues_year=year)
        db.session.add(row)
    row.amount_fen, row.due_date, row.grace_days = amount, due, grace
    db.session.flush()
    return row


def schedule_from_classes(society, actor, year: int, due: date | None = None, grace_days: int = 90) -> int:
    """Give every class without a schedule for the year one from its annual dues; return how many were made."""
    year = _dues_year(year, "year")
    have = set(db.session.scalars(select(DuesSchedule.class_id).where(DuesSchedule.dues_year == year)))
    made = 0
    for klass in db.session.scalars(select(MemberClass).order_by(MemberClass.sort_order)):
        if klass.id not in have:
            set_schedule(society, actor, {"dues_year": year, "class_id": klass.id, "amount_fen": klass.annual_dues_fen,
                                          "due_date": due or date(year, 3, 31), "grace_days": grace_days})
            made += 1
    return made


def grant_exemption(society, actor, member: Member, data: dict) -> DuesExemption:
    """Exempt a member from a year's dues, or reduce them, with a reason (before or after the run)."""
    reason = reason_required(data)
    year = _dues_year(data.get("dues_year"))
    try:
        kind = ExemptionKind(data.get("kind") or "exempt")
    except ValueError:
        raise ServiceError(_("Choose an exemption or a reduction."), field="kind") from None
    amount = 0 if kind == ExemptionKind.exempt else parse_fen(data.get("amount_fen") if data.get("amount_fen") is not None
                                                              else data.get("amount"), "amount")
    invoice = db.session.scalar(select(Invoice).where(Invoice.member_id == member.id, Invoice.dues_year == year))
    if kind == ExemptionKind.reduced:
        _check_reduction(member, year, invoice, amount)
    row = db.session.scalar(select(DuesExemption).where(DuesExemption.member_id == member.id,
                                                        DuesExemption.dues_year == year))
    if row is None:
        row = DuesExemption(society_id=society.id, member_id=member.id, dues_year=year)
        db.session.add(row)
    row.kind, row.amount_fen, row.reason, row.granted_by = kind, amount, reason, actor_id(actor)
    if invoice is not None and invoice.state in (InvoiceState.open, InvoiceState.partly_paid):
        if amount == 0 and invoice.paid_fen == 0:
            invoice.state, invoice.void_reason = InvoiceState.void, reason
        else:
            invoice.amount_fen = amount
            recompute(invoice)
    db.session.flush()
    return row


def _check_reduction(member: Member, year: int, invoice: Invoice | None, amount: int) -> None:
    """A reduction lowers what is owed below the year's full dues (the class's schedule), so a reduction
    already granted can be corrected either way; without a schedule, below the invoice's amount."""
    full = full_dues(invoice.class_id if invoice is not None else member.class_id, year)
    if full is None and invoice is not None:
        full = invoice.amount_fen
    if full is not None and amount >= full:
        raise ServiceError(_("A reduced amount must be below the year's full dues of %(amount)s yuan.",
                             amount=yuan(full)), field="amount")


def full_dues(class_id, year: int) -> int | None:
    """What a class owes for a dues year by its schedule, in fen, or None without a schedule."""
    return db.session.scalar(select(DuesSchedule.amount_fen).where(DuesSchedule.class_id == class_id,
                                                                   DuesSchedule.dues_year == year))


def withdraw_exemption(society, actor, invoice: Invoice, data: dict) -> Invoice:
    """Take back the exemption or reduction of the invoice's member for its year, with a reason: the invoice
    owes the full dues again, and an invoice the exemption had voided is open again."""
    reason = reason_required(data)
    exemption = exemption_of(invoice)
    if exemption is None:
        raise ServiceError(_("This member has no exemption or reduction for the year."), field="reason")
    voided_by_it = (invoice.state == InvoiceState.void and exemption.kind == ExemptionKind.exempt
                    and invoice.void_reason == exemption.reason)
    if invoice.state in DUE_STATES or voided_by_it:
        full = full_dues(invoice.class_id, invoice.dues_year)
        if full is None:
            raise ServiceError(_("The class has no dues schedule for %(year)d: set one first.",
                                 year=invoice.dues_year), field="reason")
        invoice.amount_fen = full
        if voided_by_it:
            invoice.state, invoice.void_reason = InvoiceState.open, None
        recompute(invoice)
    db.session.delete(exemption)  # the audit log keeps the row; the event beside it keeps the reason
    log_event(society.id, actor, "exemption_withdrawn", "DuesExemption", exemption.id, after={"reason": reason})
    db.session.flush()
    return invoice


def _uuid7_sql(dialect: str):
    """A UUIDv7 made by the database, one per row, for the set-based insert (ids stay time-ordered)."""
    if dialect == "postgresql":
        # 48-bit Unix milliseconds over a random v4 uuid, then the version bits set to 0111.
        return literal_column(
            "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
            "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) "
            "from 1 for 6), 52, 1), 53, 1), 'hex')::uuid")
    # SQLite stores uuids as 32 hex digits: 12 of milliseconds, '7', 3 random, variant '8'-'b', 15 random.
    return literal_column(
        "printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) || '7' || "
        "substr(lower(hex(randomblob(2))), 2) || substr('89ab', 1 + (abs(random()) % 4), 1) || "
        "substr(lower(hex(randomblob(8))), 2)")


def _owed_select(society, year: int, dialect: str, skip_invoiced: bool = True):
    """Rows to insert: every owing member with a schedule for the year, not fully exempt, and (for the
    preview) no invoice yet; the run itself leaves existing invoices to ON CONFLICT DO NOTHING."""
    # A reduction granted before the schedule was set (or lowered) never raises what the schedule asks.
    amount = case((DuesExemption.amount_fen < DuesSchedule.amount_fen, DuesExemption.amount_fen),
                  else_=DuesSchedule.amount_fen)
    # The society as a literal lets the anti-join probe the (society_id, member_id) index per member.
    already = exists().where(Invoice.society_id == society.id, Invoice.member_id == Member.id,
                             Invoice.dues_year == year)
    if dialect == "postgresql":
        grace_until = DuesSchedule.due_date + DuesSchedule.grace_days
    else:
        grace_until = func.date(DuesSchedule.due_date, func.printf("+%d days", DuesSchedule.grace_days))
    stmt = (
        select(Member.society_id.label("society_id"), _uuid7_sql(dialect).label("id"),
               literal(utcnow(), UTCDateTime()).label("created_at"), Member.id.label("member_id"),
               Member.class_id.label("class_id"), literal(year).label("dues_year"), amount.label("amount_fen"),
               literal(0).label("paid_fen"), DuesSchedule.currency.label("currency"),
               literal(InvoiceState.open.value).label("state"), DuesSchedule.due_date.label("due_date"),
               type_coerce(grace_until, Date).label("grace_until"))
        .join(DuesSchedule, and_(DuesSchedule.society_id == Member.society_id, DuesSchedule.class_id == Member.class_id,
                                 DuesSchedule.dues_year == year))
        .outerjoin(DuesExemption, and_(DuesExemption.society_id == Member.society_id,
                                       DuesExemption.member_id == Member.id, DuesExemption.dues_year == year))
        .where(Member.society_id == society.id, Member.status.in_(OWING), amount > 0)
    )
    return stmt.where(~already) if skip_invoiced else stmt


def preview_invoice_run(society, year: int) -> dict:
    """How many invoices the run would make and their total in fen, without making any."""
    sub = _owed_select(society, year, db.engine.dialect.name).subquery()
    count, total = db.session.execute(select(func.count(), func.coalesce(func.sum(sub.c.amount_fen), 0))).one()
    schedules = db.session.scalar(select(func.count()).select_from(DuesSchedule).where(DuesSchedule.dues_year == year))
    return {"year": year, "count": int(count), "total_fen": int(total), "schedules": int(schedules)}


def run_invoices(society, actor, year: int) -> int:
    """Make the year's invoices in ONE INSERT ... SELECT; running it again makes nothing new. Returns the count."""
    dialect = db.engine.dialect.name
    # No anti-join here: inside an INSERT into the same table it probes an index that grows as the
    # statement runs (quadratic on PostgreSQL with fresh statistics); the unique key skips what exists.
    sel = _owed_select(society, year, dialect, skip_invoiced=False)
    cols = ["society_id", "id", "created_at", "member_id", "class_id", "dues_year", "amount_fen", "paid_fen",
            "currency", "state", "due_date", "grace_until"]
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT on (society_id, member_id, dues_year) skips members already invoiced, also in a concurrent run.
    stmt = dialect_insert(Invoice).from_select(cols, sel).on_conflict_do_nothing(
        index_elements=["society_id", "member_id", "dues_year"])
    # Core execution on the session's connection, counted through RETURNING (the drivers' rowcount is
    # unreliable for INSERT ... SELECT); the SELECT names the society explicitly and, on PostgreSQL,
    # row-level security checks it again.
    if context.current_society_id() != society.id:
        raise TenancyError("the invoice run must run in its society's context")
    sync_rls(db.session)
    made = len(db.session.connection().execute(stmt.returning(literal_column("1"))).all())
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Invoice):
            db.session.expire(obj)
    # The ORM's audit listener never sees rows made by INSERT ... SELECT: the run is logged as one event.
    log_event(society.id, actor, "invoice_run", "Invoice", after={"dues_year": year, "created": made})
    db.session.flush()
    return made


def _listed(filters: dict, member=Member):
    """Invoices with their member's name and number and their class's name, filtered (unordered)."""
    class_name = MemberClass.name_en if current_language() == "en" else MemberClass.name_zh
    stmt = (select(Invoice, member.name, member.member_number, class_name)
            .join(member, and_(member.society_id == Invoice.society_id, member.id == Invoice.member_id))
            .join(MemberClass, and_(MemberClass.society_id == Invoice.society_id, MemberClass.id == Invoice.class_id)))
    return _filtered(stmt, filters)


def invoices_query(filters: dict):
    """The invoice list's statement: filters by year, state, class and name; newest first."""
    return _listed(filters).order_by(Invoice.dues_year.desc(), Member.name)


WALK_REACH = 4  # members read along the name index per row the page needs
WALK_SHARE = 4  # ... when they are at most a quarter of the year's listed invoices


def invoice_page(filters: dict, number: int, per_page: int = 50) -> Page:
    """One page of invoices_query and its total, read year by year from per-year counts.

    Sorting a year's every invoice by name to show 50 of them joins each to its member (10,000 lookups for
    the open invoices of a big society's current year). In a busy year the page is read instead along
    the member-name index: the first members by name, WALK_REACH per row needed, and their invoices;
    when those do not fill the page the year is sorted whole. Either way the order is invoices_query's, its
    ties (one name twice in a year) broken by the member's id so that pages neither repeat nor skip a row.
    A name search reads every member's name anyway: one query and a count, as before.
    """
    number = max(1, number or 1)
    if filters.get("q"):
        return paginate(invoices_query(filters).order_by(Member.id), number, per_page, tuples=True,
                        count_query=invoices_count_query(filters))
    years = db.session.execute(_filtered(select(Invoice.dues_year, func.count()), filters)
                               .group_by(Invoice.dues_year).order_by(Invoice.dues_year.desc())).all()
    start, items, seen = (number - 1) * per_page, [], 0
    for year, count in years:
        if len(items) == per_page:
            break
        if seen + count > start:
            skip, want = max(0, start - seen), per_page - len(items)
            rows = []
            if (skip + want) * WALK_REACH * WALK_SHARE <= count:
                first = aliased(Member, select(Member.society_id, Member.id, Member.name, Member.member_number)
                                .order_by(Member.name, Member.id).limit((skip + want) * WALK_REACH).subquery())
                rows = db.session.execute(_listed(filters, first).where(Invoice.dues_year == year)
                                          .order_by(first.name, first.id).offset(skip).limit(want)).tuples().all()
            if len(rows) < want:  # a quiet year, a deep page, or too few of the first members listed this year
                rows = db.session.execute(_listed(filters).where(Invoice.dues_year == year)
                                          .order_by(Member.name, Member.id).offset(skip).limit(want)).tuples().all()
            items.extend(rows)
        seen += count
    return Page(items=items, number=number, per_page=per_page, total=sum(count for _, count in years))


def invoices_count_query(filters: dict):
    """As many rows as invoices_query, without the joins it needs only to show them (every invoice has
    its member and class), so the count reads the invoice index alone."""
    stmt = select(Invoice.id)
    if filters.get("q"):
        stmt = stmt.join(Member, and_(Member.society_id == Invoice.society_id, Member.id == Invoice.member_id))
    return _filtered(stmt, filters)


def _filtered(stmt, filters: dict):
    if filters.get("year"):
        stmt = stmt.where(Invoice.dues_year == int(filters["year"]))
    if filters.get("state"):
        stmt = stmt.where(Invoice.state == InvoiceState(filters["state"]))
    if filters.get("class_id"):
        stmt = stmt.where(Invoice.class_id == uuid.UUID(str(filters["class_id"])))
    if filters.get("q"):
        q = filters["q"].strip()
        stmt = stmt.where(Member.name.contains(q, autoescape=True) | Member.member_number.contains(q, autoescape=True))
    return stmt


def exemption_of(invoice: Invoice) -> DuesExemption | None:
    """The exemption or reduction granted to the invoice's member for its year, with its reason."""
    return db.session.scalar(select(DuesExemption).where(DuesExemption.member_id == invoice.member_id,
                                                         DuesExemption.dues_year == invoice.dues_year))


def get_invoice(invoice_id) -> Invoice:
    """An invoice of this society, or NotFoundError."""
    return get_or_404(Invoice, invoice_id)


def recompute(invoice: Invoice) -> Invoice:
    """Derive paid_fen, overpaid_fen and the state from the invoice's payments (order of events does not matter).

    What was received beyond the amount does not count as paid (nor in any collection figure): it is held
    as overpaid_fen until the treasurer refunds it."""
    db.session.flush()
    payments = list(db.session.scalars(select(Payment).where(Payment.invoice_id == invoice.id)))
    received = sum(p.net_fen for p in payments)
    invoice.paid_fen = min(received, invoice.amount_fen)
    invoice.overpaid_fen = received - invoice.paid_fen
    if invoice.state == InvoiceState.void:
        return invoice
    refunded = any(p.refunded_fen for p in payments)
    if invoice.paid_fen >= invoice.amount_fen and invoice.paid_fen > 0 or invoice.amount_fen == 0:
        invoice.state = InvoiceState.paid
    elif invoice.paid_fen > 0:
        invoice.state = InvoiceState.partly_paid
    elif refunded:
        invoice.state = InvoiceState.refunded
    else:
        invoice.state = InvoiceState.open
    return invoice


def void_invoice(society, actor, invoice: Invoice, data: dict) -> Invoice:
    """Void an invoice nobody has paid toward, with a reason (audited)."""
    reason = reason_required(data)
    if invoice.state == InvoiceState.void:
        raise ServiceError(_("This invoice is already void."), field="reason")
    if invoice.paid_fen > 0:
        raise ServiceError(_("Refund the payments before voiding this invoice."), field="reason")
    invoice.state, invoice.void_reason = InvoiceState.void, reason
    db.session.flush()
    return invoice


def set_fapiao(society, actor, invoice: Invoice, data: dict) -> Invoice:
    """Keep the fapiao details (title, tax number) the payer asks for, for the finance office."""
    title = (data.get("fapiao_title") or "").strip() or None
    tax = (data.get("fapiao_tax_number") or "").strip().upper() or None
    if tax and not (15 <= len(tax) <= 20 and tax.isalnum()):
        raise ServiceError(_("A tax number has 15 to 20 letters and digits."), field="fapiao_tax_number")
    invoice.fapiao_title, invoice.fapiao_tax_number = title, tax
    db.session.flush()
    return invoice


def grace_end(due: date, grace_days: int) -> date:
    """The last day of grace."""
    return due + timedelta(days=grace_days)


from society_saas.core.jobs import handler  # noqa: E402


@handler("dues.invoice_run")
def invoice_run_job(society, job) -> dict:
    """The invoice run as a job, in the name of who asked for it: safe to run again, since the run is idempotent."""
    from society_saas.accounts.models import User

    actor = db.session.get(User, job.requested_by) if job.requested_by else None
    made = run_invoices(society, actor, int(job.params["year"]))
    return {"created": made}
