"""Generated governance for one society: organs, terms, positions, meetings, the decision chain, activities."""
import random
from datetime import date, datetime, time, timedelta, timezone

from society_saas.core.db import new_id
from society_saas.perf import names as N


def _at(day: date, rng: random.Random) -> datetime:
    """A UTC moment on a working day's office hours (Beijing 09:00-17:00)."""
    return datetime.combine(day, time(1 + rng.randrange(8), rng.randrange(60), rng.randrange(60),
                                      rng.randrange(1_000_000)), tzinfo=timezone.utc)


def governance(ld, T, rng: random.Random, sid, people: list[dict], today: date) -> None:
    """Organs with their previous and current terms, the council's positions, five years of meetings,
    the 三重一大 chain and activities."""
    organs = {}
    for otype, name in (("general_assembly", "会员代表大会"), ("council", "理事会"), ("standing_council", "常务理事会"),
                        ("supervisory_board", "监事会"), ("secretariat", "秘书处")):
        organs[otype] = new_id()
        ld.add(T["organ"], {"society_id": sid, "id": organs[otype], "type": otype, "name": name, "active": True})
    for b in range(rng.randrange(1, 4)):
        ld.add(T["organ"], {"society_id": sid, "id": new_id(), "type": "branch", "branch_subtype": "specialist",
                            "name": f"第{b + 1}专业委员会", "active": True})
    # Most terms run to 2027; about one society in eight is overdue for its renewal.
    start = date(today.year - (6 if rng.random() < 0.12 else rng.randrange(1, 5)), rng.randrange(1, 13), 15)
    terms = {}
    for otype in ("general_assembly", "council", "standing_council", "supervisory_board"):
        for number, begins in ((7, start.replace(year=start.year - 5)), (8, start)):
            tid = new_id()
            ld.add(T["term"], {"society_id": sid, "id": tid, "organ_id": organs[otype], "number": number,
                               "starts_on": begins, "ends_on": begins.replace(year=begins.year + 5) - timedelta(days=1)})
            terms[(otype, number)] = (tid, begins)
    council_size = min(60, 15 + len(people) // 400)
    holders = rng.sample(people, min(len(people), council_size + 3))
    roles = (["president"] + ["vice_president"] * 4 + ["secretary_general"]
             + ["standing_council_member"] * (council_size // 3) + ["council_member"] * council_size)[:council_size]
    layout = [(r, "council") for r in roles] + [("chief_supervisor", "supervisory_board"),
                                                ("supervisor", "supervisory_board"), ("supervisor", "supervisory_board")]
    for (role, otype), person in zip(layout, holders):
        tid, begins = terms[(otype, 8)]
        ld.add(T["position"], {"society_id": sid, "id": new_id(), "term_id": tid, "role": role,
                               "holder_name": person["name"], "gender": person["gender"] or "male",
                               "birth_date": person["birth_date"] or date(1970, 1, 1), "front_line": person["front_line"],
                               "region": "mainland", "member_id": person["id"], "employer": person["work_unit"],
                               "starts_on": begins, "ends_on": begins.replace(year=begins.year + 5) - timedelta(days=1)})
    meetings = _meetings(ld, T, rng, sid, organs, terms, council_size, today)
    _decisions(ld, T, rng, sid, meetings, today)
    _activities(ld, T, rng, sid, today)


def _term_on(terms, otype, day):
    for number in (8, 7):
        tid, begins = terms[(otype, number)]
        if day >= begins:
            return tid
    return None


def _meetings(ld, T, rng, sid, organs, terms, council_size, today) -> list[dict]:
    """A council meeting a year and two of the standing council, over five years, none in the future."""
    out = []
    for year in range(today.year - 4, today.year + 1):
        plan = [("council", date(year, rng.randrange(1, 12), rng.randrange(1, 28)))]
        plan += [("standing_council", date(year, m, rng.randrange(1, 28))) for m in (rng.randrange(1, 6), rng.randrange(7, 12))]
        for otype, day in plan:
            if day > today:
                continue
            size = council_size if otype == "council" else max(5, council_size // 3)
            meeting = {"society_id": sid, "id": new_id(), "organ_id": organs[otype], "term_id": _term_on(terms, otype, day),
                       "kind": "regular", "form": rng.choice(("in_person", "in_person", "online")),
                       "title": f"{year}年{'理事会' if otype == 'council' else '常务理事会'}会议",
                       "held_on": day, "members_count": size,
                       "present_count": size - rng.randrange(0, max(1, size // 5)), "proxy_count": 0,
                       "created_at": _at(day, rng)}
            ld.add(T["meeting"], meeting)
            out.append({**meeting, "body": otype})
    return sorted(out, key=lambda m: m["held_on"])


def _decisions(ld, T, rng, sid, meetings, today) -> None:
    """Two or so decisions per meeting, each a record then state changes, chained with correct hashes."""
    from society_saas.decisions.chain import compute_hash
    from society_saas.decisions.models import GENESIS_HASH

    prev, seq = GENESIS_HASH, 0
    events = []
    for m in meetings:
        for _ in range(rng.choice((1, 1, 2, 3))):
            kind, title = rng.choice(N.DECISION_TITLES)
            present = m["present_count"]
            against = rng.randrange(0, 3)
            events.append((_at(m["held_on"], rng), "record", {
                "kind": kind, "title": title, "description": f"{m['title']}审议通过。", "proposer": "秘书处",
                "amount_fen": rng.randrange(50_000, 5_000_000) * 100 if kind in ("large_fund_use", "major_project") else None,
                "meeting_id": m["id"], "body": m["body"], "meeting_ref": m["title"], "meeting_date": m["held_on"],
                "members_total": m["members_count"], "present": present, "votes_for": present - against,
                "votes_against": against, "votes_abstain": 0, "result": "adopted", "supervisors": "present",
                "party_organisation": True, "party_prestudy": True,
                "report_to_association": kind in ("appointment", "large_fund_use")}))
    events.sort(key=lambda e: e[0])
    year_start, signed = datetime(today.year, 1, 1, tzinfo=timezone.utc), None
    for at, etype, fields in events:
        did = new_id()
        for state, days in (("record", 0), ("in_progress", 20), ("completed", 120)):
            when = at + timedelta(days=days)
            if when.date() > today:
                break
            if when >= year_start and signed is None and seq:
                signed = _checkpoint(ld, T, sid, seq, prev, year_start)
            seq += 1
            eid = did if state == "record" else new_id()
            values = {"society_id": sid, "id": eid, "seq": seq, "entry_type": "record" if state == "record" else "state_change",
                      "decision_id": did, "recorded_at": when, "recorded_by_label": "秘书处"}
            values.update(fields if state == "record" else {"state": state})
            values["hash"] = compute_hash(prev, values)
            values["prev_hash"], prev = prev, values["hash"]
            values["created_at"] = when
            ld.add(T["decision_entry"], values)
    # A simplification: the entries of one decision are consecutive in the chain.
    if seq and seq != signed:  # last night's `society-saas decisions checkpoint` signed the head
        _checkpoint(ld, T, sid, seq, prev, datetime.now(timezone.utc) - timedelta(hours=6))


def _checkpoint(ld, T, sid, seq: int, head: str, at: datetime) -> int:
    """A signed checkpoint of the chain's head: at the year's start (the annual report), and last night's."""
    from society_saas.decisions.chain import sign

    ld.add(T["decision_checkpoint"], {"society_id": sid, "id": new_id(), "seq": seq, "head_hash": head,
                                      "signed_at": at, "signature": sign(sid, seq, head, at), "created_at": at})
    return seq


def _activities(ld, T, rng, sid, today) -> None:
    """Four to twelve activities a year, some in the association's name and filed."""
    if "activity" not in T:
        return
    kinds = list(N.ACTIVITY_TITLES)
    for year in range(today.year - 4, today.year + 1):
        for _ in range(rng.randrange(4, 13)):
            day = date(year, rng.randrange(1, 13), rng.randrange(1, 28))
            if day > today:
                continue
            kind = rng.choice(kinds)
            named = rng.random() < 0.3
            ld.add(T["activity"], {"society_id": sid, "id": new_id(), "kind": kind,
                                   "title": f"{year}年{N.ACTIVITY_TITLES[kind]}", "starts_on": day, "ends_on": day,
                                   "venue": rng.choice(N.UNITS), "participants": rng.randrange(30, 800),
                                   "in_association_name": named,
                                   "filing_state": rng.choice(("approved", "approved", "submitted")) if named else "not_required",
                                   "created_at": _at(day, rng)})
