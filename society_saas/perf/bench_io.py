"""The bench's writing figures: roster import (CSV, xlsx) against a COPY of the same rows into the ledger,
the invoice run against INSERT ... SELECT, and certificate PDFs against a bare WeasyPrint page. Everything is
rolled back."""
import csv
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.perf import names as N
from society_saas.perf.bench import figure, largest_society, timed
from society_saas.tenancy.context import society_context

IMPORT_ROWS = {"small": 2_000, "city": 100_000, "national": 100_000}
CERTIFICATES = {"small": 20, "city": 1_000, "national": 1_000}
HEADER = ("会员类别", "姓名", "性别", "出生日期", "证件号码", "手机", "邮箱", "工作单位", "职称", "学历", "学科", "地区",
          "一线科技工作者", "入会日期", "状态")
COPY_TABLE = ("CREATE TEMP TABLE perf_roster (class_code text, name text, gender text, birth_date date, id_number text, "
              "mobile text, email text, work_unit text, professional_title text, education text, discipline text, "
              "region text, front_line text, join_date date, status text) ON COMMIT DROP")
# The floor of any import: n new members already prepared (copies of the society's own rows with fresh
# time-ordered ids, numbers and ID indexes) in a temporary table, untimed; then timed, the two statements
# that put them in the ledger and its history, as the import's last step does, with the ledger's indexes,
# foreign keys and row-level security.
PREPARED_MEMBERS = [
    "CREATE TEMP TABLE perf_new_member ON COMMIT DROP AS SELECT m.* FROM member m "
    "CROSS JOIN generate_series(1, :copies) g WHERE m.society_id = :s LIMIT :n",
    "UPDATE perf_new_member p SET id = (lpad(to_hex(:ms), 12, '0') || '7000' || '8' || lpad(to_hex(s.k), 15, '0'))::uuid, "
    "member_number = 'P' || lpad(s.k::text, 9, '0'), id_number_index = encode(sha256(('perf' || s.k)::bytea), 'hex'), "
    "user_id = NULL, created_at = now() "
    "FROM (SELECT ctid AS c, row_number() OVER () AS k FROM perf_new_member) s WHERE s.c = p.ctid",
]
LEDGER_WRITE = [
    "INSERT INTO member SELECT * FROM perf_new_member",
    "INSERT INTO member_event (society_id, id, created_at, member_id, at, kind, to_status, to_class, note) "
    "SELECT p.society_id, (lpad(to_hex(:ms + 1), 12, '0') || '7000' || '8' || substr(replace(p.id::text, '-', ''), 18)"
    ")::uuid, p.created_at, p.id, p.created_at, 'admitted', p.status, c.code, 'import' FROM perf_new_member p "
    "JOIN member_class c ON c.society_id = p.society_id AND c.id = p.class_id",
]


def roster(n: int, seed: int = 7) -> list[tuple]:
    """n valid, new individual members (area code 650102 is not used by the seed, so none match the ledger)."""
    rng, seen, out = random.Random(seed), set(), []
    today = date.today()
    for k in range(n):
        female = rng.random() < 0.42
        birth = date(today.year - rng.randrange(23, 70), rng.randrange(1, 13), rng.randrange(1, 29))
        number = N.resident_id(rng, birth, k, female)
        number = "650102" + number[6:17]
        number += N._CHECK[sum(int(d) * w for d, w in zip(number, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2))) % 11]
        if number in seen:
            continue
        seen.add(number)
        title = N.TITLES[rng.randrange(len(N.TITLES))][0]
        out.append(("regular", N.person_name(rng), "女" if female else "男", birth.isoformat(), number, N.mobile(rng),
                    f"import{k}@example.cn", rng.choice(N.UNITS), title, rng.choice(N.EDUCATION),
                    rng.choice(N.DISCIPLINES), rng.choice(N.DISTRICTS), "是" if rng.random() < 0.5 else "",
                    (today - timedelta(days=rng.randrange(3000))).isoformat(), "正常"))
    return out


def as_csv(rows) -> bytes:
    """The roster as a UTF-8 CSV with the Chinese header row (as Excel saves it)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    """The roster as an xlsx workbook (openpyxl, write-only)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import_in_child(path: Path, society_id, dump_folder: Path | None = None) -> dict:
    """Run one import in a fresh process (bench_import_run) and return its JSON line."""
    args = [sys.executable, "-m", "society_saas.perf.bench_import_run", str(path), str(society_id)]
    done = subprocess.run(args + ([str(dump_folder)] if dump_folder else []),
                          capture_output=True, text=True, timeout=900, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _copy_into_ledger(folder: Path, repeat: int) -> tuple[list[float], int]:
    """Seconds (and the member rows) for a plain COPY of the rows an import made (dumped by bench_import_run) into the ledger and its
    history, with their indexes and foreign keys; rolled back each time.

    PostgreSQL refuses COPY FROM into a table whose row-level security applies to the role, so the owner lifts
    FORCE ROW LEVEL SECURITY inside the baseline's own transaction, which the rollback restores."""
    from flask import current_app
    from sqlalchemy import create_engine

    from society_saas.perf.bench_import_run import DUMPED

    data = {table: (folder / f"{table}.copy").read_bytes() for table in DUMPED}
    url = current_app.config.get("DATABASE_OWNER_URL") or current_app.config["DATABASE_URL"]
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection

        def lift_force():
            for table in DUMPED:
                conn.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')

        def copy_rows():
            with conn.cursor() as cursor:
                for table in DUMPED:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data[table])

        return timed(copy_rows, repeat, setup=lift_force, reset=conn.rollback), data["member"].count(b"\n")
    finally:
        raw.close()
        engine.dispose()


def _copy_into_temp(content: bytes, repeat: int) -> list[float]:
    """Seconds for a COPY of the CSV itself into an unindexed temporary table: parsing alone, no ledger."""
    def copy_once():
        cursor = db.session.connection().connection.driver_connection.cursor()
        cursor.execute(COPY_TABLE)
        with cursor.copy("COPY perf_roster FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(content)

    return timed(copy_once, repeat, reset=db.session.rollback)


def bench_import(scale, repeat) -> list[dict]:
    """Import a roster end to end (read the file, check every row, insert), CSV and xlsx, against a plain COPY
    of the same rows (those the import made) into the ledger and its history.

    Each import runs in a process of its own, as the worker runs the import job, so its peak memory is
    the import's and not the bench's (which holds the generated rows and both files)."""
    n = IMPORT_ROWS[scale]
    repeat = repeat if n <= 10_000 else min(repeat, 2)
    society, _count = largest_society()
    rows = roster(n)
    out = []
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    content = as_csv(rows)
    (folder / "roster.csv").write_bytes(content)
    (folder / "roster.xlsx").write_bytes(as_xlsx(rows))
    with society_context(society.id):
        temp_copy = _copy_into_temp(content, repeat)
        floor = _ledger_write(society, len(rows), repeat)
    db.session.rollback()
    runs = {fmt: [_import_in_child(folder / f"roster.{fmt}", society.id, folder if fmt == "csv" and i == 0 else None)
                  for i in range(repeat)] for fmt in ("csv", "xlsx")}
    base, copied = _copy_into_ledger(folder, repeat)
    label = "COPY of the same rows into the ledger and its history"
    temp = statistics.median(temp_copy)
    for fmt, done in runs.items():
        assert all(r["created"] == done[0]["created"] and not r["errors"] for r in done), done
        seconds = [r["seconds"] for r in done]
        out.append(figure(f"import_100k_{fmt}", seconds, "s", label, base, scale, rows=done[0]["created"],
                          peak_rss_mb=max(r["peak_rss_mb"] for r in done),
                          rss_before_mb=max(r["rss_before_mb"] for r in done),
                          baseline_rows=copied, csv_copy_to_temp_s=round(temp, 4),
                          ratio_to_csv_copy_to_temp=round(statistics.median(seconds) / temp, 1),
                          note="each import in a process of its own, as the worker runs the job"))
    out.append(figure("import_100k_ledger_write", floor, "s", label, base, scale, rows=len(rows),
                      note="INSERT ... SELECT of as many prepared new members into the ledger and its history: "
                      "the writing alone, which no import can skip"))
    shutil.rmtree(folder, ignore_errors=True)
    return out


def _ledger_write(society, n: int, repeat: int) -> list[float]:
    """Seconds to put n prepared new members into the ledger and its history (rolled back each time)."""
    members = db.session.scalar(select(func.count()).select_from(Member))
    params = {"s": society.id, "n": n, "copies": -(-n // max(members, 1)), "ms": int(time.time() * 1000)}

    def prepare():
        for sql in PREPARED_MEMBERS:
            db.session.execute(text(sql), params)

    def write():
        for sql in LEDGER_WRITE:
            db.session.execute(text(sql), params)

    return timed(write, repeat, setup=prepare, reset=db.session.rollback)


def bench_invoices(scale, repeat) -> list[dict]:
    """The invoice run for next year in the largest society, against an INSERT ... SELECT of as many rows."""
    from society_saas.perf.seed import dues_available

    if not dues_available():
        return []
    from society_saas.dues.services.invoicing import run_invoices, schedule_from_classes

    society, _count = largest_society()
    year = date.today().year + 1
    made = []
    with society_context(society.id):
        def run():
            made.append(run_invoices(society, None, year))

        def setup_and_run():
            schedule_from_classes(society, None, year)
            db.session.flush()
            return timed(run, 1, warmup=0)[0]

        runs = []
        for i in range(repeat + 1):
            elapsed = setup_and_run()
            db.session.rollback()
            if i:
                runs.append(elapsed)
        baseline_sql = text(
            "INSERT INTO dues_invoice (society_id, id, created_at, member_id, class_id, dues_year, amount_fen, paid_fen, "
            "currency, state, due_date, grace_until) SELECT society_id, gen_random_uuid(), now(), id, class_id, :y, 20000, 0, "
            "'CNY', 'open', :d, :d FROM member WHERE society_id = :s LIMIT :n")
        params = {"y": year + 1, "d": date(year + 1, 3, 31), "s": society.id, "n": made[-1]}
        base = timed(lambda: db.session.execute(baseline_sql, params), repeat, reset=db.session.rollback)
    return [figure("invoice_run_20k", runs, "s", "INSERT ... SELECT of as many rows", base, scale, rows=made[-1])]


def bench_certificates(scale, repeat) -> list[dict]:
    """Members' certificates to PDF in pages per second: as the secretariat's print job lays them out (batches on
    every core, joined into one PDF), and one by one as members download theirs, against a bare one-line
    WeasyPrint page."""
    from weasyprint import HTML

    from society_saas.members.certificate import certificate_pdf, certificates_pdf
    from society_saas.members.certificate_batch import BATCH, processes, render_certificates

    n = CERTIFICATES[scale]
    society, _count = largest_society()
    with society_context(society.id):
        members = list(db.session.scalars(select(Member).where(Member.status == MemberStatus.active)
                                          .order_by(Member.member_number).limit(n)))
        certificate_pdf(society, members[0])  # warm-up: fonts, templates
        times = 1 if n > 100 else min(repeat, 2)  # WeasyPrint is slow: keep the bench short
        runs = timed(lambda: render_certificates(society, members), times, warmup=0)
        one_core = timed(lambda: [certificates_pdf(society, members[start:start + BATCH])
                                  for start in range(0, len(members), BATCH)], 1, warmup=0)
        some = members[:100]
        one_by_one = timed(lambda: [certificate_pdf(society, m) for m in some], 1)
        bare = '<html lang="zh-CN"><body><p>会员证书</p></body></html>'
        base_n = max(1, len(members) // 4)
        base = timed(lambda: [HTML(string=bare).write_pdf() for _ in range(base_n)], times)
    label = "bare one-line WeasyPrint page (same fonts), one PDF each, one process"
    return [figure("certificates_1000", runs, "pages/s", label, base, scale, rate_of=len(members),
                   baseline_rate_of=base_n, rows=len(members), processes=processes(),
                   one_process_pages_s=round(len(members) / statistics.median(one_core), 1),
                   note=f"the print job's layout: batches of {BATCH} on {processes()} processes, joined into one PDF "
                        "(render_certificates)"),
            figure("certificates_one_by_one", one_by_one, "pages/s", label, base, scale, rate_of=len(some),
                   baseline_rate_of=base_n, rows=len(some),
                   note="a PDF per certificate, as a member downloads their own (certificate_pdf)")]
