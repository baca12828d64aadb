"""Matters reported to the association (重大事项请示报告) and the association's answers."""
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select, type_coerce

from society_saas.core.errors import ServiceError
from society_saas.core.pagination import Page, paginate
from society_saas.decisions.models import DecisionEntry, EntryType
from society_saas.decisions.services.log import _append, get_decision
from society_saas.extensions import db

RESPONSES = ("acknowledged", "question")


def _reported_query(status: str | None = None):
    """Reported records with their latest association answer, pending first, newest meeting first.

    One scan of the log: a decision's records and answers share a window where the latest answer comes
    first, so no join (the row estimates under RLS are far too low for a join of these sets to be planned
    well); the societies' names are read for the rows shown only."""
    entry = DecisionEntry
    is_answer = entry.entry_type == EntryType.association_response.value
    window = {"partition_by": (entry.society_id, entry.decision_id),
              "order_by": (case((is_answer, 0), else_=1), entry.seq.desc())}

    def latest_answer(column):
        return func.first_value(case((is_answer, column))).over(**window)

    logged = (select(entry.society_id, entry.decision_id, entry.title, entry.kind, entry.meeting_date, entry.result,
                     entry.seq, entry.entry_type,
                     *(latest_answer(column).label(column.key) for column in
                       (entry.state, entry.note, entry.recorded_at, entry.recorded_by_label)))
              .where(or_(is_answer, and_(entry.entry_type == EntryType.record.value,
                                         entry.report_to_association.is_(True)))).subquery())
    status_of = func.coalesce(logged.c.state, "pending")
    stmt = (select(logged.c.society_id, logged.c.decision_id, logged.c.title, logged.c.kind, logged.c.meeting_date,
                   logged.c.result, status_of.label("status"), logged.c.state, logged.c.note,
                   type_coerce(logged.c.recorded_at, entry.recorded_at.type), logged.c.recorded_by_label)
            .where(logged.c.entry_type == EntryType.record.value)
            .order_by(case((status_of == "pending", 0), else_=1), logged.c.meeting_date.is_(None),
                      logged.c.meeting_date.desc(), logged.c.society_id, logged.c.seq))
    return stmt.where(status_of == status) if status else stmt


def _matters(rows) -> list[dict]:
    from society_saas.tenancy.models import Society

    ids = {row[0] for row in rows}
    societies = {s.id: s for s in db.session.execute(select(Society.id, Society.name, Society.slug)
                                                     .where(Society.id.in_(ids)))} if ids else {}
    out = []
    for society_id, decision_id, title, kind, meeting_date, result, status, state, note, at, by in rows:
        society = societies[society_id]
        response = (None if state is None else
                    {"state": state, "note": note, "recorded_at": at, "recorded_by_label": by})
        out.append({"society_id": society_id, "society_name": society.name, "society_slug": society.slug,
                    "decision_id": decision_id, "title": title, "kind": kind, "meeting_date": meeting_date,
                    "result": result, "status": status, "response": response})
    return out


def reported_matters(status: str | None = None) -> list[dict]:
    """Matters societies reported to the association (重大事项请示报告), across societies, pending first.

    Set-based inside the read-only cross-society context; a matter is pending until the association
    acknowledges it or asks (its latest answer counts)."""
    from society_saas.tenancy.context import cross_society

    with cross_society():
        return _matters(db.session.execute(_reported_query(status)).all())


def reported_matters_page(status: str | None, number: int, per_page: int = 50) -> Page:
    """One page of the reported matters (thousands across societies at city scale), counted in the same query."""
    from society_saas.tenancy.context import cross_society

    with cross_society():
        page = paginate(_reported_query(status), number, per_page, tuples=True, count_in_page=True)
        page.items = _matters(page.items)
    return page


def respond_to_report(society, actor, data: dict) -> DecisionEntry:
    """The association acknowledges a reported matter or asks a question; appended to the society's chain."""
    decision = get_decision(society, data["decision_id"])
    if not decision.record.report_to_association:
        raise ServiceError(_("Reporting rule: this matter was not reported to the association."), field="response")
    response = data.get("response")
    if response not in RESPONSES:
        raise ServiceError(_("Choose acknowledge or ask a question."), field="response")
    note = (data.get("note") or "").strip()
    if response == "question" and not note:
        raise ServiceError(_("Write the question for the society."), field="note")
    return _append(society, actor, {"entry_type": EntryType.association_response.value,
                                    "decision_id": decision.decision_id, "state": response, "note": note or None})
