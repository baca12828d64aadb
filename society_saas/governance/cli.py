"""`society-saas governance remind`: the renewal reminders, for cron (daily)."""
import click


@click.group("governance")
def governance_group():
    """Governance: renewal reminders."""


@governance_group.command("remind")
@click.option("--society", "slug", default=None, help="Only this society (slug).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if today were this date (Asia/Shanghai).")
def remind(slug, today):
    """Mail each society's secretariat the renewal reminder due today (plan due, 180/90/30 days, overdue), once."""
    from sqlalchemy import select

    from society_saas.cli import _app
    from society_saas.extensions import db
    from society_saas.governance.services.notices import send_renewal_notices
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.models import Society

    app = _app()
    day = today.date() if today else None
    with app.test_request_context("/"):  # messages are translated as in a request, in the default language
        stmt = select(Society).order_by(Society.slug)
        if slug:
            stmt = stmt.where(Society.slug == slug)
        societies = [s for s in db.session.scalars(stmt) if s.is_active]
        for society in societies:
            with society_context(society.id):
                counts = send_renewal_notices(society, day)
            if any(counts.values()):
                click.echo(f"{society.slug}: sent {counts['sent']}, failed {counts['failed']}, "
                           f"skipped {counts['skipped']}")
