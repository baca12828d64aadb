"""Secretariat pages: record and file activities, self-report for the annual assessment, see the results."""
from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.oversight import activities, assessment, scoring
from society_saas.oversight.activities import FILING_LABELS, KIND_LABELS
from society_saas.oversight.models import ActivityKind, IndicatorType, SchemeState
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("society_oversight", __name__, "admin")


def _fail(exc: ServiceError) -> None:
    db.session.rollback()
    flash(str(exc), "error")


def _refused(exc: ServiceError) -> dict:
    """Roll back and flash a refusal; the page is shown again with what was typed and the field's error."""
    _fail(exc)
    return {"form": request.form, "errors": exc.errors}


@bp.route("/activities/", methods=["GET", "POST"])
def activity_list():
    """The society's activities; record a new one."""
    require("society.activities.manage")
    refused = {}
    if request.method == "POST":
        try:
            activities.record_activity(g.society, current_user, request.form)
        except ServiceError as exc:
            refused = _refused(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".activity_list"))
    status = 422 if refused else 200
    return render_template("oversight/activities.html", activities=activities.list_activities(g.society),
                           kinds=KIND_LABELS, kind_options=[(k.value, KIND_LABELS[k]) for k in ActivityKind],
                           filing_labels=FILING_LABELS, lead_days=activities.lead_days(), **refused), status


@bp.post("/activities/<uuid:activity_id>/submit")
def activity_submit(activity_id):
    """Submit an activity in the association's name for review."""
    require("society.activities.manage")
    try:
        activity = activities.get_activity(g.society, activity_id)
    except LookupError:
        abort(404)
    try:
        activities.submit_activity(g.society, current_user, activity)
    except ServiceError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Submitted for review."), "success")
    return redirect(url_for(".activity_list"))


@bp.get("/assessment/")
def assessment_list():
    """The published assessment years and the society's results."""
    require("society.assessment.report")
    schemes = [s for s in assessment.list_schemes() if s.state != SchemeState.draft]
    results = {s.id: r for r, s in scoring.results_for_society(g.society.id)}
    return render_template("oversight/society_assessment.html", schemes=schemes, results=results,
                           states=assessment.STATE_LABELS, grades=scoring.GRADE_LABELS)


def _published_scheme(scheme_id):
    scheme = assessment.get_scheme(scheme_id)
    if scheme is None or scheme.state == SchemeState.draft:
        abort(404)
    return scheme


@bp.route("/assessment/<uuid:scheme_id>", methods=["GET", "POST"])
def self_report(scheme_id):
    """Self-report (自评) with evidence while the year is open; the breakdown once it is finalised."""
    require("society.assessment.report")
    scheme = _published_scheme(scheme_id)
    inds = assessment.indicators(scheme)
    refused = {}
    if request.method == "POST":
        by_id = {str(i.id): i for i in inds}
        indicator = by_id.get(request.form.get("indicator_id", ""))
        if indicator is None:
            abort(404)
        try:
            assessment.save_self_report(g.society, current_user, scheme, indicator, request.form,
                                        request.files.get("evidence"))
        except ServiceError as exc:
            refused = {"failed": indicator.id, **_refused(exc)}
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".self_report", scheme_id=scheme.id))
    result = scoring.result_of(g.society, scheme)
    status = 422 if refused else 200
    return render_template("oversight/self_report.html", scheme=scheme, indicators=inds,
                           reports=assessment.self_reports_of(g.society, scheme),
                           result=result, chart=scoring.breakdown_chart(result), types=assessment.TYPE_LABELS,
                           grades=scoring.GRADE_LABELS, open=scheme.state in assessment.SELF_REPORT_OPEN,
                           self_reported=IndicatorType.self_reported, **refused), status


@bp.get("/assessment/<uuid:scheme_id>/report.pdf")
def report_pdf(scheme_id):
    """The society's own assessment report as PDF."""
    from society_saas.oversight.reports import society_report_pdf

    require("society.assessment.report")
    scheme = _published_scheme(scheme_id)
    result = scoring.result_of(g.society, scheme)
    if result is None:
        abort(404)
    return Response(society_report_pdf(scheme, g.society, result), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="assessment-{scheme.year}-{g.society.slug}.pdf"'})


@bp.get("/assessment/<uuid:scheme_id>/evidence/<uuid:indicator_id>")
def evidence(scheme_id, indicator_id):
    """The society's own evidence file for a self-reported indicator."""
    from flask import send_file

    require("society.assessment.report")
    scheme = _published_scheme(scheme_id)
    found = assessment.evidence_file(g.society, scheme, indicator_id)
    if found is None:
        abort(404)
    path, name, mime = found
    return send_file(path, mimetype=mime, as_attachment=True, download_name=name)
