"""`society-saas seed` and `society-saas bench`."""
import json
import sys

import click


@click.command("seed")
@click.option("--preset", type=click.Choice(["small", "city", "national"]), help="A named scale.")
@click.option("--societies", type=int, help="How many societies to generate.")
@click.option("--members", type=int, help="How many members in all (one society of 20,000 when the total allows).")
@click.option("--seed", "rng_seed", type=int, default=20240601, show_default=True, help="Random seed.")
def seed_command(preset, societies, members, rng_seed):
    """Generate realistic scale data on the configured database (PostgreSQL: COPY as the owner role)."""
    from society_saas import create_app
    from society_saas.perf.seed import PRESETS, seed

    if preset:
        societies, members = societies or PRESETS[preset][0], members or PRESETS[preset][1]
    if not societies or not members:
        click.echo("give --preset or both --societies and --members", err=True)
        sys.exit(2)
    app = create_app()
    click.echo(f"seeding {societies} societies, {members} members")
    result = seed(app, societies, members, rng_seed, echo=click.echo)
    for name, count in sorted(result["counts"].items()):
        click.echo(f"  {name:<24} {count:>10,}")
    click.echo(f"done in {result['seconds']} s (slugs seed-{result['tag']}-NNNN)")


@click.command("bench")
@click.option("--scale", type=click.Choice(["small", "city", "national"]), default="small", show_default=True)
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="Write the figures here as JSON.")
@click.option("--repeat", type=int, default=None, help="Repetitions per figure (default by scale).")
@click.option("--markdown", "md_file", type=click.Path(dir_okay=False), help="Write docs/performance.md here: the figures, issue 9's targets, how to reproduce.")
@click.option("--only", default=None, help="Comma-separated steps to measure (overview, ledger, queries, imports, "
              "invoices, certificates, portal); all by default.")
def bench_command(scale, json_file, repeat, md_file, only):
    """Measure the figures of issue 9 against same-run baselines (PostgreSQL only)."""
    from society_saas import create_app
    from society_saas.perf.bench import STEPS, run_bench

    steps = tuple(s.strip() for s in only.split(",")) if only else STEPS
    if not set(steps) <= set(STEPS):
        click.echo(f"--only: choose among {', '.join(STEPS)}", err=True)
        sys.exit(2)

    app = create_app()
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        click.echo("bench runs on PostgreSQL only: set DATABASE_URL (and DATABASE_OWNER_URL) "
                   "to a seeded PostgreSQL database", err=True)
        sys.exit(2)
    figures = run_bench(app, scale, repeat=repeat, echo=click.echo, only=steps)
    click.echo(f"{'figure':<28} {'value':>12} {'unit':<10} {'baseline':<34} {'baseline_value':>14} {'ratio':>8}")
    for f in figures:
        click.echo(f"{f['name']:<28} {f['value']:>12.4g} {f['unit']:<10} {f['baseline']:<34} "
                   f"{f['baseline_value']:>14.4g} {f['ratio']:>8.3g}")
    if json_file:
        with open(json_file, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, ensure_ascii=False, indent=2)
        click.echo(f"wrote {json_file}")
    if md_file:
        from society_saas.perf.bench_doc import performance_markdown

        argv = ["society-saas bench", f"--scale {scale}"] + ([f"--repeat {repeat}"] if repeat else [])
        argv += [f"--only {','.join(steps)}"] if only else []
        argv += ([f"--json {json_file}"] if json_file else []) + [f"--markdown {md_file}"]
        with open(md_file, "w", encoding="utf-8") as fh:
            fh.write(performance_markdown(figures, scale, " ".join(argv), skipped=[k for k in STEPS if k not in steps]))
        click.echo(f"wrote {md_file}")


@click.command("soak")
@click.option("--duration", type=int, default=600, show_default=True, help="Seconds of load.")
@click.option("--rate", type=float, default=10.0, show_default=True, help="Requests a second in all, on average (Poisson arrivals); the newcomer adds an application every 30 s.")
@click.option("--users", default="public=8,member=6,staff=4,console=2,signup=1", show_default=True,
              help="Simulated users per face.")
@click.option("--workers", type=int, default=2, show_default=True, help="gunicorn workers.")
@click.option("--threads", type=int, default=4, show_default=True, help="Threads per gunicorn worker.")
@click.option("--seed", "seed_preset", type=click.Choice(["small", "city", "national"]),
              help="Generate this preset first when the database has no generated society yet.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="Write the summary here as JSON.")
@click.option("--markdown", "md_file", type=click.Path(dir_okay=False), help="Write the report here (docs/reliability.md).")
def soak_command(duration, rate, users, workers, threads, seed_preset, json_file, md_file):
    """Load and soak: gunicorn on loopback, bounded mixed traffic of every face (locust), latency and memory."""
    from society_saas import create_app
    from society_saas.perf.soak import run_soak
    from society_saas.perf.soak_report import markdown as soak_markdown

    app = create_app()
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        click.echo("soak runs on PostgreSQL only: set DATABASE_URL (and DATABASE_OWNER_URL)", err=True)
        sys.exit(2)
    try:
        faces = {k.strip(): int(v) for k, v in (pair.split("=") for pair in users.split(","))}
    except ValueError:
        click.echo("--users: give face=count pairs, e.g. public=8,member=6,staff=4,console=2,signup=1", err=True)
        sys.exit(2)
    if seed_preset and not _has_generated(app):
        from society_saas.perf.seed import PRESETS, seed

        seed(app, *PRESETS[seed_preset], echo=click.echo)
    summary = run_soak(app, duration=duration, rate=rate, users=faces, workers=workers, threads=threads,
                       echo=click.echo)
    if json_file:
        with open(json_file, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, ensure_ascii=False, indent=2, default=str)
    if md_file:
        argv = ["society-saas soak", f"--duration {duration}", f"--rate {rate:g}"]
        if users != "public=8,member=6,staff=4,console=2,signup=1":
            argv.append(f"--users {users}")
        argv.append(f"--markdown {md_file}")
        with open(md_file, "w", encoding="utf-8") as fh:
            fh.write(soak_markdown(summary, " ".join(argv)))
        click.echo(f"wrote {md_file}")
    o = summary["overall"]
    click.echo(f"{o['requests']} requests, {o['errors']} errors, {o['rps']} /s, p50 {o['p50_ms']} ms, p99 {o['p99_ms']} ms")
    for face, f in summary["faces"].items():
        click.echo(f"  {face:<8} {f['requests']:>7} req {f['errors']:>4} err  p50 {str(f['p50_ms']):>7} ms  "
                   f"p99 {str(f['p99_ms']):>7} ms  target {f['target_p99_ms']}  {'ok' if f['met'] else 'MISSED'}")
    m = summary["memory"]
    click.echo(f"  workers' RSS: boot {m['boot_total_mb']} MB, start {m['start_total_mb']} MB, end {m['end_total_mb']} MB, "
               f"largest growth of one worker {m['max_growth_mb']} MB")
    for name, ok in summary["checks"].items():
        click.echo(f"  [{'x' if ok else ' '}] {name}")
    sys.exit(0 if summary["ok"] else 1)


def _has_generated(app) -> bool:
    from sqlalchemy import select

    from society_saas.extensions import db
    from society_saas.tenancy.models import Society

    with app.app_context():
        return db.session.scalar(select(Society.id).where(Society.slug.like("seed-%")).limit(1)) is not None
