"""docs/performance.md from one bench run: the figures, issue 9's targets beside them, and how to reproduce."""
import os
import platform
from datetime import datetime, timezone

# Issue 9's targets on a 2-core machine: (field of the figure, comparison, bound, scales it applies to, wording).
TARGETS = {
    "oversight_overview": [("value", "<=", 0.5, ("city",), "<= 0.5 s (city)"),
                           ("value", "<=", 5.0, ("national",), "<= 5 s (national)")],
    "assessment_compute": [("value", "<=", 2.0, ("city",), "<= 2 s (city)")],
    "ledger_page_p95": [("value", "<=", 50.0, ("city", "national"), "p95 <= 50 ms")],
    "import_100k_csv": [("ratio", "<=", 5.0, ("city", "national"), "<= 5x COPY"),
                        ("peak_rss_mb", "<=", 300.0, ("city", "national"), "peak <= 300 MB")],
    "import_100k_xlsx": [("ratio", "<=", 5.0, ("city", "national"), "<= 5x COPY"),
                         ("peak_rss_mb", "<=", 300.0, ("city", "national"), "peak <= 300 MB")],
    "invoice_run_20k": [("ratio", "<=", 3.0, ("city", "national"), "<= 3x INSERT ... SELECT")],
    "certificates_1000": [("value", ">=", 50.0, ("city", "national"), ">= 50 pages/s")],
    "portal_rps": [("ratio", ">=", 0.25, ("small", "city", "national"), ">= 25% of the bare route"),
                   ("p99_ms", "<=", 100.0, ("small", "city", "national"), "p99 <= 100 ms")],
}


# the queries per request of the ten busiest pages must not grow with the data, at any scale
QUERIES_TARGET = [("ratio", "<=", 1.0, ("small", "city", "national"), "no more than with little data")]


def verdict(figure: dict, scale: str) -> tuple[str, bool | None]:
    """The target's wording and whether it is met at this scale (None: no target, or not at this scale)."""
    rules = TARGETS.get(figure["name"], QUERIES_TARGET if figure["name"].startswith("queries_") else [])
    if not rules:
        return "", None
    words, results = [], []
    for field, op, bound, scales, wording in rules:
        words.append(wording)
        if scale in scales and figure.get(field) is not None:
            value = figure[field]
            results.append(value <= bound if op == "<=" else value >= bound)
    return "; ".join(words), (all(results) if results else None)


def _import_floor(figures: list[dict], missed: list[str]) -> list[str]:
    """When an import misses its ratio, how it stands against the ledger's own writing of as many rows."""
    by_name = {f["name"]: f for f in figures}
    floor = by_name.get("import_100k_ledger_write")
    imports = [by_name[m] for m in missed if m.startswith("import_100k_") and m in by_name]
    if floor is None or not imports:
        return []
    against = "; ".join(f"`{f['name']}` {f['value'] / floor['value']:.2g}× it" for f in imports)
    claim = ", so no import that writes them there can come within 5× of it." if floor["ratio"] > 5 else "."
    return ["", f"The writing alone of as many prepared rows into the ledger and its history "
                f"(`import_100k_ledger_write`) takes {floor['ratio']:.3g}× the COPY{claim} Against that floor: "
                f"{against}."]


def _value(f: dict) -> str:
    return f"{f['value']:.4g}"


def performance_markdown(figures: list[dict], scale: str, command: str, skipped: list[str] | None = None) -> str:
    """The whole page, written by `society-saas bench --markdown` (naming the steps left out with --only)."""
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Performance", "",
        f"Produced by `{command}` on {when}; do not edit by hand, run the command again.", "",
        f"Scale `{scale}`, {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()}), "
        f"load average {load} at the end of the run (the machine is shared with other work, so absolute times "
        "are pessimistic; each baseline was measured in the same run on the same data, and the ratio is what "
        "carries over to another machine).", "",
        "| figure | value | unit | statistic | baseline | baseline value | ratio | rows | target (issue 9) | met |",
        "| --- | ---: | --- | --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    missed = []
    for f in figures:
        target, met = verdict(f, scale)
        mark = {True: "yes", False: "**no**", None: "-"}[met]
        if met is False:
            missed.append(f["name"])
        rows = f.get("rows", f.get("society_members", f.get("societies", "")))
        lines.append(f"| {f['name']} | {_value(f)} | {f['unit']} | {f.get('statistic', '')} | {f['baseline']} | "
                     f"{f['baseline_value']:.4g} | {f['ratio']:.3g} | {rows} | {target} | {mark} |")
    lines += ["", "Targets not met in this run: " + (", ".join(f"`{m}`" for m in missed) if missed else "none") + "."]
    lines += _import_floor(figures, missed)
    if skipped:
        lines += ["", "**Not measured in this run** (left out with `--only`): " + ", ".join(skipped) + "."]
    extra = [f for f in figures if "peak_rss_mb" in f or "p99_ms" in f or "note" in f]
    if extra:
        lines += ["", "## Details", ""]
        for f in extra:
            bits = [f"{k} {f[k]}" for k in ("peak_rss_mb", "rss_before_mb", "baseline_rows", "csv_copy_to_temp_s",
                                             "ratio_to_csv_copy_to_temp", "p50_ms", "p99_ms", "paced_rps", "saturated_p99_ms", "baseline_p99_ms", "requests", "errors",
                                             "clients", "duration_s") if k in f]
            if "note" in f:
                bits.append(f["note"])
            lines.append(f"- `{f['name']}`: " + ", ".join(str(b) for b in bits))
    lines += [
        "", "## What each figure measures", "",
        "- `oversight_overview`: the association console's overview for every society (the set-based queries of "
        "`society_saas/oversight/queries.py`; decision chains checked from each society's latest signed "
        "checkpoint); baseline: one full scan of the member table.",
        "- `assessment_compute`: every computed assessment metric for every society for last year.",
        "- `ledger_page_p95` / `ledger_search_p95`: filtered, sorted ledger pages (rows, total count, filter lists "
        "and the template) of the largest society, requested as its staff through the WSGI application without "
        "the network (server time), p95; baseline: the query of the first 50 members by key alone.",
        "- `queries_*`: SQL statements per request of the ten busiest pages (login and tenancy included), in the "
        "largest society; baseline: the same page in the smallest society (the console's overview: filtered to "
        "one society). A ratio above 1 is a page whose statements grow with the data.",
        "- `import_100k_*`: a 100,000-row roster read, checked and inserted end to end; baseline: a plain COPY "
        "of the same rows (the member and history rows the first CSV import made, dumped before its rollback) "
        "into the ledger and its history, with their indexes and foreign keys, as the owner (PostgreSQL refuses "
        "COPY FROM where row-level security applies, so the baseline's own transaction lifts FORCE ROW LEVEL "
        "SECURITY and the rollback restores it). Each import runs in a process of its own, as the worker runs "
        "the import job: `peak_rss_mb` is that process's high-water mark (application included), "
        "`rss_before_mb` its size before the import. `csv_copy_to_temp_s` is a COPY of the CSV file itself into "
        "an unindexed temporary table (parsing alone, no ledger; the baseline of runs before 2026-12-04), and "
        "`ratio_to_csv_copy_to_temp` the import against it.",
        "- `import_100k_ledger_write`: the writing alone, the floor of any import: as many new members, prepared "
        "ahead in a temporary table (copies of the largest society's rows with fresh ids, numbers and ID indexes), "
        "put into the ledger and its history by INSERT ... SELECT, with the tables' indexes, foreign keys and "
        "row-level security, as the import's last step does; same baseline as the imports.",
        "- `invoice_run_20k`: the invoice run for next year in the largest society; baseline: INSERT ... SELECT "
        "of as many rows.",
        "- `certificates_1000`: 1,000 member certificates to PDF as the secretariat's print job lays them out "
        "(pages/s): batches of 100 on one process per core, joined into one PDF; `one_process_pages_s` is the same "
        "batches on one process. `certificates_one_by_one`: a PDF per certificate, as members download "
        "their own; baseline: a bare one-line WeasyPrint page with the same fonts, one PDF each, one process.",
        "- `portal_rps`: the logged-in member portal page under gunicorn on loopback, sized as deployed "
        "(`deploy/gunicorn.conf.py`: 4 workers x 4 threads), locust with 50 concurrent "
        "clients and no pause (requests/s); baseline: `GET /healthz` (one `SELECT 1`) on the same server, same load. "
        "With no pause each client's latency is 50 / throughput (Little's law), so `p99_ms` is measured with the "
        "same 50 clients paced to half the rate the portal reached unpaced, arriving at random (Poisson; "
        "`paced_rps`); `saturated_p99_ms` is the unpaced one.",
        "", "Everything the bench writes is rolled back; the data stays as seeded.", "",
        "## How to reproduce", "",
        "```sh",
        "# once, as a PostgreSQL superuser: an owner role, an application role without BYPASSRLS, its",
        "# cross-society reader role (which it may switch to but does not inherit), a database",
        "#   CREATE ROLE bench_owner LOGIN; CREATE ROLE bench_app LOGIN NOBYPASSRLS NOINHERIT;",
        "#   CREATE ROLE bench_app_cross NOLOGIN NOBYPASSRLS; GRANT bench_app_cross TO bench_app;",
        "#   CREATE DATABASE bench OWNER bench_owner;",
        "export DATABASE_OWNER_URL=postgresql+psycopg://bench_owner@127.0.0.1/bench",
        "export DATABASE_URL=postgresql+psycopg://bench_app@127.0.0.1/bench",
        "society-saas db upgrade",
        f"society-saas seed --preset {scale}",
        command,
        "```", "",
        "`tests/perf/test_bench.py` runs the same bench on the `small` preset in CI and checks every figure is "
        "sane and the JSON has the keys `name`, `value`, `unit`, `baseline`, `baseline_value` and `ratio`.",
        "The scale-out path (Citus, pgbouncer, 10,000 societies) is in [scaling.md](scaling.md); the soak under "
        "gunicorn in [reliability.md](reliability.md).",
    ]
    return "\n".join(lines) + "\n"
