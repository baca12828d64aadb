"""The society-saas command line."""
import sys

import click

from society_saas import create_app


def _app():
    return create_app()


@click.group()
def main():
    """Society governance SaaS: database, tenants, demo, operations."""


@main.group("db")
def db_group():
    """Database schema commands."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision):
    """Migrate the database (as DATABASE_OWNER_URL when set) and grant the app role."""
    from society_saas.core.migrate import upgrade
    from society_saas.tenancy.rls import CrossRoleMissing

    app = _app()
    try:
        upgrade(app.config["DATABASE_URL"], app.config["DATABASE_OWNER_URL"], revision)
    except CrossRoleMissing as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("database upgraded")


@main.group("tenants")
def tenants_group():
    """Provision societies from tenants/ files."""


@tenants_group.command("provision")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def tenants_provision(path):
    """Create the society described by a TOML file; every error is listed by field."""
    from society_saas.core.errors import ServiceError
    from society_saas.extensions import db
    from society_saas.tenancy.provision import load_file, provision

    app = _app()
    with app.app_context():
        try:
            society = provision(load_file(path))
        except ServiceError as exc:
            db.session.rollback()
            click.echo(f"{path}: not provisioned, {len(exc.errors)} field(s) with errors:", err=True)
            for field, messages in exc.errors.items():
                for message in messages:
                    click.echo(f"  {field}: {message}", err=True)
            sys.exit(1)
        db.session.commit()
        click.echo(f"provisioned {society.slug} ({society.name})")


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and exit.")
def demo(host, port, no_serve):
    """Migrate, provision the demo societies with sample data, print the logins, and serve."""
    from society_saas.demo import prepare_demo

    app = _app()
    logins = prepare_demo(app)
    click.echo("Demo accounts (password demo1234):")
    for email, label in logins:
        click.echo(f"  {email:<24} {label}")
    if not no_serve:
        click.echo(f"Serving on http://{host}:{port}/")
        app.run(host=host, port=port, debug=False, threaded=True)


@main.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
def backup_command(target):
    """Copy the embedded SQLite database to TARGET while the app runs (online backup API), then check the copy."""
    from society_saas.core.backup import BackupError, backup

    app = _app()
    try:
        report = backup(app.config["DATABASE_URL"], target)
    except BackupError as exc:
        click.echo(f"backup failed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"backed up to {target}: integrity {report['integrity']}, revision {report['revision']}, "
               f"{len(report['tables'])} tables, {sum(report['tables'].values())} rows")


@main.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm: replace the database (the current one is saved beside it).")
def restore_command(source, yes):
    """Replace the embedded SQLite database with a checked backup; stop the app and the worker first."""
    from society_saas.core.backup import BackupError, restore

    if not yes:
        click.echo("restore replaces the whole database: stop the app and the worker, then run again with --yes",
                   err=True)
        sys.exit(2)
    app = _app()
    try:
        report = restore(app.config["DATABASE_URL"], source)
    except BackupError as exc:
        click.echo(f"restore failed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"restored from {source}: integrity {report['integrity']}, revision {report['revision']}, "
               f"{sum(report['tables'].values())} rows; the previous database is in {report['saved']}")


@main.command("citus-ddl")
def citus_ddl_command():
    """Print the statements that distribute the schema on Citus."""
    from society_saas.tenancy.citus import citus_ddl

    for stmt in citus_ddl():
        click.echo(stmt)


from society_saas.decisions.cli import decisions_group  # noqa: E402  (the decision log commands)
from society_saas.api.cli import tokens_group, webhooks_group  # noqa: E402  (API tokens, webhook delivery)

main.add_command(decisions_group)

from society_saas.governance.cli import governance_group  # noqa: E402  (renewal reminders)

main.add_command(governance_group)

from society_saas.dues.cli import remind_command, worker_command  # noqa: E402  (dues reminders, the job worker)

main.add_command(remind_command)
main.add_command(worker_command)
main.add_command(tokens_group)
main.add_command(webhooks_group)

from society_saas.perf.cli import bench_command, seed_command, soak_command  # noqa: E402  (generated data, benchmarks)

main.add_command(seed_command)
main.add_command(bench_command)
main.add_command(soak_command)


if __name__ == "__main__":
    main()
