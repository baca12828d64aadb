"""Renewal reminders (换届提醒) by email to the society's secretariat, each at most once per council term.

Levels: `plan` (a month before the plan and candidate list are due, while none was submitted), `180`, `90`
and `30` days before the council term ends, `overdue` once it has ended unrenewed, and
`postponement_overdue` once an approved postponement has run out. Only the latest level reached is sent
on a run, so a command that missed some days does not send a burst of stale notices.

Like the dues reminders, a notice is first *claimed* by inserting its row (unique per term and level)
and committing, and only then mailed: at most once, even when two runs overlap or one is run again.
A refused mail releases the claim so the next run retries it.
"""
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from society_saas.core.db import utcnow
from society_saas.core.mail import send_mail
from society_saas.extensions import db
from society_saas.governance.models import Organ, OrganType, Renewal, RenewalNotice, RenewalStatus as S, Term
from society_saas.governance.services.charter import add_months
from society_saas.governance.services.renewals import ALERT_DAYS, PLAN_MONTHS_BEFORE_END, approved_postponement, today

PLAN_NOTICE_DAYS = 30
RECIPIENT_ROLES = ("secretary_general", "secretariat_staff")


def notice_level(term: Term, renewal: Renewal | None, on: date) -> str | None:
    """The reminder a council term calls for on a day, or None (renewed, postponed, or nothing due yet)."""
    status = renewal.status if renewal is not None else None
    if status in (S.assembly_held, S.filed):
        return None
    until = approved_postponement(renewal)
    if until is not None:
        return "postponement_overdue" if on > until else None
    if on > term.ends_on:
        return "overdue"
    days = (term.ends_on - on).days
    if days <= ALERT_DAYS[0]:
        return str(min(d for d in ALERT_DAYS if days <= d))
    plan_due = add_months(term.ends_on, -PLAN_MONTHS_BEFORE_END)
    if status in (None, S.preparing, S.returned) and on >= plan_due - timedelta(days=PLAN_NOTICE_DAYS):
        return "plan"
    return None


def _current_council_term(on: date) -> tuple[Term, Renewal | None] | None:
    """The society's council term in office (the latest started; the one a renewal is about) with its renewal."""
    row = db.session.execute(
        select(Term, Renewal)
        .join(Organ, (Organ.society_id == Term.society_id) & (Organ.id == Term.organ_id))
        .join(Renewal, (Renewal.society_id == Term.society_id) & (Renewal.term_id == Term.id), isouter=True)
        .where(Organ.type == OrganType.council, Term.starts_on <= on)
        .order_by(Term.number.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def recipients(society) -> list[str]:
    """The society's contact address and its secretariat's (secretary-general and staff) active accounts."""
    from society_saas.accounts.models import SocietyRole, User

    emails = db.session.scalars(
        select(User.email).join(SocietyRole, SocietyRole.user_id == User.id)
        .where(SocietyRole.role.in_(RECIPIENT_ROLES), User.active.is_(True), User.email.is_not(None))
        .order_by(User.email)).all()
    out = [society.contact_email] if society.contact_email else []
    return out + [e for e in dict.fromkeys(emails) if e not in out]


def _message(society, term: Term, renewal: Renewal | None, level: str) -> tuple[str, str]:
    args = {"society": society.name, "n": term.number, "end": term.ends_on.isoformat(),
            "plan": add_months(term.ends_on, -PLAN_MONTHS_BEFORE_END).isoformat(),
            "until": renewal.postponed_until.isoformat() if renewal is not None and renewal.postponed_until else ""}
    if level == "plan":
        subject = _("%(society)s: the renewal plan and candidate list are due on %(plan)s", **args)
    elif level == "overdue":
        subject = _("%(society)s: council term %(n)d ended on %(end)s without a renewal", **args)
    elif level == "postponement_overdue":
        subject = _("%(society)s: the approved postponement of the renewal ran out on %(until)s", **args)
    else:
        subject = _("%(society)s: council term %(n)d ends in %(days)s days, on %(end)s", days=level, **args)
    plan_missing = renewal is None or renewal.status in (S.preparing, S.returned)
    body = _("The council term %(n)d of %(society)s ends on %(end)s. The renewal plan and candidate list are due "
             "with the association for pre-review six months before, on %(plan)s; the general assembly follows "
             "the pre-review and its results are filed within 30 working days.", **args)
    if plan_missing:
        body += "\n\n" + _("The plan and candidate list have not been submitted yet.")
    body += "\n\n" + _("Open Governance, Renewal in the secretariat to take the next step.")
    return subject, body


def send_renewal_notices(society, on: date | None = None) -> dict:
    """Send the renewal reminder this society's council term calls for today, at most once (commits)."""
    on = on or today()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    found = _current_council_term(on)
    level = notice_level(*found, on) if found else None
    to = recipients(society)
    if level is None or not to:
        db.session.rollback()
        return counts
    term, renewal = found
    claim = RenewalNotice(society_id=society.id, term_id=term.id, level=level, to_addresses=", ".join(to))
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:  # sent before, or another run claimed it first
        db.session.rollback()
        counts["skipped"] += 1
        return counts
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = _message(society, term, renewal, level)
    try:
        send_mail(", ".join(to), subject, body)  # one message to all: sent or refused as a whole
    except OSError as exc:  # refused: release the claim so a later run retries
        db.session.delete(claim)
        db.session.commit()
        current_app.logger.warning("renewal notice for %s failed: %s", society.slug, exc)
        counts["failed"] += 1
        return counts
    claim.status, claim.sent_at = "sent", utcnow()
    db.session.commit()
    counts["sent"] += 1
    return counts


def notices_sent(society, term: Term) -> list[RenewalNotice]:
    """The reminders already sent for a term, oldest first (shown on the renewal page)."""
    return list(db.session.scalars(select(RenewalNotice).where(RenewalNotice.term_id == term.id)
                                   .order_by(RenewalNotice.claimed_at)))
