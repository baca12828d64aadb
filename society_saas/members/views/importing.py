"""The roster import pages: upload, map the columns (the last mapping remembered), then a job with a
progress bar that checks every row (dry run) or imports all rows or none."""
import uuid

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core import jobs
from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import db
from society_saas.members import importing
from society_saas.members import export
from society_saas.members import io as roster
from society_saas.members.forms import ImportForm, MappingForm
from society_saas.members.views.admin import bp

ERRORS_SHOWN = 1000


def _field_choices() -> list[tuple[str, str]]:
    return [("", _("(ignore this column)"))] + [(f, zh) for f, zh in roster.COLUMNS]


def _mapping_page(upload: dict, columns: list[str], unknown: list[int], dry_run: bool, error: str | None = None):
    form = MappingForm(data={"key": upload["key"], "name": upload["name"], "dry_run": dry_run})
    samples = [" · ".join(row[i] for row in upload["samples"] if i < len(row) and row[i]) for i in range(len(upload["headers"]))]
    return render_template("members/import_map.html", form=form, upload=upload, columns=columns, unknown=unknown,
                           samples=samples, choices=_field_choices(), error=error), (422 if error else 200)


def _start(upload: dict, columns: list[str], dry_run: bool):
    job = jobs.start(importing.enqueue_import(g.society, current_user, upload, columns, dry_run))
    result = job.result or {}
    if result.get("imported"):
        flash(_("%(c)d members created, %(u)d updated, %(n)d unchanged.", c=result["created"],
                u=result["updated"], n=result["unchanged"]), "success")
    return redirect(url_for(".import_job", job_id=job.id))


@bp.route("/import", methods=["GET", "POST"])
def import_roster():
    """Upload a roster; known (or last time's) columns go straight to the check, unknown ones to the mapping."""
    form = ImportForm()
    if form.validate_on_submit():
        try:
            upload = importing.store_upload(g.society, form.file.data.filename, form.file.data.read())
            columns, unknown = importing.propose_columns(upload["headers"], importing.remembered_mapping())
            if unknown or "name" not in columns:
                return _mapping_page(upload, columns, unknown, form.dry_run.data)
            return _start(upload, columns, form.dry_run.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="file")
    return render_template("members/import.html", form=form, job=None), (422 if form.errors else 200)


@bp.post("/import/map")
def import_map():
    """Take the secretariat's column mapping for a stored roster and start the check or the import."""
    form = MappingForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        upload = importing.uploaded(g.society, form.key.data, form.name.data)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".import_roster"))
    columns = [request.form.get(f"col-{i}", "") for i in range(len(upload["headers"]))]
    if request.form.get("change"):
        return _mapping_page(upload, columns, [], form.dry_run.data)
    try:
        return _start(upload, columns, form.dry_run.data)
    except ServiceError as exc:
        db.session.rollback()
        return _mapping_page(upload, columns, [], form.dry_run.data, error=exc.message)


def _import_job_or_404(job_id: uuid.UUID) -> jobs.Job:
    job = db.session.scalar(select(jobs.Job).where(jobs.Job.id == job_id, jobs.Job.kind == importing.KIND))
    if job is None:
        abort(404)
    return job


def _column_names(job: jobs.Job) -> dict[str, str]:
    """Field -> the column header the file used for it (else the usual Chinese header), for the problem list."""
    return {**dict(roster.COLUMNS), **{f: h for h, f in (job.params.get("mapping") or {}).items() if f}}


@bp.get("/import/jobs/<uuid:job_id>")
def import_job(job_id):
    """The import's progress while it runs, then every bad row, or what was imported."""
    # embedded mode: an import whose process died runs again (safe: all rows or none, upserted)
    job = jobs.resume_if_orphaned(_import_job_or_404(job_id))
    context = {"job": job, "columns": _column_names(job), "shown": ERRORS_SHOWN,
               "mapping_form": MappingForm(data={"key": job.params.get("key"), "name": job.params.get("name")})}
    if request.headers.get("HX-Request"):
        return render_template("members/_import_job.html", **context)
    return render_template("members/import.html", form=ImportForm(), **context)


@bp.get("/import/jobs/<uuid:job_id>/problems.csv")
def import_problems(job_id):
    """Every problem the check found, as CSV (row, column, problem)."""
    job = _import_job_or_404(job_id)
    names = _column_names(job)
    rows = [(line, names.get(field, field), message) for line, field, message in (job.result or {}).get("errors", [])]
    return Response(export.problems_csv([_("Row"), _("Field"), _("Problem")], rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=import-problems.csv"})
