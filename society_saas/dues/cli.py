"""Commands of the dues area: `society-saas remind` (for cron) and `society-saas worker`."""
import time

import click


@click.command("remind")
@click.option("--society", "slug", default=None, help="Only this society (slug).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (Asia/Shanghai).")
def remind_command(slug, today):
    """Send the dues reminders due today (never the same reminder twice, even when run again), then move
    memberships that have run out on: active past their end date -> in grace; in grace longer than the
    grace period -> lapsed."""
    from sqlalchemy import func, select

    from society_saas.cli import _app
    from society_saas.dues.models import DuesSchedule
    from society_saas.dues.services.common import today_cn
    from society_saas.dues.services.reminders import send_reminders
    from society_saas.extensions import db
    from society_saas.members.services import expire_memberships
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.models import Society

    app = _app()
    day = today.date() if today else None
    with app.test_request_context("/"):  # messages are translated as in a request, in the default language
        stmt = select(Society).order_by(Society.slug)
        if slug:
            stmt = stmt.where(Society.slug == slug)
        societies = list(db.session.scalars(stmt))
        for society in societies:
            if not society.is_active:
                continue
            with society_context(society.id):
                counts = send_reminders(society, day)
                current = day or today_cn()
                # the society's own grace period for the year that has run out (90 days when it has none)
                grace = db.session.scalar(select(func.max(DuesSchedule.grace_days))
                                          .where(DuesSchedule.dues_year == current.year - 1)) or 90
                moved = expire_memberships(society, None, today=current, grace_days=grace)
                db.session.commit()
            click.echo(f"{society.slug}: sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}; "
                       f"memberships to grace {moved['grace']}, lapsed {moved['lapsed']}")


@click.command("worker")
@click.option("--once", is_flag=True, help="Run what is queued now, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
def worker_command(once, interval):
    """Claim queued jobs of every society and run them (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    from society_saas.cli import _app
    from society_saas.core import job_outputs, jobs

    import society_saas.dues.services  # noqa: F401  (registers the dues job handlers)
    import society_saas.members.importing  # noqa: F401  (the roster import job)

    app = _app()
    while True:
        with app.test_request_context("/"):
            ran = jobs.run_pending()
            job_outputs.sweep_now_and_then()
        if ran:
            click.echo(f"ran {ran} job(s)")
        if once:
            return
        time.sleep(interval)
