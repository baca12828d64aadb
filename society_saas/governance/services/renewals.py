"""Renewal (换届): plan and candidates, the association's pre-review, the assembly, filing, postponement."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, select

from society_saas.core.clock import today_cn as today  # deadlines fall in Asia/Shanghai
from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance.models import Organ, OrganType, Renewal, RenewalEvent, RenewalStatus as S, Term
from society_saas.governance.services.charter import add_months, add_working_days, add_years
from society_saas.governance.services.structure import _get, _required, current_terms, get_term

PLAN_MONTHS_BEFORE_END = 6
RESULTS_WORKING_DAYS = 30
ALERT_DAYS = (180, 90, 30)


def get_renewal(society, renewal_id) -> Renewal:
    """The society's renewal, or NotFoundError."""
    return _get(Renewal, society, renewal_id, lambda: _("No such renewal."))


def _label(actor) -> str | None:
    return getattr(actor, "name", None) or getattr(actor, "email", None)


def _event(renewal: Renewal, actor, action: str, comment: str | None = None) -> None:
    db.session.add(RenewalEvent(renewal_id=renewal.id, action=action, actor_label=_label(actor), comment=comment))


def _expect(renewal: Renewal, *states) -> None:
    if renewal.status not in states:
        raise ServiceError(_("This renewal cannot take this step in its current state."), field="status")


def start_renewal(society, actor, data: dict) -> Renewal:
    """Open the renewal of a council term; the plan is due six months before the term ends."""
    term = get_term(society, _required(data, "term_id"))
    organ = db.session.get(Organ, (society.id, term.organ_id))
    if organ.type != OrganType.council:
        raise ServiceError(_("A renewal starts from a council term."), field="term_id")
    if db.session.scalar(select(Renewal.id).where(Renewal.term_id == term.id)):
        raise ServiceError(_("This term's renewal has already started."), field="term_id")
    renewal = Renewal(term_id=term.id, status=S.preparing,
                      plan_due_on=add_months(term.ends_on, -PLAN_MONTHS_BEFORE_END))
    db.session.add(renewal)
    db.session.flush()
    _event(renewal, actor, "started")
    db.session.flush()
    return renewal


def submit_plan(society, actor, renewal: Renewal, data: dict) -> Renewal:
    """Submit (or resubmit) the renewal plan and candidate list for the association's pre-review."""
    _expect(renewal, S.preparing, S.returned, S.postponed)
    plan, candidates = _required(data, "plan"), _required(data, "candidates")
    renewal.plan, renewal.candidates = plan, candidates
    renewal.status = S.submitted
    renewal.submissions = (renewal.submissions or 0) + 1
    renewal.submitted_at = utcnow()
    _event(renewal, actor, "resubmitted" if renewal.submissions > 1 else "submitted")
    db.session.flush()
    return renewal


def review_renewal(society, actor, renewal: Renewal, data: dict) -> Renewal:
    """The association's pre-review (前置审核): approve, or return with comments."""
    _expect(renewal, S.submitted)
    decision = data.get("decision")
    comment = (data.get("comment") or "").strip() or None
    if decision == "return":
        if not comment:
            raise ServiceError(_("Say what must change when returning a renewal plan."), field="comment")
        renewal.status = S.returned
    elif decision == "approve":
        renewal.status = S.approved
    else:
        raise ServiceError(_("Approve or return the plan."), field="decision")
    renewal.reviewed_at, renewal.review_comment = utcnow(), comment
    _event(renewal, actor, "returned" if decision == "return" else "approved", comment)
    db.session.flush()
    return renewal


def record_assembly(society, actor, renewal: Renewal, data: dict) -> Renewal:
    """Record the general assembly; results are due within 30 working days (China's official calendar)."""
    _expect(renewal, S.approved)
    held_on = _required(data, "held_on")
    renewal.assembly_held_on = held_on
    renewal.results_due_on = add_working_days(held_on, RESULTS_WORKING_DAYS)
    renewal.status = S.assembly_held
    _event(renewal, actor, "assembly_held")
    db.session.flush()
    return renewal


def file_results(society, actor, renewal: Renewal, data: dict) -> Renewal:
    """File the election results with the association; a filing after the deadline is marked late."""
    _expect(renewal, S.assembly_held)
    filed_on = data.get("filed_on") or today()
    if filed_on < renewal.assembly_held_on:
        raise ServiceError(_("Results cannot be filed before the assembly."), field="filed_on")
    renewal.results_filed_on = filed_on
    renewal.status = S.filed
    _event(renewal, actor, "filed_late" if filed_on > renewal.results_due_on else "filed")
    db.session.flush()
    return renewal


def request_postponement(society, actor, renewal: Renewal, data: dict) -> Renewal:
    """Ask the association to postpone the renewal (延期换届), with a reason, to a day at most one year after
    the term's end. A postponement already approved stays in force until the association decides."""
    _expect(renewal, S.preparing, S.returned, S.approved)
    reason = _required(data, "reason")
    until = _required(data, "until")
    term = db.session.get(Term, (society.id, renewal.term_id))
    if until <= term.ends_on:
        raise ServiceError(_("A postponement runs past the end of the term."), field="until")
    if until > add_years(term.ends_on, 1):
        raise ServiceError(_("Postponement rule: a renewal may be postponed by at most one year."), field="until")
    if renewal.postponed_until and until <= renewal.postponed_until:
        raise ServiceError(_("The renewal is already postponed until %(day)s: ask for a later day.",
                             day=renewal.postponed_until.isoformat()), field="until")
    renewal.postponement_reason, renewal.requested_until = reason, until
    renewal.status_before_request, renewal.status = renewal.status, S.postponement_requested
    _event(renewal, actor, "postponement_requested", reason)
    db.session.flush()
    return renewal


def decide_postponement(society, actor, renewal: Renewal, data: dict) -> Renewal:
    """The association approves or refuses a requested postponement. An approval moves the renewal's day and
    keeps a plan already approved; a refusal returns the renewal to the step it had reached."""
    _expect(renewal, S.postponement_requested)
    comment = (data.get("comment") or "").strip() or None
    before = renewal.status_before_request or S.preparing
    if data.get("decision") == "approve":
        renewal.postponed_until = renewal.requested_until
        renewal.status = S.approved if before == S.approved else S.postponed
        action = "postponement_approved"
    elif data.get("decision") == "refuse":
        if not comment:
            raise ServiceError(_("Say why the postponement is refused."), field="comment")
        renewal.status, action = before, "postponement_refused"
    else:
        raise ServiceError(_("Approve or refuse the postponement."), field="decision")
    renewal.requested_until = renewal.status_before_request = None
    renewal.reviewed_at, renewal.review_comment = utcnow(), comment
    _event(renewal, actor, action, comment)
    db.session.flush()
    return renewal


# The renewal is done once the assembly renewed the organs: a postponement no longer matters then.
RENEWED = (S.assembly_held, S.filed)


def approved_postponement(renewal) -> date | None:
    """The day an approved postponement runs to, whatever step the renewal has taken since, or None."""
    # postponed_until is set only by an approval, and holds while the society asks for a later day.
    if renewal is None or not renewal.postponed_until or renewal.status in RENEWED:
        return None
    return renewal.postponed_until


def standing(term_ends_on: date, renewal: Renewal | None, on: date | None = None) -> str:
    """on_time, due_soon (within 180 days), overdue, postponed or done, for one society's council term
    (`renewal`: anything with the renewal's status and postponed_until, or None)."""
    on = on or today()
    if renewal is not None and renewal.status in (S.assembly_held, S.filed):
        return "done"
    until = approved_postponement(renewal)
    if until is not None:
        return "postponed" if on <= until else "overdue"
    if on > term_ends_on:
        return "overdue"
    plan_due = add_months(term_ends_on, -PLAN_MONTHS_BEFORE_END)
    if on > plan_due and (renewal is None or renewal.status in (S.preparing, S.returned)):
        return "overdue"
    if (term_ends_on - on).days <= ALERT_DAYS[0]:
        return "due_soon"
    return "on_time"


def alert_level(term_ends_on: date, on: date | None = None, renewal: Renewal | None = None) -> int | None:
    """The society's alert: 180, 90 or 30 days before the term ends, 0 once overdue; none under an approved postponement."""
    on = on or today()
    until = approved_postponement(renewal)
    if until is not None:
        return None if on <= until else 0
    days = (term_ends_on - on).days
    if days < 0:
        return 0
    return min((d for d in ALERT_DAYS if days <= d), default=None)


def renewal_overview(societies=None) -> list[tuple]:
    """(society_id, term, renewal or None) for every society's current council term, in one query."""
    latest = current_terms(today(), [OrganType.council])
    stmt = (select(Term, Renewal)
            .join(latest, and_(latest.c.society_id == Term.society_id, latest.c.organ_id == Term.organ_id,
                               latest.c.number == Term.number))
            .join(Renewal, and_(Renewal.society_id == Term.society_id, Renewal.term_id == Term.id), isouter=True)
            .order_by(Term.ends_on))
    return [(term.society_id, term, renewal) for term, renewal in db.session.execute(stmt)]


STANDING_ORDER = {"overdue": 0, "due_soon": 1, "postponed": 2, "on_time": 3, "done": 4}


def renewal_listing(on: date | None = None) -> list[tuple]:
    """(society_id, society name, term number, term end, renewal id, renewal status, standing) of every
    society's current council term, overdue first then by the term's end; run across societies.

    Two column reads, no entities: the terms with their renewals, and the societies' names."""
    from society_saas.tenancy.models import Society

    on = on or today()
    latest = current_terms(on, [OrganType.council])
    terms = db.session.execute(
        select(Term.society_id, Term.number, Term.ends_on, Renewal.id, Renewal.status, Renewal.postponed_until)
        .join(latest, and_(latest.c.society_id == Term.society_id, latest.c.organ_id == Term.organ_id,
                           latest.c.number == Term.number))
        .join(Renewal, and_(Renewal.society_id == Term.society_id, Renewal.term_id == Term.id), isouter=True)
        .order_by(Term.ends_on)).all()
    names = dict(db.session.execute(select(Society.id, Society.name)).all())
    items = [(row.society_id, names[row.society_id], row.number, row.ends_on, row.id, row.status,
              standing(row.ends_on, row if row.id is not None else None, on))
             for row in terms if row.society_id in names]
    items.sort(key=lambda item: (STANDING_ORDER[item[6]], item[3]))
    return items
