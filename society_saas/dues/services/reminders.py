"""Dues reminders by email: before the due date, on it, during grace, and at lapse.

Never the same reminder twice. Each (invoice, kind) is first *claimed* by inserting a
ReminderSent row (unique on society, invoice and kind) and committing; only then is the mail
sent, and the row is marked `sent` (or released when the SMTP server refused it, so the next
run retries). Running the command again, or two runs at once, cannot send a claimed reminder
again: the second INSERT collides. A run killed between the claim and the bookkeeping leaves a
`claimed` row; once it is older than CLAIM_TIMEOUT (far longer than any run takes) the next run
takes it over with one conditional UPDATE, which only one run can win, and sends it. A `sent`
row is never taken over. The one case that can mail twice is a run killed in the instant after
the SMTP server accepted the mail and before the row was marked sent; we accept that rather
than a reminder that is silently never sent.
"""
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError

from society_saas.core.db import utcnow
from society_saas.core.mail import send_mail
from society_saas.dues.models import Invoice, InvoiceState, ReminderSent
from society_saas.dues.services.common import IN_SOCIETY, today_cn, yuan
from society_saas.extensions import db
from society_saas.members.models import Member

BEFORE_DAYS = 14
# A claim still unsent after this long belongs to a run that died: a later run may take it over.
CLAIM_TIMEOUT = timedelta(minutes=30)
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
               Member.email.is_not(None), Member.status.in_(IN_SOCIETY))
        .order_by(Invoice.id)).all()
    stale = utcnow() - CLAIM_TIMEOUT
    claimed = {(r.invoice_id, r.kind) for r in db.session.execute(
        select(ReminderSent.invoice_id, ReminderSent.kind)
        .where((ReminderSent.status != "claimed") | (ReminderSent.claimed_at >= stale)))}
    for invoice, member in rows:
        kind = kind_for(invoice, today)
        if kind and (invoice.id, kind) not in claimed:
            yield invoice, member, kind


def claim_reminder(society, invoice_id, kind: str, email: str) -> ReminderSent | None:
    """Claim one reminder for this run and commit: a new claim, or one left unsent past CLAIM_TIMEOUT; None when
    another run holds it or it was sent."""
    claim = ReminderSent(society_id=society.id, invoice_id=invoice_id, kind=kind, to_address=email)
    db.session.add(claim)
    try:
        db.session.commit()
        return claim
    except IntegrityError:
        db.session.rollback()
    now = utcnow()
    # Conditional on the row still being stale, so of two runs taking it over at once only one matches.
    taken = db.session.execute(
        update(ReminderSent)
        .where(ReminderSent.invoice_id == invoice_id, ReminderSent.kind == kind, ReminderSent.status == "claimed",
               ReminderSent.claimed_at < now - CLAIM_TIMEOUT)
        .values(claimed_at=now, to_address=email)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if taken != 1:
        return None
    return db.session.scalar(select(ReminderSent).where(ReminderSent.invoice_id == invoice_id, ReminderSent.kind == kind))


def send_reminders(society, today: date | None = None) -> dict:
    """Send every reminder due today for one society; commits per reminder. Returns counts by outcome."""
    today = today or today_cn()
    todo = [(i.id, m.email, m.name, k) for i, m, k in due_reminders(society, today)]
    db.session.rollback()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for invoice_id, email, _name, kind in todo:
        claim = claim_reminder(society, invoice_id, kind, email)
        if claim is None:  # another run claimed it first
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
