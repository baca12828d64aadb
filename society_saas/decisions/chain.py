"""The hash chain: canonical JSON of an entry, its hash, checkpoint signatures, and verification."""
import hashlib
import hmac
import itertools
import json
import operator
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from flask import current_app
from sqlalchemy import select

from society_saas.decisions.models import GENESIS_HASH, HASHED_FIELDS, DecisionCheckpoint, DecisionEntry
from society_saas.extensions import db


def _canonical_value(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        # ISO UTC with microseconds; SQLite and PostgreSQL both keep them.
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError("floats are not allowed in the decision log; use integers (fen)")
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_value(v) for v in value]
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def canonical_json(values: dict) -> bytes:
    """The entry's hashed fields as canonical JSON: sorted keys, no spaces, UTF-8."""
    doc = {name: _canonical_value(values.get(name)) for name in HASHED_FIELDS}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_values(entry) -> dict:
    """The hashed fields of an entry object or row mapping."""
    if isinstance(entry, dict):
        return entry
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def compute_hash(prev_hash: str, values: dict) -> str:
    """sha256(prev_hash || canonical JSON of the entry), hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(values)).hexdigest()


def signing_key() -> bytes:
    """The server's HMAC key for checkpoints (derived from SECRET_KEY when not configured)."""
    key = current_app.config.get("DECISION_SIGNING_KEY")
    if not key:
        key = hashlib.sha256(b"decision-signing:" + current_app.config["SECRET_KEY"].encode()).hexdigest()
    return key.encode() if isinstance(key, str) else key


def sign(society_id, seq: int, head_hash: str, signed_at: datetime) -> str:
    """The HMAC-SHA256 signature of one checkpoint."""
    message = f"{society_id}|{seq}|{head_hash}|{_canonical_value(signed_at)}".encode()
    return hmac.new(signing_key(), message, hashlib.sha256).hexdigest()


# (prev_hash, digest of the entry's hashed values as Python reprs) -> the entry's hash. Every page that shows
# the chain's status walks it whole; an unchanged entry then costs a repr and a digest instead of its canonical
# JSON. The key holds the exact input of compute_hash, so an altered entry misses and is hashed afresh.
_HASHES: dict[tuple[str, bytes], str] = {}
_HASHES_MAX = 50_000


def _hash_of(prev_hash: str, row) -> str:
    key = (prev_hash, hashlib.sha256(repr(tuple(row[name] for name in HASHED_FIELDS)).encode()).digest())
    found = _HASHES.get(key)
    if found is None:
        if len(_HASHES) >= _HASHES_MAX:
            _HASHES.clear()
        found = _HASHES[key] = compute_hash(prev_hash, row)
    return found


@dataclass
class ChainReport:
    """The outcome of verifying one society's chain."""

    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    reason: str | None = None


def _entry_columns() -> list:
    return [getattr(DecisionEntry, name) for name in HASHED_FIELDS] + [DecisionEntry.prev_hash, DecisionEntry.hash]


def _checkpoint_items(rows) -> list[dict]:
    return [dict(seq=c.seq, head_hash=c.head_hash, signed_at=c.signed_at, signature=c.signature) for c in rows]


def verify_chain(society, exported: list[dict] | None = None) -> ChainReport:
    """Walk the chain in one ordered query; report the first bad entry, then check the checkpoints."""
    rows = db.session.execute(
        select(*_entry_columns()).where(DecisionEntry.society_id == society.id).order_by(DecisionEntry.seq)
    ).mappings()
    checkpoints = _checkpoint_items(db.session.scalars(select(DecisionCheckpoint).where(
        DecisionCheckpoint.society_id == society.id).order_by(DecisionCheckpoint.seq)))
    return walk_chain(society.id, rows, checkpoints, exported)


def verify_all_chains(society_ids) -> dict:
    """Every given society's chain walked whole, as verify_chain does, in two queries for all of them
    (run in the cross-society context): {society_id: ChainReport}."""
    ids = list(society_ids)
    rows = db.session.execute(
        select(*_entry_columns()).where(DecisionEntry.society_id.in_(ids))
        .order_by(DecisionEntry.society_id, DecisionEntry.seq).execution_options(yield_per=2000)).mappings()
    checkpoints: dict = {}
    for cp in db.session.scalars(select(DecisionCheckpoint).where(DecisionCheckpoint.society_id.in_(ids))
                                 .order_by(DecisionCheckpoint.society_id, DecisionCheckpoint.seq)):
        checkpoints.setdefault(cp.society_id, []).append(cp)
    reports = {sid: walk_chain(sid, group, _checkpoint_items(checkpoints.get(sid, [])))
               for sid, group in itertools.groupby(rows, key=operator.itemgetter("society_id"))}
    for sid in ids:  # a society without entries: its checkpoints still have to match nothing
        if sid not in reports:
            reports[sid] = walk_chain(sid, [], _checkpoint_items(checkpoints.get(sid, [])))
    return reports


def walk_chain(society_id, rows, checkpoints: list[dict], exported: list[dict] | None = None) -> ChainReport:
    """Check one society's entries (in seq order) link and hash, then its stored and exported checkpoints."""
    prev, expected_seq, count = GENESIS_HASH, 1, 0
    hashes: dict[int, str] = {}
    for row in rows:
        count += 1
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(False, count, expected_seq - 1, prev, seq, f"sequence gap: expected {expected_seq}")
        if row["prev_hash"] != prev:
            return ChainReport(False, count, seq - 1, prev, seq, "prev_hash does not link to the previous entry")
        if _hash_of(prev, row) != row["hash"]:
            return ChainReport(False, count, seq - 1, prev, seq, "hash does not match the entry's content")
        hashes[seq] = prev = row["hash"]
        expected_seq += 1
    head_seq = expected_seq - 1
    for source, items in (("checkpoint", checkpoints), ("exported checkpoint", exported or [])):
        for cp in items:
            signed_at = cp["signed_at"]
            if isinstance(signed_at, str):
                signed_at = datetime.strptime(signed_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            if not hmac.compare_digest(sign(society_id, cp["seq"], cp["head_hash"], signed_at), cp["signature"]):
                return ChainReport(False, count, head_seq, prev, cp["seq"], f"{source} signature is not valid")
            if hashes.get(cp["seq"]) != cp["head_hash"]:
                return ChainReport(False, count, head_seq, prev, cp["seq"],
                                   f"{source} at seq {cp['seq']} does not match the chain (rewritten)")
    return ChainReport(True, count, head_seq, prev)


def checkpoint_dict(society, cp: DecisionCheckpoint) -> dict:
    """One checkpoint as exported JSON."""
    return {"society": society.slug, "society_id": str(society.id), "seq": cp.seq, "head_hash": cp.head_hash,
            "signed_at": _canonical_value(cp.signed_at), "signature": cp.signature}


def attendance_roll(meeting_id) -> list[dict]:
    """A meeting's recorded attendance as the decision log chains it: name, status and proxy, in a fixed order."""
    return _rolls([meeting_id]).get(meeting_id, [])


def _rolls(meeting_ids) -> dict:
    from society_saas.governance.models import MeetingAttendance

    rolls: dict = {}
    rows = db.session.execute(select(MeetingAttendance.meeting_id, MeetingAttendance.name, MeetingAttendance.status,
                                     MeetingAttendance.proxy_name)
                              .where(MeetingAttendance.meeting_id.in_(list(meeting_ids))))
    for meeting_id, name, status, proxy in rows:
        rolls.setdefault(meeting_id, []).append({"name": name, "status": getattr(status, "value", status),
                                                 "proxy": proxy or None})
    for roll in rolls.values():
        roll.sort(key=lambda r: (r["name"], r["status"], r["proxy"] or ""))
    return rolls


def verify_attendance(society) -> list[tuple[int, str]]:
    """Records whose meeting's attendance no longer matches the roll chained with them: (seq, meeting)."""
    records = db.session.execute(select(DecisionEntry.seq, DecisionEntry.meeting_id, DecisionEntry.meeting_ref,
                                        DecisionEntry.payload)
                                 .where(DecisionEntry.society_id == society.id, DecisionEntry.meeting_id.is_not(None),
                                        DecisionEntry.entry_type == "record").order_by(DecisionEntry.seq)).all()
    chained = [(seq, meeting_id, ref, (payload or {}).get("attendance")) for seq, meeting_id, ref, payload in records]
    rolls = _rolls({meeting_id for _seq, meeting_id, _ref, roll in chained if roll is not None})
    return [(seq, ref) for seq, meeting_id, ref, roll in chained
            if roll is not None and rolls.get(meeting_id, []) != roll]


def verify_files(society) -> list[tuple[int, str, str]]:
    """Attachments whose stored bytes no longer match the sha256 chained in their entry: (seq, name, problem)."""
    from society_saas.core import storage
    from society_saas.core.errors import ServiceError

    problems = []
    rows = db.session.execute(select(DecisionEntry.seq, DecisionEntry.payload).where(
        DecisionEntry.society_id == society.id).order_by(DecisionEntry.seq))
    for seq, payload in rows:
        for meta in (payload or {}).get("attachments") or []:
            try:
                data = storage.path_of(meta["key"]).read_bytes()
            except (OSError, ServiceError):  # missing, or a key outside the storage root
                problems.append((seq, meta.get("name", ""), "missing"))
                continue
            if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
                problems.append((seq, meta.get("name", ""), "altered"))
    return problems
