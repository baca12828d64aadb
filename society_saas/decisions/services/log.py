"""Appending to the chain: record, state change, follow-up, correction, checkpoint; reading decisions back.

Every verb appends entries; none updates. The current state of a decision is folded from its entries."""
import uuid
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from society_saas.core.db import new_id, utcnow
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.decisions.chain import attendance_roll, compute_hash, entry_values, sign, verify_chain
from society_saas.decisions.models import GENESIS_HASH, DecisionCheckpoint, DecisionEntry, DecisionState, EntryType
from society_saas.decisions.services.rules import check_record
from society_saas.extensions import db

TRANSITIONS = {
    DecisionState.adopted.value: {DecisionState.in_progress.value, DecisionState.completed.value},
    DecisionState.in_progress.value: {DecisionState.completed.value},
}
RECORD_FIELDS = ("kind", "title", "description", "proposer", "amount_fen", "meeting_id", "body", "meeting_ref", "meeting_date",
                 "members_total", "present", "recused", "votes_for", "votes_against", "votes_abstain", "result",
                 "supervisors", "party_organisation", "party_prestudy", "report_to_association")


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
    # Who attended is chained with the decision: the meeting's roll, copied as it stands now.
    roll = attendance_roll(clean["meeting_id"]) if clean.get("meeting_id") else []
    payload = {**({"attachments": attachments} if attachments else {}), **({"attendance": roll} if roll else {})}
    return _append(society, actor, {"entry_type": EntryType.record.value, "payload": payload or None, **clean})


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
