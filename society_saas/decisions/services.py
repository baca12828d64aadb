"""Verbs of the decision log: record a decision under the collective rules, change its state,
add follow-up notes and corrections, sign checkpoints. Every verb appends entries; none updates."""
import uuid
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from society_saas.core.db import new_id, utcnow
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.decisions.chain import compute_hash, entry_values, sign, verify_chain  # noqa: F401
from society_saas.decisions.models import (GENESIS_HASH, Body, DecisionCheckpoint, DecisionEntry, DecisionKind,
                                           DecisionState, EntryType, Supervision)
from society_saas.extensions import db

# Which state a decision may move to from which.
TRANSITIONS = {
    DecisionState.adopted.value: {DecisionState.in_progress.value, DecisionState.completed.value},
    DecisionState.in_progress.value: {DecisionState.completed.value},
}
RECORD_FIELDS = ("kind", "title", "description", "proposer", "amount_fen", "meeting_id", "body", "meeting_ref", "meeting_date",
                 "members_total", "present", "recused", "votes_for", "votes_against", "votes_abstain", "result",
                 "supervisors", "party_organisation", "party_prestudy", "report_to_association")


def charter(society) -> dict:
    """The society's charter settings (quorum, majority, thresholds)."""
    return (society.settings or {}).get("charter", {}) or {}


def _fraction(text: str, default: str = "2/3") -> Fraction:
    try:
        return Fraction(str(text or default))
    except (ValueError, ZeroDivisionError):
        return Fraction(default)


def quorum(society) -> Fraction:
    """The share of a body's members that must attend (default 2/3)."""
    return _fraction(charter(society).get("quorum"))


def majority(society, kind: str) -> Fraction:
    """The share of the voters (present, not recused) that must vote for (default 2/3; per kind if set)."""
    per_kind = charter(society).get("majority_by_kind") or {}
    return _fraction(per_kind.get(kind) or charter(society).get("majority"))


def fund_threshold(society) -> int | None:
    """Fund use from this amount (fen) on is a 三重一大 matter."""
    value = charter(society).get("large_fund_threshold_fen")
    return int(value) if value else None


def has_party_organisation(society) -> bool:
    """True when the society's settings say it has a party organisation."""
    settings = society.settings or {}
    return bool(settings.get("party_organisation", charter(society).get("party_organisation", False)))


def _int(data, name, errors, minimum=0, required=True):
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("Enter a whole number."))
        return None
    if value < minimum:
        errors.setdefault(name, []).append(_("Must be at least %(n)d.", n=minimum))
        return None
    return value


def _recused_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _from_meeting(society, data: dict, refuse) -> dict:
    """When the decision points at a governance meeting, take body, date and attendance from it."""
    from society_saas.governance.models import Meeting

    meeting_id = data.get("meeting_id")
    if not meeting_id:
        return data
    try:
        meeting_id = meeting_id if isinstance(meeting_id, uuid.UUID) else uuid.UUID(str(meeting_id))
    except ValueError:
        meeting_id = None
    meeting = db.session.get(Meeting, (society.id, meeting_id)) if meeting_id else None
    if meeting is None:
        refuse("meeting_id", _("Collective decision rule: the decision must point at a meeting of this society."))
        return {**data, "meeting_id": None}
    present = meeting.present_count + (meeting.proxy_count if charter(society).get("count_proxies") else 0)
    return {**data, "meeting_id": meeting.id, "body": meeting.organ.type.value, "meeting_date": meeting.held_on,
            "meeting_ref": meeting.title, "members_total": meeting.members_count, "present": present}


def check_record(society, data: dict) -> dict:
    """Apply the collective decision rules; return clean values or raise ServiceError naming the rule."""
    errors: dict[str, list] = {}

    def refuse(name, message):
        errors.setdefault(name, []).append(message)

    clean = {}
    data, meeting_field = _from_meeting(society, data, refuse), None
    if data.get("meeting_id"):
        meeting_field = "meeting_id"
    clean["meeting_id"] = data.get("meeting_id") or None
    kind = data.get("kind")
    if kind not in {k.value for k in DecisionKind}:
        refuse("kind", _("Choose the kind of 三重一大 matter."))
    clean["kind"] = kind
    for name, limit in (("title", 300), ("proposer", 200), ("meeting_ref", 200)):
        value = (data.get(name) or "").strip()
        if not value:
            refuse(name, _("This field is required."))
        elif len(value) > limit:
            refuse(name, _("At most %(n)d characters.", n=limit))
        clean[name] = value
    clean["description"] = (data.get("description") or "").strip() or None
    body = data.get("body")
    if body not in {b.value for b in Body}:
        refuse(meeting_field or "body", _("Collective decision rule: the matter must be decided by a competent collective body "
                         "(general assembly, council or standing council)."))
    clean["body"] = body
    meeting_date = data.get("meeting_date")
    if isinstance(meeting_date, str) and meeting_date:
        try:
            meeting_date = date.fromisoformat(meeting_date)
        except ValueError:
            meeting_date = None
            refuse("meeting_date", _("Enter a date such as 2026-03-15."))
    if not isinstance(meeting_date, date):
        if "meeting_date" not in errors:
            refuse("meeting_date", _("This field is required."))
    elif meeting_date > date.today():
        refuse("meeting_date", _("The meeting date cannot be in the future."))
    clean["meeting_date"] = meeting_date if isinstance(meeting_date, date) else None

    members = _int(data, "members_total", errors, minimum=1)
    present = _int(data, "present", errors)
    recused = _recused_list(data.get("recused"))
    votes = {name: _int(data, name, errors, required=name == "votes_for") or 0
             for name in ("votes_for", "votes_against", "votes_abstain")}
    clean.update(members_total=members, present=present, recused=recused, **votes)

    if members is not None and present is not None:
        if present > members:
            refuse(meeting_field or "present", _("More members present than the body has."))
        elif Fraction(present, members) < quorum(society):
            refuse(meeting_field or "present", _("Quorum rule: at least %(q)s of the body's %(m)d members must attend; %(p)d did.",
                                q=str(quorum(society)), m=members, p=present))
    voters = None
    if present is not None:
        if len(recused) > present:
            refuse("recused", _("Recusal rule: more members recused than were present."))
        else:
            voters = present - len(recused)
        if voters is not None and sum(votes.values()) > voters:
            refuse("votes_for", _("Recusal rule: recused members do not vote; the votes (%(v)d) exceed the %(n)d "
                                  "members present and not recused.", v=sum(votes.values()), n=voters))
    result = data.get("result")
    if result not in (DecisionState.adopted.value, DecisionState.rejected.value):
        refuse("result", _("Choose adopted or rejected."))
    elif voters is not None and "votes_for" not in errors and kind in {k.value for k in DecisionKind}:
        need = majority(society, kind)
        reached = voters > 0 and Fraction(votes["votes_for"], voters) >= need
        if result == DecisionState.adopted.value and not reached:
            refuse("result", _("Majority rule: adoption needs %(q)s of the %(n)d members present and not recused "
                               "to vote for; %(v)d did.", q=str(need), n=voters, v=votes["votes_for"]))
        elif result == DecisionState.rejected.value and reached:
            refuse("result", _("Majority rule: %(v)d of %(n)d votes for reach the required %(q)s, so the matter "
                               "was adopted, not rejected.", q=str(need), n=voters, v=votes["votes_for"]))
    clean["result"] = result

    supervisors = data.get("supervisors")
    if supervisors not in (Supervision.present.value, Supervision.notified.value):
        refuse("supervisors", _("Supervision rule: the supervisory board must be present at the meeting or "
                                "notified of it."))
    clean["supervisors"] = supervisors

    party = bool(data.get("party_organisation", has_party_organisation(society)))
    prestudy = data.get("party_prestudy")
    if prestudy in ("yes", "no"):
        prestudy = prestudy == "yes"
    elif prestudy in ("", None, "na"):
        prestudy = None
    if party and prestudy is None:
        refuse("party_prestudy", _("Party pre-study rule: the society has a party organisation, so record whether "
                                   "it studied the matter beforehand."))
    clean["party_organisation"], clean["party_prestudy"] = party, (bool(prestudy) if party else None)

    amount = _int(data, "amount_fen", errors, minimum=1, required=kind == DecisionKind.large_fund_use.value)
    threshold = fund_threshold(society)
    if kind == DecisionKind.large_fund_use.value and amount is not None and threshold and amount < threshold:
        refuse("amount_fen", _("Large fund rule: fund use below the society's threshold of %(t)s yuan is not a "
                               "三重一大 matter.", t=f"{threshold / 100:,.2f}"))
    clean["amount_fen"] = amount
    clean["report_to_association"] = bool(data.get("report_to_association"))
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first, errors=errors)
    return clean


def _head():
    row = db.session.execute(
        select(DecisionEntry.seq, DecisionEntry.hash).order_by(DecisionEntry.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def _append(society, actor, values: dict) -> DecisionEntry:
    """Chain one new entry at the head; a concurrent append at the same seq is retried once."""
    for attempt in (1, 2):
        seq, prev = _head()
        entry = DecisionEntry(society_id=society.id, id=new_id(), **values)
        if entry.decision_id is None:
            entry.decision_id = entry.id
        entry.seq, entry.prev_hash = seq + 1, prev
        entry.recorded_at = utcnow()
        entry.recorded_by = getattr(actor, "id", None)
        entry.recorded_by_label = (getattr(actor, "name", None) or "system")[:200]
        entry.hash = compute_hash(prev, entry_values(entry))
        savepoint = db.session.begin_nested()
        try:
            db.session.add(entry)
            db.session.flush()
        except IntegrityError:
            savepoint.rollback()
            _forget_pending_audit(entry)
            if attempt == 2:
                raise ServiceError(_("Another entry was added to the decision log at the same moment; "
                                     "please try again."))
            continue
        savepoint.commit()
        return entry
    raise AssertionError("unreachable")


def _forget_pending_audit(entry) -> None:
    # The audit listener queued the failed insert before the flush failed; drop it.
    pending = db.session.info.get("pending_audit")
    if pending:
        db.session.info["pending_audit"] = [p for p in pending if p[0] is not entry]


def _store_files(society, files) -> list[dict]:
    """Save uploaded minutes or papers; each file's sha256 goes into the chained entry."""
    import hashlib

    from society_saas.core import storage

    stored = []
    for stream, name in files or []:
        meta = storage.save(society.id, stream, name)
        meta["sha256"] = hashlib.sha256(storage.path_of(meta["key"]).read_bytes()).hexdigest()
        stored.append(meta)
    return stored


def record_decision(society, actor, data: dict) -> DecisionEntry:
    """Record a decision taken by a collective body, refusing any that breaks a rule.

    data["files"] is an optional list of (stream, filename) attachments (minutes, papers)."""
    clean = check_record(society, data)
    attachments = _store_files(society, data.get("files"))
    payload = {"attachments": attachments} if attachments else None
    return _append(society, actor, {"entry_type": EntryType.record.value, "payload": payload, **clean})


def attachment(society, decision_id, index: int) -> dict:
    """One attachment of a decision's record (metadata with the storage key), or NotFoundError."""
    decision = get_decision(society, decision_id)
    files = (decision.record.payload or {}).get("attachments") or []
    if not 0 <= index < len(files):
        raise NotFoundError(_("No such file."))
    return files[index]


@dataclass
class Decision:
    """A decision as its entries currently describe it."""

    decision_id: uuid.UUID
    record: DecisionEntry
    current: DecisionEntry  # the latest record or correction of the record
    state: str
    entries: list = field(default_factory=list)


def _fold(entries: list[DecisionEntry]) -> Decision:
    record = entries[0]
    current, state = record, record.result
    record_seqs = {record.seq}
    for e in entries[1:]:
        if e.entry_type == EntryType.correction.value and e.corrects_seq in record_seqs and e.kind:
            current = e
            record_seqs.add(e.seq)
            if state in (DecisionState.adopted.value, DecisionState.rejected.value):
                state = e.result
        elif e.entry_type == EntryType.state_change.value:
            state = e.state
    return Decision(record.decision_id, record, current, state, entries)


def get_decision(society, decision_id: uuid.UUID) -> Decision:
    """One decision with all its entries, or NotFoundError."""
    entries = list(db.session.scalars(select(DecisionEntry).where(DecisionEntry.decision_id == decision_id)
                                      .order_by(DecisionEntry.seq)))
    if not entries or entries[0].entry_type != EntryType.record.value:
        raise NotFoundError(_("No such decision."))
    return _fold(entries)


def list_decisions(society, kind: str | None = None, state: str | None = None, year: int | None = None,
                   body: str | None = None) -> list[Decision]:
    """The register: every decision folded from its entries, newest first, filtered."""
    entries = db.session.scalars(select(DecisionEntry).order_by(DecisionEntry.seq))
    groups: dict[uuid.UUID, list] = {}
    for e in entries:
        groups.setdefault(e.decision_id, []).append(e)
    out = []
    for items in groups.values():
        if items[0].entry_type != EntryType.record.value:
            continue
        d = _fold(items)
        if kind and d.current.kind != kind or state and d.state != state or body and d.current.body != body:
            continue
        if year and (d.current.meeting_date is None or d.current.meeting_date.year != year):
            continue
        out.append(d)
    out.sort(key=lambda d: (d.current.meeting_date or date.min, d.record.seq), reverse=True)
    return out


def _state_name(state) -> str:
    names = {"proposed": _("proposed"), "adopted": _("adopted"), "rejected": _("rejected"),
             "in_progress": _("being carried out"), "completed": _("completed")}
    return names.get(state, state or "-")


def change_state(society, actor, data: dict) -> DecisionEntry:
    """Move an adopted decision on: being carried out, then completed."""
    decision = get_decision(society, data["decision_id"])
    new_state = data.get("state")
    if new_state not in TRANSITIONS.get(decision.state, set()):
        raise ServiceError(_("Lifecycle rule: a decision that is %(s)s cannot become %(t)s.",
                             s=_state_name(decision.state), t=_state_name(new_state)), field="state")
    return _append(society, actor, {"entry_type": EntryType.state_change.value, "decision_id": decision.decision_id,
                                    "state": new_state, "note": (data.get("note") or "").strip() or None})


def add_follow_up(society, actor, data: dict) -> DecisionEntry:
    """Add a note on how a decision is being carried out."""
    decision = get_decision(society, data["decision_id"])
    note = (data.get("note") or "").strip()
    if not note:
        raise ServiceError(_("Write the follow-up note."), field="note")
    return _append(society, actor, {"entry_type": EntryType.follow_up.value, "decision_id": decision.decision_id,
                                    "note": note})


def add_correction(society, actor, data: dict) -> DecisionEntry:
    """Correct an earlier entry with a new one that points at it; a corrected record meets the rules again."""
    decision = get_decision(society, data["decision_id"])
    try:
        corrects = int(data.get("corrects_seq"))
    except (TypeError, ValueError):
        corrects = None
    target = next((e for e in decision.entries if e.seq == corrects), None)
    if target is None:
        raise ServiceError(_("Correction rule: a correction must point at an earlier entry of this decision."),
                           field="corrects_seq")
    reason = (data.get("note") or "").strip()
    if not reason:
        raise ServiceError(_("Correction rule: give the reason for the correction."), field="note")
    values = {"entry_type": EntryType.correction.value, "decision_id": decision.decision_id,
              "corrects_seq": corrects, "note": reason}
    if target.entry_type in (EntryType.record.value, EntryType.correction.value) and target.kind:
        merged = {name: getattr(decision.current, name) for name in RECORD_FIELDS}
        merged["party_prestudy"] = {True: "yes", False: "no", None: None}[merged["party_prestudy"]]
        merged.update({k: v for k, v in data.items() if k in RECORD_FIELDS})
        values.update(check_record(society, merged))
    return _append(society, actor, values)


def sign_checkpoint(society, actor, data: dict | None = None) -> DecisionCheckpoint:
    """Sign the chain's current head with the server key, after checking the chain is intact."""
    report = verify_chain(society)
    if not report.ok:
        raise ServiceError(_("The decision log is broken at entry %(n)d; it cannot be signed.", n=report.bad_seq))
    latest = db.session.scalar(select(func.max(DecisionCheckpoint.seq)))
    if latest == report.head_seq:
        return db.session.scalar(select(DecisionCheckpoint).where(DecisionCheckpoint.seq == latest)
                                 .order_by(DecisionCheckpoint.signed_at.desc()).limit(1))
    signed_at = utcnow()
    cp = DecisionCheckpoint(society_id=society.id, seq=report.head_seq, head_hash=report.head_hash,
                            signed_at=signed_at, signature=sign(society.id, report.head_seq, report.head_hash, signed_at))
    db.session.add(cp)
    db.session.flush()
    return cp


def checkpoints(society) -> list[DecisionCheckpoint]:
    """The society's signed checkpoints, oldest first."""
    return list(db.session.scalars(select(DecisionCheckpoint).order_by(DecisionCheckpoint.seq,
                                                                        DecisionCheckpoint.signed_at)))


def meeting_choices(society) -> list[tuple[str, str]]:
    """Meetings of competent bodies, newest first, as (id, label) for the record form."""
    from society_saas.governance.models import Meeting, Organ
    from society_saas.governance.models.enums import OrganType

    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.held_on, Organ.name)
        .join(Organ, (Organ.society_id == Meeting.society_id) & (Organ.id == Meeting.organ_id))
        .where(Organ.type.in_([OrganType(b.value) for b in Body])).order_by(Meeting.held_on.desc()).limit(200))
    return [(str(r.id), f"{r.held_on.isoformat()} {r.name} {r.title}") for r in rows]


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
