"""Printing the certificates of every current member the ledger lists: a preview, then a job with progress and
one PDF to download."""
from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from society_saas.core import job_outputs, jobs, once, storage
from society_saas.core.errors import ServiceError
from society_saas.core.i18n import current_language
from society_saas.extensions import db
from society_saas.members import certificate_batch, services
from society_saas.members.models import MemberStatus
from society_saas.members.services.lifecycle import status_label
from society_saas.members.views.admin import bp, ledger_filters


@bp.route("/certificates/print", methods=["GET", "POST"])
def print_certificates():
    """How many certificates the listed current members get; on confirming, print them as a job."""
    filters = ledger_filters(request.values)  # the preview's form posts them back
    if request.method == "POST":
        try:
            once.claim(g.society)
        except once.AlreadySubmitted:
            return once.repeated(url_for(".ledger", **filters))
        try:
            job = certificate_batch.enqueue_certificates(g.society, current_user, filters)
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for(".print_certificates", **filters))
        jobs.start(job)
        return redirect(url_for(".certificate_job", job_id=job.id))
    count = certificate_batch.count_current(filters)
    db.session.rollback()
    return render_template("members/certificates_print.html", filters=filters, count=count,
                           limit=certificate_batch.MAX_CERTIFICATES, described=_described(filters))


SORTS = {"number": _l("Member number"), "name": _l("Member name"), "join_date": _l("Join date")}
TICKED = {"front_line": _l("Front-line"), "young": _l("Under 45")}


def _described(filters: dict) -> list[tuple[str, str | None]]:
    """The ledger's filters in words, (label, value or None for a ticked box), so the secretariat sees whose
    certificates it is about to print without going back to the ledger."""
    classes = {c.code: c for c in services.list_classes()}
    statuses = {s.value: s for s in MemberStatus}
    words = []
    if filters.get("q"):
        words.append((_("Search"), filters["q"]))
    if filters.get("status"):
        status = statuses.get(filters["status"])
        words.append((_("Status"), status_label(status) if status else filters["status"]))
    if filters.get("class_code"):
        cls = classes.get(filters["class_code"])
        words.append((_("Class"), cls.label(current_language()) if cls else filters["class_code"]))
    if filters.get("region"):
        words.append((_("Region"), filters["region"]))
    words += [(str(label), None) for key, label in TICKED.items() if filters.get(key)]
    if filters.get("sort") in SORTS:
        words.append((_("Sort"), str(SORTS[filters["sort"]])))
    return words


def _job_or_404(job_id) -> jobs.Job:
    row = db.session.scalar(select(jobs.Job).where(jobs.Job.id == job_id, jobs.Job.kind == certificate_batch.KIND))
    if row is None:
        abort(404)
    return row


@bp.get("/certificates/jobs/<uuid:job_id>")
def certificate_job(job_id):
    """A print job's progress; the page polls itself with htmx until the PDF is ready."""
    row = jobs.resume_if_orphaned(_job_or_404(job_id))
    template = "members/_certificate_job.html" if request.headers.get("HX-Request") else "members/certificate_job.html"
    return render_template(template, job=row, kept_days=job_outputs.kept_days())


@bp.get("/certificates/jobs/<uuid:job_id>/certificates.pdf")
def certificate_job_pdf(job_id):
    """The PDF a finished print job made."""
    row = _job_or_404(job_id)
    if not (row.result or {}).get("file"):
        abort(404)
    return send_file(storage.path_of(row.result["file"]), mimetype="application/pdf", as_attachment=True,
                     download_name="certificates.pdf")
