"""`society-saas bench`: the figures of issue 9, each beside a baseline measured in the same run.

Every figure runs once to warm up, then `repeat` times; the value is the median (the p95 for the
ledger page), and the baseline is measured the same way on the same data. The ratio is value /
baseline for times and value / baseline for rates (the share of the baseline's rate reached).
Anything that writes runs in a transaction that is rolled back, so the data stays as seeded.
"""
import statistics
import time
from datetime import date

from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society

REPEAT = {"small": 5, "city": 5, "national": 3}


def timed(fn, repeat: int, warmup: int = 1, reset=None, setup=None) -> list[float]:
    """Run fn after `warmup` untimed runs, `repeat` times; seconds per run (setup() before and reset() after
    each run, untimed)."""
    out = []
    for i in range(warmup + repeat):
        if setup is not None:
            setup()
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
        if reset is not None:
            reset()
        if i >= warmup:
            out.append(elapsed)
    return out


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def figure(name, runs, unit, baseline, base_runs, scale, use="median", rate_of=None, **extra) -> dict:
    """One JSON row: value and baseline in `unit` (s, ms, or pages/s when rate_of gives the count per run)."""
    def pick(values):
        return p95(values) if use == "p95" else statistics.median(values)

    if rate_of is not None:
        value, base = rate_of / pick(runs), extra.pop("baseline_rate_of", rate_of) / pick(base_runs)
        ratio = value / base
    else:
        scale_unit = 1000.0 if unit == "ms" else 1.0
        value, base = pick(runs) * scale_unit, pick(base_runs) * scale_unit
        ratio = value / base if base else float("inf")
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": baseline,
            "baseline_value": round(base, 4), "ratio": round(ratio, 3), "statistic": use, "scale": scale,
            "median": round(statistics.median(runs), 5), "p95": round(p95(runs), 5), "repeat": len(runs), **extra}


def _member_scan():
    """The baseline of the console: one full scan of the member table (every society)."""
    with cross_society():
        return db.session.execute(select(func.count(), func.sum(func.length(func.coalesce(Member.email, ""))))).one()


def largest_society() -> tuple[Society, int]:
    """The society with the most members, and its count."""
    with cross_society():
        sid, count = db.session.execute(select(Member.society_id, func.count()).group_by(Member.society_id)
                                        .order_by(func.count().desc()).limit(1)).one()
    return db.session.get(Society, sid), count


def bench_overview(scale, repeat) -> list[dict]:
    """The console overview for all societies, and the assessment metrics for one year."""
    out = []
    societies = list(db.session.scalars(select(Society).order_by(Society.name)))
    today = date.today()
    base = timed(_member_scan, repeat)
    try:
        from society_saas.oversight.queries import overview
    except ImportError:  # before the oversight area: the members' indicator queries
        overview = None
    if overview is not None:
        runs = timed(lambda: overview(societies, today, every=True), repeat)
        out.append(figure("oversight_overview", runs, "s", "full scan of the member table", base, scale,
                          societies=len(societies)))
    try:
        from society_saas.oversight.metrics import compute_all
    except ImportError:
        compute_all = None
    if compute_all is not None:
        runs = timed(lambda: compute_all(today.year - 1, today), repeat)
        out.append(figure("assessment_compute", runs, "s", "full scan of the member table", base, scale,
                          year=today.year - 1, societies=len(societies)))
    return out


LEDGER_FILTERS = ({"status": "active", "class_code": "regular", "sort": "name"},
                  {"status": "active", "front_line": "1", "sort": "join_date"},
                  {"status": "grace", "sort": "name"}, {"young": "1", "sort": "number"})
SEARCH_FILTERS = ({"q": "王", "sort": "number"}, {"q": "示例大学", "sort": "name"})


STAFF_EMAIL = "bench-staff@bench.example"


def _staff_client(app, society):
    """A test client logged in as the bench's staff account of this society."""
    from society_saas.accounts.models import SocietyRoleName
    from society_saas.perf.bench_accounts import bench_account, logged_in_client

    bench_account(society, STAFF_EMAIL, "压测工作人员", SocietyRoleName.secretariat_staff)
    return logged_in_client(app, STAFF_EMAIL)


def _pages(client, base: str, filters, repeat, pages=(1, 2, 5)) -> list[float]:
    """Seconds per ledger page served (query, count and template), each filter and page `repeat` times."""
    from urllib.parse import urlencode

    def get(url):
        answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}")

    urls = [f"{base}?{urlencode({**f, 'page': p})}" for f in filters for p in pages]
    for url in urls:  # warm-up
        get(url)
    runs = []
    for _ in range(repeat):
        for url in urls:
            runs += timed(lambda: get(url), 1, warmup=0)
    return runs


def bench_ledger(scale, repeat) -> list[dict]:
    """Filtered, sorted ledger pages of the largest society as the secretariat gets them (server time: the
    request through the WSGI app, rendering included, without the network)."""
    from flask import current_app

    society, count = largest_society()
    app = current_app._get_current_object()
    client = _staff_client(app, society)
    base = f"/s/{society.slug}/admin/members/"
    runs = _pages(client, base, LEDGER_FILTERS, repeat)
    search = _pages(client, base, SEARCH_FILTERS, repeat)
    with society_context(society.id):
        bare = timed(lambda: list(db.session.scalars(select(Member).order_by(Member.id).limit(50))), len(runs))
    db.session.rollback()
    label = "first 50 members by primary key, no filter or count (the query alone)"
    return [figure("ledger_page_p95", runs, "ms", label, bare, scale, use="p95", society_members=count,
                   pages_measured=len(runs), filters=[dict(f) for f in LEDGER_FILTERS]),
            figure("ledger_search_p95", search, "ms", label, bare, scale, use="p95", society_members=count,
                   pages_measured=len(search), filters=[dict(f) for f in SEARCH_FILTERS])]


def _queries(scale, repeat) -> list[dict]:
    from society_saas.perf.bench_queries import bench_queries

    return bench_queries(scale, repeat)


def _portal(scale, repeat) -> list[dict]:
    from society_saas.perf.bench_http import bench_portal

    return bench_portal(scale, repeat)


STEPS = ("overview", "ledger", "queries", "imports", "invoices", "certificates", "portal")
WRITES = {"imports": ("member", "member_event", "audit_event"), "invoices": ("dues_invoice",)}


def vacuum(app, tables: tuple[str, ...]) -> None:
    """Rewrite the tables a rolled-back step wrote (VACUUM FULL, then ANALYZE), as the owner: the rows it
    inserted stay in the files as dead rows, so the next run's scans would read several times the seeded
    table (a 100,000-row import run twice in each format leaves four times the member table behind)."""
    from sqlalchemy import create_engine, text

    url = app.config.get("DATABASE_OWNER_URL") or app.config["DATABASE_URL"]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for table in tables:
                conn.execute(text(f'VACUUM (FULL, ANALYZE) "{table}"'))
    finally:
        engine.dispose()


def run_bench(app, scale: str, repeat: int | None = None, echo=print, only: tuple[str, ...] = STEPS) -> list[dict]:
    """Measure the figures of the chosen steps (all by default); return the JSON rows."""
    from society_saas.perf import bench_io

    repeat = repeat or REPEAT[scale]
    figures = []
    steps = {"overview": ("overview and assessment", bench_overview), "ledger": ("ledger page", bench_ledger),
             "queries": ("queries per request", _queries),
             "imports": ("imports", bench_io.bench_import), "invoices": ("invoice run", bench_io.bench_invoices),
             "certificates": ("certificates", bench_io.bench_certificates), "portal": ("portal under gunicorn", _portal)}
    with app.test_request_context("/"):
        for key in STEPS:
            if key not in only:
                continue
            label, step = steps[key]
            echo(f"measuring {label} ...")
            started = time.perf_counter()
            figures += step(scale, repeat)
            db.session.rollback()
            if key in WRITES:
                vacuum(app, WRITES[key])
            echo(f"  {time.perf_counter() - started:.1f} s")
    return figures
