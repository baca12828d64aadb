"""`society-saas tokens create`: make a personal access token for scripts and tests."""
import sys

import click


@click.group("tokens")
def tokens_group():
    """Personal access tokens of the REST API."""


@tokens_group.command("create")
@click.option("--user", "email", required=True, help="The owner's email or mobile number.")
@click.option("--society", "slug", default=None, help="The society's slug; leave out for an association token.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
@click.option("--days", type=int, default=90, show_default=True, help="Days until it expires.")
@click.option("--name", default="cli", show_default=True, help="A name to recognise it by.")
def create(email, slug, scope, days, name):
    """Print a new token (shown once); it can do no more than its owner may."""
    from society_saas import create_app
    from society_saas.accounts.services import find_user
    from society_saas.api import tokens
    from society_saas.core.errors import ServiceError
    from society_saas.extensions import db
    from society_saas.tenancy.web import society_by_slug

    app = create_app()
    with app.test_request_context("/"):  # refusal messages are translated, which needs a request
        user = find_user(email)
        if user is None:
            click.echo(f"no user {email}", err=True)
            sys.exit(2)
        society = None
        if slug:
            society = society_by_slug(slug)
            if society is None:
                click.echo(f"no society {slug}", err=True)
                sys.exit(2)
        try:
            _token, secret = tokens.create_token(user, {"name": name, "society": society, "scope": scope, "days": days})
        except ServiceError as exc:
            db.session.rollback()
            click.echo(exc.message, err=True)
            sys.exit(1)
        db.session.commit()
        click.echo(secret)


@click.group("webhooks")
def webhooks_group():
    """Outgoing webhooks."""


@webhooks_group.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due and exit.")
@click.option("--interval", default=30, show_default=True, help="Seconds between rounds.")
def deliver(once, interval):
    """Send due webhook deliveries of every society, HMAC-signed; failures are retried with backoff."""
    import time

    from society_saas import create_app
    from society_saas.api.webhooks.services import deliver_due

    from society_saas.extensions import db

    app = create_app()
    while True:
        with app.test_request_context("/"):
            try:
                sent = deliver_due()
            except Exception:  # a lost connection must not stop the sender for good: log it, retry next round
                db.session.rollback()
                if once:
                    raise
                app.logger.exception("webhook delivery round failed")
                click.echo("delivery round failed; retrying", err=True)
                sent = 0
        if sent:
            click.echo(f"sent {sent} delivery(ies)")
        if once:
            return
        time.sleep(interval)
