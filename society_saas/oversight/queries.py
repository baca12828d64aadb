"""Set-based queries of the association console: every figure for every society in a fixed number of queries.

Each function runs one grouped query (or two) inside the read-only cross-society context and
returns {society_id: value}; none loops over societies in SQL. The overview reads them all. Each takes
`ids`, the societies to count (None: every society), so a page of the overview or one society's
figures reads only their rows.
"""
import uuid
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select

from society_saas.core.db import among
from society_saas.core.pagination import Page
from society_saas.decisions.models import DecisionCheckpoint, DecisionEntry, EntryType, GENESIS_HASH, HASHED_FIELDS
from society_saas.extensions import db
from society_saas.governance.models import Meeting, Organ, OrganType, Renewal, Term
from society_saas.governance.services.structure import current_terms
from society_saas.members.models import Member, MemberRequest, MemberStatus, RequestStatus
from society_saas.oversight.models import Activity, FilingState
from society_saas.tenancy.context import cross_society
from society_saas.tenancy.models import Society

CURRENT = (MemberStatus.active, MemberStatus.grace)
RENEWAL_STATES = ("on_time", "due_soon", "overdue", "postponed", "done", "none")


def _rows(stmt):
    with cross_society():
        return db.session.execute(stmt).all()


def member_counts(on: date, ids=None) -> dict[uuid.UUID, dict]:
    """Current members, joined this year and the growth in percent, per society (one query)."""
    year_start = date(on.year, 1, 1)
    stmt = (select(Member.society_id, func.count(),
                   func.coalesce(func.sum(case((Member.join_date >= year_start, 1), else_=0)), 0))
            .where(Member.status.in_(CURRENT), among(Member.society_id, ids)).group_by(Member.society_id))
    out = {}
    for sid, total, joined in _rows(stmt):
        before = total - joined
        out[sid] = {"members": int(total), "joined": int(joined),
                    "growth": round(100.0 * joined / before, 1) if before else 0.0}
    return out


def current_council_terms(on: date, ids=None) -> dict[uuid.UUID, tuple]:
    """(the term's end, its renewal's status and postponement or None) of every society's council term in office
    on `on` (a term entered ahead of time is not, before it starts).

    One query of columns only: loading Term and Renewal objects (with the renewal's JSON plan and
    candidates) for every society cost the console overview ~25 ms of Python a request."""
    latest = current_terms(on, [OrganType.council], ids)
    stmt = (select(Term.society_id, Term.ends_on, Renewal.id.label("renewal_id"), Renewal.status, Renewal.postponed_until)
            .join(latest, and_(latest.c.society_id == Term.society_id, latest.c.organ_id == Term.organ_id,
                               latest.c.number == Term.number))
            .join(Renewal, and_(Renewal.society_id == Term.society_id, Renewal.term_id == Term.id), isouter=True))
    return {row.society_id: (row.ends_on, row if row.renewal_id is not None else None) for row in _rows(stmt)}


def renewal_status(on: date, ids=None) -> dict[uuid.UUID, dict]:
    """Renewal standing (on_time, due_soon, overdue, postponed, done) and the term's end, per society."""
    from society_saas.governance.services.renewals import standing

    return {sid: {"status": standing(ends_on, renewal, on), "ends_on": ends_on, "overdue_days": max(0, (on - ends_on).days)}
            for sid, (ends_on, renewal) in current_council_terms(on, ids).items()}


def meetings_as_required(on: date, ids=None) -> dict[uuid.UUID, dict]:
    """Last council and standing-council meetings; held as required when the council met in the past
    12 months and the standing council (where there is one) in the past 6 months (one query)."""
    stmt = (select(Organ.society_id, Organ.type, func.max(Meeting.held_on))
            .join(Meeting, and_(Meeting.society_id == Organ.society_id, Meeting.organ_id == Organ.id,
                                Meeting.held_on <= on), isouter=True)
            .where(Organ.type.in_((OrganType.council, OrganType.standing_council)), Organ.active.is_(True),
                   among(Organ.society_id, ids))
            .group_by(Organ.society_id, Organ.type))
    last: dict = defaultdict(dict)
    for sid, organ_type, held in _rows(stmt):
        last[sid][OrganType(organ_type).value] = held
    out = {}
    for sid, by_type in last.items():
        council, standing_council = by_type.get("council"), by_type.get("standing_council")
        ok = council is not None and council > on - timedelta(days=365)
        if "standing_council" in by_type:
            ok = ok and standing_council is not None and standing_council > on - timedelta(days=183)
        out[sid] = {"ok": ok, "council": council, "standing_council": standing_council}
    return out


def composition_met(on: date, ids=None) -> dict[uuid.UUID, dict]:
    """How many of the association's composition checks each society meets (two queries: rules, rosters)."""
    from society_saas.governance.services.composition import RuleResult, compliance_overview, list_rules

    with cross_society():
        rules = list_rules(active_only=True)
        rosters = compliance_overview(on, ids)
    out: dict = {}
    for sid, organ_type, _term, counts in rosters:
        entry = out.setdefault(sid, {"met": 0, "checked": 0})
        for rule in rules:
            if rule.body == organ_type:
                entry["checked"] += 1
                entry["met"] += int(RuleResult(rule, counts[rule.attribute.value], counts["total"]).ok)
    for entry in out.values():
        entry["ok"] = entry["met"] == entry["checked"]
    return out


def chains_intact(ids=None) -> dict[uuid.UUID, dict]:
    """Every society's decision chain, checked from its latest signed checkpoint on (three queries, hashing in Python).

    The server signs a checkpoint only after walking the whole chain and finding it intact
    (sign_checkpoint), so the console re-hashes just the entries after it: each latest checkpoint's
    signature, the entry at its seq still carrying the signed hash, no entry missing (count equals the
    highest seq), and every later entry chained to the one before. The full walk from the first entry
    is the verify page and `society-saas decisions verify`; `decisions checkpoint` signs every head.
    """
    from society_saas.decisions.chain import compute_hash, sign

    cp, entry = DecisionCheckpoint, DecisionEntry
    latest = (select(cp.society_id, func.max(cp.seq).label("seq")).where(among(cp.society_id, ids))
              .group_by(cp.society_id).subquery())
    columns = [getattr(entry, name) for name in HASHED_FIELDS] + [entry.prev_hash, entry.hash]
    with cross_society():
        heads = db.session.execute(select(cp.society_id, cp.seq, cp.head_hash, cp.signed_at, cp.signature)
                                   .join(latest, and_(latest.c.society_id == cp.society_id, latest.c.seq == cp.seq))).all()
        counts = db.session.execute(select(entry.society_id, func.count(), func.max(entry.seq))
                                    .where(among(entry.society_id, ids)).group_by(entry.society_id)).all()
        rows = db.session.execute(select(*columns).join(latest, latest.c.society_id == entry.society_id, isouter=True)
                                  .where(entry.seq >= func.coalesce(latest.c.seq, 1), among(entry.society_id, ids))
                                  .order_by(entry.society_id, entry.seq)).mappings().all()
    state = {sid: {"ok": n == top, "entries": int(n), "bad_seq": None} for sid, n, top in counts}
    start: dict = {}
    for sid, seq, head, signed_at, signature in heads:
        s = state.setdefault(sid, {"ok": True, "entries": 0, "bad_seq": None})
        start[sid] = (seq, head)
        if s["ok"] and sign(sid, seq, head, signed_at) != signature:
            s["ok"], s["bad_seq"] = False, seq
    walk: dict = {}
    for row in rows:
        sid, s = row["society_id"], state[row["society_id"]]
        if not s["ok"]:
            continue
        if sid not in walk:  # the first row: the checkpoint's entry, or entry 1 when none was signed
            seq, head = start.get(sid, (None, None))
            if seq is not None:
                if row["seq"] != seq or row["hash"] != head:
                    s["ok"], s["bad_seq"] = False, seq
                walk[sid] = (seq + 1, row["hash"])
                continue
            walk[sid] = (1, GENESIS_HASH)
        expected, prev = walk[sid]
        if row["seq"] != expected or row["prev_hash"] != prev or compute_hash(prev, dict(row)) != row["hash"]:
            s["ok"], s["bad_seq"] = False, row["seq"]
            continue
        walk[sid] = (expected + 1, row["hash"])
    for sid, (seq, _head) in start.items():  # a checkpoint beyond the last entry: entries were removed
        if state[sid]["ok"] and sid not in walk:
            state[sid]["ok"], state[sid]["bad_seq"] = False, seq
    return state


def reported_waiting(ids=None) -> dict[uuid.UUID, int]:
    """Matters reported to the association that it has not answered yet, per society (one query)."""
    record = DecisionEntry.__table__.alias("rec")
    response = DecisionEntry.__table__.alias("resp")
    answered = (select(response.c.decision_id)
                .where(response.c.society_id == record.c.society_id, response.c.decision_id == record.c.decision_id,
                       response.c.entry_type == EntryType.association_response.value).exists())
    stmt = (select(record.c.society_id, func.count())
            .where(record.c.entry_type == EntryType.record.value, record.c.report_to_association.is_(True), ~answered,
                   among(record.c.society_id, ids))
            .group_by(record.c.society_id))
    return {sid: int(n) for sid, n in _rows(stmt)}


def open_requests(ids=None) -> dict[uuid.UUID, int]:
    """Members' requests still open, per society (one query)."""
    stmt = (select(MemberRequest.society_id, func.count())
            .where(MemberRequest.status == RequestStatus.open, among(MemberRequest.society_id, ids))
            .group_by(MemberRequest.society_id))
    return {sid: int(n) for sid, n in _rows(stmt)}


def activity_counts(year: int, ids=None) -> dict[uuid.UUID, dict]:
    """Activities held in a year by kind (recorded or approved), and filings waiting for review (one query)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counted = Activity.filing_state.in_((FilingState.not_required, FilingState.approved))
    in_year = and_(Activity.starts_on >= start, Activity.starts_on <= end)
    stmt = (select(Activity.society_id, Activity.kind,
                   func.coalesce(func.sum(case((and_(counted, in_year), 1), else_=0)), 0),
                   func.coalesce(func.sum(case((Activity.filing_state == FilingState.submitted, 1), else_=0)), 0))
            .where(among(Activity.society_id, ids)).group_by(Activity.society_id, Activity.kind))
    out: dict = {}
    for sid, kind, held, waiting in _rows(stmt):
        entry = out.setdefault(sid, {"total": 0, "waiting": 0, "by_kind": {}})
        kind = getattr(kind, "value", kind)
        entry["by_kind"][kind] = int(held)
        entry["total"] += int(held)
        entry["waiting"] += int(waiting)
    return out


def dues_collected(year: int, ids=None) -> dict[uuid.UUID, dict]:
    """Dues invoiced for a year and paid, per society (one query; only the invoices the dues area counts as due)."""
    from society_saas.dues.models import DUE_STATES, Invoice
    from society_saas.dues.services.reports import rate_permille

    stmt = (select(Invoice.society_id, func.coalesce(func.sum(Invoice.amount_fen), 0),
                   func.coalesce(func.sum(Invoice.paid_fen), 0))
            .where(Invoice.dues_year == year, Invoice.state.in_(DUE_STATES), among(Invoice.society_id, ids))
            .group_by(Invoice.society_id))
    out = {}
    for sid, due, got in _rows(stmt):
        due, got = int(due or 0), int(got or 0)
        out[sid] = {"due_fen": due, "paid_fen": got, "rate": rate_permille(got, due) / 10}
    return out


def overview(societies: list[Society], on: date, every: bool = False) -> list[dict]:
    """One row per society with every figure of the console; a fixed number of queries for any number of them.

    The queries read the given societies' rows only, or every society's when `every` says the list
    holds them all (a full scan then beats looking up hundreds of ids)."""
    ids = None if every else [s.id for s in societies]
    members, renewals, meetings = member_counts(on, ids), renewal_status(on, ids), meetings_as_required(on, ids)
    composition, chains, reported = composition_met(on, ids), chains_intact(ids), reported_waiting(ids)
    requests, activities, dues = open_requests(ids), activity_counts(on.year, ids), dues_collected(on.year, ids)
    rows = []
    for s in societies:
        rows.append({
            "society": s,
            "members": members.get(s.id, {"members": 0, "joined": 0, "growth": 0.0}),
            "renewal": renewals.get(s.id, {"status": "none", "ends_on": None, "overdue_days": 0}),
            "meetings": meetings.get(s.id, {"ok": False, "council": None, "standing_council": None}),
            "composition": composition.get(s.id, {"ok": True, "met": 0, "checked": 0}),
            "chain": chains.get(s.id, {"ok": True, "entries": 0, "bad_seq": None}),
            "reported_waiting": reported.get(s.id, 0),
            "open_requests": requests.get(s.id, 0),
            "activities": activities.get(s.id, {"total": 0, "waiting": 0, "by_kind": {}}),
            "dues": dues.get(s.id),
        })
    return rows


def page_of(societies: list[Society], number: int, per_page: int) -> Page:
    """One page of an already filtered list of societies (a number past the end gives the last page)."""
    page = Page(items=[], number=1, per_page=per_page, total=len(societies))
    page.number = min(max(1, number or 1), page.pages)
    start = (page.number - 1) * per_page
    page.items = societies[start:start + per_page]
    return page


def renewal_standings(societies: list[Society], on: date) -> dict[str, int]:
    """How many of the societies stand where in their council's renewal (one query): the renewal chart."""
    status = renewal_status(on)
    counts: dict[str, int] = defaultdict(int)
    for s in societies:
        counts[status[s.id]["status"] if s.id in status else "none"] += 1
    return dict(counts)


def chart_data(rows: list[dict], standings: dict[str, int]) -> dict:
    """The figures the overview's ECharts draw: members of the societies shown, and renewal standings of all."""
    return {"names": [r["society"].short_name for r in rows],
            "members": [r["members"]["members"] for r in rows],
            "joined": [r["members"]["joined"] for r in rows],
            "renewal": standings}


def consortia() -> list[str]:
    """The consortia (学会联合体) named on societies, for the filter (one query on a global table)."""
    return [c for (c,) in db.session.execute(select(Society.consortium).where(Society.consortium.is_not(None))
                                             .distinct().order_by(Society.consortium))]
