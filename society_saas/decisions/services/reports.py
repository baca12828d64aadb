"""Matters reported to the association (重大事项请示报告) and the association's answers."""
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.errors import ServiceError
from society_saas.decisions.models import DecisionEntry, EntryType
from society_saas.decisions.services.log import _append, get_decision
from society_saas.extensions import db

RESPONSES = ("acknowledged", "question")


def reported_matters(status: str | None = None) -> list[dict]:
    """Matters societies reported to the association (重大事项请示报告), across societies, newest first.

    Two set-based queries inside the read-only cross-society context: the reported records and the
    association's responses; a matter is pending until the association acknowledges it or asks."""
    from society_saas.tenancy.context import cross_society
    from society_saas.tenancy.models import Society

    with cross_society():
        records = db.session.execute(
            select(DecisionEntry.society_id, DecisionEntry.decision_id, DecisionEntry.title, DecisionEntry.kind,
                   DecisionEntry.meeting_date, DecisionEntry.result, DecisionEntry.seq, Society.name, Society.slug)
            .join(Society, Society.id == DecisionEntry.society_id)
            .where(DecisionEntry.entry_type == EntryType.record.value,
                   DecisionEntry.report_to_association.is_(True))).all()
        responses = db.session.execute(
            select(DecisionEntry.society_id, DecisionEntry.decision_id, DecisionEntry.state, DecisionEntry.note,
                   DecisionEntry.recorded_at, DecisionEntry.recorded_by_label)
            .where(DecisionEntry.entry_type == EntryType.association_response.value)
            .order_by(DecisionEntry.society_id, DecisionEntry.seq)).all()
    latest = {(r.society_id, r.decision_id): r for r in responses}
    out = []
    for r in records:
        response = latest.get((r.society_id, r.decision_id))
        item = {"society_id": r.society_id, "society_name": r.name, "society_slug": r.slug,
                "decision_id": r.decision_id, "title": r.title, "kind": r.kind, "meeting_date": r.meeting_date,
                "result": r.result, "status": response.state if response else "pending", "response": response}
        if status is None or item["status"] == status:
            out.append(item)
    out.sort(key=lambda i: (i["status"] != "pending", -(i["meeting_date"].toordinal() if i["meeting_date"] else 0)))
    return out


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
