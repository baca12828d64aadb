"""Commands of the dues area: `society-saas remind` (for cron) and `society-saas worker`."""
import time

import click


@click.command("remind")
@click.option("--society", "slug", default=None, help="Only this society (slug).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (Asia/Shanghai).")
def remind_command(slug, today):
    """Send the dues reminders due today; never the same reminder twice, even when run again."""
    from sqlalchemy import select

    from society_saas.cli import _app
    from society_saas.dues.services.reminders import send_reminders
    from society_saas.extensions import db
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
            click.echo(f"{society.slug}: sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}")


@click.command("worker")
@click.option("--once", is_flag=True, help="Run what is queued now, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
def worker_command(once, interval):
    """Claim queued jobs of every society and run them (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    from society_saas.cli import _app
    from society_saas.core import jobs

    import society_saas.dues.services  # noqa: F401  (registers the dues job handlers)
    import society_saas.members.importing  # noqa: F401  (the roster import job)

    app = _app()
    while True:
        with app.test_request_context("/"):
            ran = jobs.run_pending()
        if ran:
            click.echo(f"ran {ran} job(s)")
        if once:
            return
        time.sleep(interval)
