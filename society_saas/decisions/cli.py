"""`society-saas decisions ...`: verify every chain, sign checkpoints, export them."""
import json
import sys

import click
from sqlalchemy import select


@click.group("decisions")
def decisions_group():
    """The 三重一大 decision log."""


def _societies(slug):
    from society_saas.extensions import db
    from society_saas.tenancy.models import Society

    query = select(Society).order_by(Society.slug)
    if slug:
        query = query.where(Society.slug == slug)
    societies = list(db.session.scalars(query))
    if slug and not societies:
        click.echo(f"no society {slug}", err=True)
        sys.exit(2)
    return societies


@decisions_group.command("verify")
@click.option("--society", "slug", help="Only this society (slug).")
@click.option("--checkpoints", "checkpoints_file", type=click.Path(exists=True, dir_okay=False),
              help="Exported checkpoints (JSON) to compare the chains with.")
@click.option("--files", "check_files", is_flag=True, help="Also check every attachment against its chained sha256.")
def verify(slug, checkpoints_file, check_files):
    """Exit 0 when every chain is intact, 1 naming the society and the first bad entry otherwise."""
    from society_saas import create_app
    from society_saas.decisions.chain import verify_attendance, verify_chain, verify_files
    from society_saas.tenancy.context import society_context

    exported = json.loads(open(checkpoints_file, encoding="utf-8").read()) if checkpoints_file else []
    app = create_app()
    broken = 0
    with app.test_request_context("/"):  # refusal messages are translated, which needs a request
        for society in _societies(slug):
            mine = [c for c in exported if c.get("society_id") == str(society.id)]
            with society_context(society.id):
                report = verify_chain(society, mine)
                file_problems = verify_files(society) if check_files else []
                for seq, meeting in verify_attendance(society):
                    broken += 1
                    click.echo(f"{society.slug}: the attendance of {meeting!r} changed after entry {seq} chained it")
            for seq, name, problem in file_problems:
                broken += 1
                click.echo(f"{society.slug}: attachment {name!r} of entry {seq} is {problem}")
            if report.ok:
                click.echo(f"{society.slug}: intact, {report.entries} entries, head {report.head_seq} {report.head_hash[:16]}")
            else:
                broken += 1
                click.echo(f"{society.slug}: BROKEN at entry {report.bad_seq}: {report.reason}")
    sys.exit(1 if broken else 0)


@decisions_group.command("checkpoint")
@click.option("--society", "slug", help="Only this society (slug).")
@click.option("--export", "export_file", type=click.Path(dir_okay=False), help="Write every checkpoint as JSON here.")
def checkpoint(slug, export_file):
    """Sign each chain's head with the server key; optionally export all checkpoints as JSON."""
    from society_saas import create_app
    from society_saas.core.errors import ServiceError
    from society_saas.decisions import services
    from society_saas.decisions.chain import checkpoint_dict
    from society_saas.extensions import db
    from society_saas.tenancy.context import society_context

    app = create_app()
    out, failed = [], 0
    with app.test_request_context("/"):  # refusal messages are translated, which needs a request
        for society in _societies(slug):
            with society_context(society.id):
                try:
                    cp = services.sign_checkpoint(society, None)
                except ServiceError as exc:
                    db.session.rollback()
                    failed += 1
                    click.echo(f"{society.slug}: {exc.message}", err=True)
                    continue
                db.session.commit()
                click.echo(f"{society.slug}: signed head {cp.seq}")
                out.extend(checkpoint_dict(society, c) for c in services.checkpoints(society))
    if export_file:
        with open(export_file, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)
    sys.exit(1 if failed else 0)
