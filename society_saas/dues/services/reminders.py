"""Dues reminders by email: before the due date, on it, during grace, and at lapse.

Never the same reminder twice. Each (invoice, kind) is first *claimed* by inserting a
ReminderSent row (unique on society, invoice and kind) and committing; only then is the mail
sent, and the row is marked `sent` (or `failed`, and released, when the SMTP server refused it,
so the next run retries). We chose at-most-once over at-least-once: a run killed between the
claim and the send leaves a `claimed` row that is never sent automatically (staff see it),
whereas committing after the send could mail a member twice after a crash. Running the command
again, or two runs at once, cannot send a claimed reminder again: the second INSERT collides.
"""
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from society_saas.core.db import utcnow
from society_saas.core.mail import send_mail
from society_saas.dues.models import Invoice, InvoiceState, ReminderSent
from society_saas.dues.services.common import today_cn, yuan
from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus

BEFORE_DAYS = 14
# A member who resigned, was expelled or died is never chased for dues (staff void or collect by hand).
REMINDED = (MemberStatus.active, MemberStatus.grace, MemberStatus.lapsed)
KINDS = ("before_due", "due", "grace", "lapse")


def kind_for(invoice: Invoice, today: date) -> str | None:
    """Which reminder an unpaid invoice calls for today (the latest stage reached), or None."""
    if today >= invoice.grace_until:
        return "lapse"
    if today > invoice.due_date:
        return "grace"
    if today == invoice.due_date:
        return "due"
    if today >= invoice.due_date - timedelta(days=BEFORE_DAYS):
        return "before_due"
    return None


def _message(society, invoice: Invoice, member: Member, kind: str) -> tuple[str, str]:
    owed = yuan(invoice.amount_fen - invoice.paid_fen)
    subjects = {"before_due": _("%(society)s: your %(year)s dues are due on %(due)s"),
                "due": _("%(society)s: your %(year)s dues are due today"),
                "grace": _("%(society)s: your %(year)s dues are overdue (grace until %(grace)s)"),
                "lapse": _("%(society)s: your membership has lapsed for unpaid %(year)s dues")}
    args = {"society": society.name, "year": invoice.dues_year, "due": invoice.due_date.isoformat(),
            "grace": invoice.grace_until.isoformat()}
    subject = subjects[kind] % args
    body = _("Dear %(name)s,\n\nYour dues for %(year)s amount to %(owed)s yuan. You can pay online or upload a "
             "bank-transfer voucher in the member portal.\n\n%(society)s") % {**args, "name": member.name, "owed": owed}
    return subject, body


def due_reminders(society, today: date):
    """Unpaid invoices of members still in the society, with an address and the kind due today but not yet
    claimed (one query)."""
    start = today + timedelta(days=BEFORE_DAYS)
    rows = db.session.execute(
        select(Invoice, Member)
        .join(Member, and_(Member.society_id == Invoice.society_id, Member.id == Invoice.member_id))
        .where(Invoice.state.in_((InvoiceState.open, InvoiceState.partly_paid)), Invoice.due_date <= start,
               Member.email.is_not(None), Member.status.in_(REMINDED))
        .order_by(Invoice.id)).all()
    claimed = {(r.invoice_id, r.kind) for r in db.session.scalars(select(ReminderSent))}
    for invoice, member in rows:
        kind = kind_for(invoice, today)
        if kind and (invoice.id, kind) not in claimed:
            yield invoice, member, kind


def send_reminders(society, today: date | None = None) -> dict:
    """Send every reminder due today for one society; commits per reminder. Returns counts by outcome."""
    today = today or today_cn()
    todo = [(i.id, m.email, m.name, k) for i, m, k in due_reminders(society, today)]
    db.session.rollback()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for invoice_id, email, _name, kind in todo:
        claim = ReminderSent(society_id=society.id, invoice_id=invoice_id, kind=kind, to_address=email)
        db.session.add(claim)
        try:
            db.session.commit()
        except IntegrityError:  # another run claimed it first
            db.session.rollback()
            counts["skipped"] += 1
            continue
        invoice = db.session.scalar(select(Invoice).where(Invoice.id == invoice_id))
        member = db.session.scalar(select(Member).where(Member.id == invoice.member_id))
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject, body = _message(society, invoice, member, kind)
        try:
            send_mail(email, subject, body)
        except OSError as exc:  # refused for sure: release the claim so a later run retries
            db.session.delete(claim)
            db.session.commit()
            counts["failed"] += 1
            current_app.logger.warning("dues reminder to %s failed: %s", email, exc)
            continue
        claim.status, claim.sent_at = "sent", utcnow()
        db.session.commit()
        counts["sent"] += 1
    return counts
