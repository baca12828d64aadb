"""`society-saas seed`: generated scale data (societies, classes, members, governance, decisions, dues).

Rows are generated in Python with a fixed random seed and loaded in bulk (see loader.py), a group
of societies per transaction, as the owner role on PostgreSQL (each society's rows under its
own `app.society_id`), or the configured database on SQLite.
"""
import random
import time as clock
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import create_engine

from society_saas.core import crypto
from society_saas.core.db import Base, new_id
from society_saas.perf import names as N
from society_saas.perf.loader import Loader
from society_saas.perf.seed_governance import governance

PRESETS = {"small": (6, 1_500), "city": (300, 150_000), "national": (2_000, 2_000_000)}
CLASSES = (  # code, zh, en, dues in fen, share of the individual members
    ("regular", "个人会员", "Individual member", 20_000, 0.78),
    ("senior", "高级会员", "Senior member", 50_000, 0.15),
    ("student", "学生会员", "Student member", 5_000, 0.07),
    ("institutional", "单位会员", "Institutional member", 300_000, 0.0),
)
STATUSES = (("active", 0.84), ("grace", 0.05), ("lapsed", 0.07), ("resigned", 0.03), ("deceased", 0.01))
BATCH_MEMBERS = 25_000


def dues_available() -> bool:
    """True once the dues area's tables are in the metadata."""
    return "dues_invoice" in Base.metadata.tables


def _pick(rng, pairs):
    x, acc = rng.random(), 0.0
    for value, share in pairs:
        acc += share
        if x < acc:
            return value
    return pairs[0][0]


def seed(app, societies: int, members: int, rng_seed: int = 20240601, echo=print) -> dict:
    """Generate and load the data; return the row counts per table and the elapsed seconds."""
    import society_saas.models  # noqa: F401  (every table in the metadata)

    started = clock.monotonic()
    rng = random.Random(rng_seed)
    tag = f"{rng_seed % 1000:03d}{int(clock.time()) % 100_000:05d}"
    url = app.config.get("DATABASE_OWNER_URL") or app.config["DATABASE_URL"]
    engine = create_engine(url)
    T = Base.metadata.tables
    today = date.today()
    sizes = N.society_sizes(societies, members)
    counts: dict[str, int] = {}
    with app.app_context():
        index, batch_start = 0, 0
        while index < len(sizes):
            group, total = [], 0
            while index < len(sizes) and (not group or total + sizes[index] <= BATCH_MEMBERS):
                group.append((index, sizes[index]))
                total += sizes[index]
                index += 1
            with engine.begin() as conn:
                ld = Loader(conn)
                ids = [_society(ld, T, rng, i, size, tag, today) for i, size in group]
                ld.flush(ids)
            for name, n in ld.counts.items():
                counts[name] = counts.get(name, 0) + n
            batch_start += len(group)
            echo(f"  {batch_start}/{len(sizes)} societies, {sum(s for _, s in group)} members in this batch "
                 f"({clock.monotonic() - started:.1f} s)")
    if engine.dialect.name == "postgresql":
        # Fresh bulk loads have no statistics until autovacuum comes by; plan the first queries well.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in counts:
                conn.exec_driver_sql(f'ANALYZE "{name}"')
    engine.dispose()
    return {"counts": counts, "seconds": round(clock.monotonic() - started, 1), "tag": tag}


def _society(ld, T, rng, i: int, size: int, tag: str, today: date):
    """Queue one society and everything in it; return its id."""
    sid = new_id()
    disc = N.DISCIPLINES[i % len(N.DISCIPLINES)]
    ld.add(T["society"], {
        "id": sid, "slug": f"seed-{tag}-{i:04d}", "name": f"示例市{disc}学会（{tag}-{i:04d}）",
        "short_name": f"{disc}学会", "kind": "society", "registration_no": f"5133{rng.randrange(10**14):014d}",
        "supporting_unit": rng.choice(N.UNITS), "discipline": disc,
        "consortium": rng.choice(("理科", "工科", "农科", "医科", "交叉学科")), "contact_name": N.person_name(rng),
        "contact_phone": N.mobile(rng), "contact_email": f"office{i}@seed.example.cn", "status": "active",
        "settings": {"generated": True}})
    classes = {}
    for order, (code, zh, en, fen, _share) in enumerate(CLASSES):
        classes[code] = new_id()
        ld.add(T["member_class"], {"society_id": sid, "id": classes[code], "code": code, "name_zh": zh, "name_en": en,
                                   "annual_dues_fen": fen, "min_years": 5 if code == "senior" else 0,
                                   "requires_senior_title": code == "senior", "elected": code == "senior",
                                   "may_vote": code != "student", "may_stand": code != "student", "sort_order": order})
    ld.add(T["member_number_sequence"], {"society_id": sid, "id": new_id(), "prefix": "M", "counter": size, "width": 6})
    people = _members(ld, T, rng, sid, size, classes, today)
    governance(ld, T, rng, sid, [p for p in people if p["gender"]], today)
    if dues_available():
        _dues(ld, T, rng, sid, people, classes, today)
    return sid


def _members(ld, T, rng, sid, size: int, classes: dict, today: date) -> list[dict]:
    """The ledger: individuals of three classes and a few institutions, with their admission events."""
    people, seen = [], set()
    individual = [(c[0], c[4]) for c in CLASSES if c[4]]
    for k in range(size):
        code = "institutional" if size >= 50 and rng.random() < 0.02 else _pick(rng, individual)
        status = _pick(rng, STATUSES)
        joined = today - timedelta(days=int(rng.triangular(0, 15 * 365, 0)))
        row = {"society_id": sid, "id": new_id(), "member_number": f"M{k + 1:06d}", "class_id": classes[code],
               "status": status, "join_date": joined, "region": rng.choice(N.DISTRICTS), "nationality": "mainland",
               "valid_until": date(today.year, 12, 31) if status in ("active", "grace") else date(today.year - 1, 12, 31),
               "created_at": datetime.combine(joined, time(2), tzinfo=timezone.utc), "reverify_fields": [],
               "email": f"m{k + 1}.{str(sid)[-6:]}@seed.example.cn", "mobile": N.mobile(rng),
               "discipline": N.DISCIPLINES[rng.randrange(len(N.DISCIPLINES))]}
        if code == "institutional":
            org = f"{rng.choice(N.UNITS)}{k}分部"
            row.update(name=org, organisation=org, credit_code=f"91{rng.randrange(10**15):015d}X",
                       contact_person=N.person_name(rng), gender=None, birth_date=None, work_unit=org,
                       front_line=False, senior_title=False)
        else:
            female = rng.random() < 0.42
            age = rng.randrange(20, 30) if code == "student" else int(rng.triangular(24, 82, 42))
            birth = date(today.year - age, rng.randrange(1, 13), rng.randrange(1, 29))
            id_number = N.resident_id(rng, birth, k, female)
            while id_number in seen:
                id_number = N.resident_id(rng, birth, rng.randrange(10**6), female)
            seen.add(id_number)
            title, senior = N.TITLES[rng.randrange(4) if code == "senior" else rng.randrange(len(N.TITLES))]
            row.update(name=N.person_name(rng), gender="female" if female else "male", birth_date=birth,
                       id_type="resident_id", id_number_encrypted=crypto.encrypt(id_number),
                       id_number_index=crypto.blind_index(id_number), id_number_masked=crypto.mask(id_number),
                       work_unit="示例大学" if code == "student" else rng.choice(N.UNITS),
                       professional_title=None if code == "student" else title, senior_title=senior and code != "student",
                       education=rng.choice(N.EDUCATION), front_line=rng.random() < 0.55,
                       party_member=rng.random() < 0.4)
        ld.add(T["member"], row)
        ld.add(T["member_event"], {"society_id": sid, "id": new_id(), "member_id": row["id"], "at": row["created_at"],
                                   "created_at": row["created_at"], "kind": "admitted", "to_status": "active",
                                   "to_class": code, "note": "seed"})
        people.append({"id": row["id"], "name": row["name"], "gender": row["gender"], "birth_date": row["birth_date"],
                       "front_line": row["front_line"], "work_unit": row["work_unit"], "code": code,
                       "class_id": row["class_id"], "status": status, "join_date": joined})
    return people


def _dues(ld, T, rng, sid, people: list[dict], classes: dict, today: date) -> None:
    """Five years of schedules, invoices, confirmed payments and gapless receipts."""
    fees = {c[0]: c[3] for c in CLASSES}
    receipt_seq: dict[int, int] = {}
    for year in range(today.year - 4, today.year + 1):
        due = date(year, 3, 31)
        for code, cid in classes.items():
            ld.add(T["dues_schedule"], {"society_id": sid, "id": new_id(), "class_id": cid, "dues_year": year,
                                        "amount_fen": fees[code], "currency": "CNY", "due_date": due, "grace_days": 90})
        for p in people:
            if p["join_date"] > date(year, 12, 31):
                continue
            gone = p["status"] in ("lapsed", "resigned", "deceased")
            paid = rng.random() < (0.55 if year == today.year else 0.9) and not (gone and year >= today.year - 1)
            amount = fees[p["code"]]
            iid = new_id()
            ld.add(T["dues_invoice"], {"society_id": sid, "id": iid, "member_id": p["id"], "class_id": p["class_id"],
                                       "dues_year": year, "amount_fen": amount, "paid_fen": amount if paid else 0,
                                       "currency": "CNY", "state": "paid" if paid else "open", "due_date": due,
                                       "grace_until": due + timedelta(days=90),
                                       "created_at": datetime(year, 1, 5, 1, tzinfo=timezone.utc)})
            if not paid:
                continue
            paid_on = date(year, rng.randrange(1, 7), rng.randrange(1, 29))
            if paid_on > today:
                paid_on = today
            pid = new_id()
            at = datetime.combine(paid_on, time(3), tzinfo=timezone.utc)
            ld.add(T["dues_payment"], {"society_id": sid, "id": pid, "invoice_id": iid, "member_id": p["id"],
                                       "method": rng.choice(("wechat_pay", "alipay", "bank_transfer", "stripe_card")),
                                       "amount_fen": amount, "refunded_fen": 0, "currency": "CNY", "state": "confirmed",
                                       "paid_on": paid_on, "confirmed_at": at, "created_at": at})
            seq = receipt_seq[paid_on.year] = receipt_seq.get(paid_on.year, 0) + 1
            ld.add(T["dues_receipt"], {"society_id": sid, "id": new_id(), "payment_id": pid, "year": paid_on.year,
                                       "seq": seq, "number": f"{paid_on.year}-{seq:06d}", "issued_on": paid_on})
    for year, counter in receipt_seq.items():
        ld.add(T["dues_receipt_counter"], {"society_id": sid, "id": new_id(), "year": year, "counter": counter})
