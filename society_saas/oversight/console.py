"""Console pages: society figures, filings, the annual assessment, the ranking, the watchlist, reform tasks."""
import io
import uuid

from flask import Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.accounts.models import AssociationRole, AssociationRoleName, User
from society_saas.core.errors import ServiceError
from society_saas.core.i18n import plain_labels
from society_saas.extensions import db
from society_saas.oversight import activities, assessment, metrics, queries, runs, scoring, watch
from society_saas.oversight.activities import FILING_LABELS, KIND_LABELS, today
from society_saas.oversight.models import Activity, IndicatorType, ScoringRule
from society_saas.oversight.web import association_blueprint
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society
from society_saas.tenancy.web import require

bp = association_blueprint("oversight", __name__)


def _society(society_id) -> Society:
    society = db.session.get(Society, society_id)
    if society is None:
        abort(404)
    return society


def _scheme(scheme_id):
    scheme = assessment.get_scheme(scheme_id)
    if scheme is None:
        abort(404)
    return scheme


def _fail(exc: ServiceError) -> None:
    db.session.rollback()
    flash(str(exc), "error")


def _refused(exc: ServiceError) -> dict:
    """Roll back and flash a refusal; the page is shown again with what was typed and the field's error."""
    _fail(exc)
    return {"form": request.form, "errors": exc.errors}


@bp.get("/societies/<uuid:society_id>/figures")
def figures(society_id):
    """One society's figures, read-only: the drill-down of every number on the overview."""
    society = _society(society_id)
    on = today()
    row = queries.overview([society], on)[0]
    with cross_society():
        acts = list(db.session.scalars(select(Activity).where(Activity.society_id == society.id)
                                       .order_by(Activity.starts_on.desc()).limit(50)))
        results = scoring.results_for_society(society.id)
    return render_template("oversight/figures.html", society=society, row=row, activities=acts, results=results,
                           kinds=KIND_LABELS, filing_labels=FILING_LABELS, grades=scoring.GRADE_LABELS)


# Activities in the association's name: review and filing (审核报备)

@bp.get("/filings/")
def filings():
    """Activities submitted for review, and the ones already reviewed."""
    state = request.args.get("state", "submitted")
    page = activities.filings_page(state if state in ("submitted", "approved", "returned") else None,
                                   request.args.get("page", 1, type=int))
    return render_template("oversight/filings.html", page=page, state=state, kinds=plain_labels(KIND_LABELS),
                           filing_labels=plain_labels(FILING_LABELS))


@bp.post("/filings/<uuid:society_id>/<uuid:activity_id>")
def review_filing(society_id, activity_id):
    """Approve or return a submitted activity (written inside the society's context)."""
    require("association.filings.review")
    society = _society(society_id)
    with society_context(society.id):
        try:
            activity = activities.get_activity(society, activity_id)
        except LookupError:
            abort(404)
        try:
            activities.review_activity(society, current_user, activity, request.form.get("decision"),
                                       request.form.get("comment"))
        except ServiceError as exc:
            _fail(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for(".filings"))


# The annual assessment

@bp.route("/assessment/", methods=["GET", "POST"])
def schemes():
    """Every year's scheme; create a new one."""
    refused = {}
    if request.method == "POST":
        require("association.assessment.manage")
        try:
            scheme = assessment.create_scheme(current_user, request.form)
        except ServiceError as exc:
            refused = _refused(exc)
        else:
            db.session.commit()
            return redirect(url_for(".scheme", scheme_id=scheme.id))
    status = 422 if refused else 200
    return render_template("oversight/schemes.html", schemes=assessment.list_schemes(),
                           states=assessment.STATE_LABELS, **refused), status


@bp.get("/assessment/<uuid:scheme_id>")
def scheme(scheme_id):
    """A scheme: indicators, workflow steps, assessors, and the provisional or final table."""
    return _scheme_page(_scheme(scheme_id))


def _scheme_page(scheme, form=None, errors=None):
    inds = assessment.indicators(scheme)
    table = scoring.tabulate(scheme) if scheme.state.value in ("frozen", "scoring", "finalised") else []
    assessors = list(db.session.scalars(select(User).join(AssociationRole, AssociationRole.user_id == User.id)
                                        .where(AssociationRole.role == AssociationRoleName.assessor)))
    pairs = assessment.assignments(scheme)
    names = {u.id: u.name for u in assessors}
    return render_template("oversight/scheme.html", scheme=scheme, indicators=inds, table=table,
                           run=runs.latest_run(scheme), step_labels=runs.STEP_LABELS, run_states=runs.STATE_LABELS,
                           states=assessment.STATE_LABELS, types=assessment.TYPE_LABELS, grades=scoring.GRADE_LABELS,
                           metric_labels={k: v[1] for k, v in metrics.METRICS.items()},
                           rule_labels=assessment.RULE_LABELS,
                           type_options=[(t.value, assessment.TYPE_LABELS[t]) for t in IndicatorType],
                           rule_options=[(r.value, assessment.RULE_LABELS[r]) for r in ScoringRule], assessors=assessors,
                           societies=assessment.active_societies(), assignments=pairs, names=names,
                           mine={a.society_id for a, _s in pairs if a.assessor_id == current_user.id and not a.recused},
                           form=form, errors=errors)


@bp.post("/assessment/<uuid:scheme_id>/indicators/<uuid:indicator_id>/delete")
def delete_indicator(scheme_id, indicator_id):
    """Remove an indicator from a draft scheme."""
    require("association.assessment.manage")
    scheme = _scheme(scheme_id)
    try:
        assessment.delete_indicator(current_user, scheme, indicator_id)
    except ServiceError as exc:
        _fail(exc)
    except LookupError:
        abort(404)
    else:
        db.session.commit()
    return redirect(url_for(".scheme", scheme_id=scheme.id))


@bp.post("/assessment/<uuid:scheme_id>/indicators")
def add_indicator(scheme_id):
    """Add an indicator to a draft scheme."""
    require("association.assessment.manage")
    scheme = _scheme(scheme_id)
    try:
        assessment.add_indicator(current_user, scheme, request.form)
    except ServiceError as exc:
        return _scheme_page(_scheme(scheme_id), **_refused(exc)), 422
    db.session.commit()
    return redirect(url_for(".scheme", scheme_id=scheme.id))


@bp.post("/assessment/<uuid:scheme_id>/step/<step>")
def step(scheme_id, step):
    """Move the workflow on: publish now; freeze the metrics and finalise as runs of the worker."""
    require("association.assessment.manage")
    scheme = _scheme(scheme_id)
    if step not in ("publish", *runs.STEPS):
        abort(404)
    try:
        if step == "publish":
            assessment.publish(current_user, scheme)
        else:
            run = runs.request_step(current_user, scheme, step)
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for(".scheme", scheme_id=scheme.id))
    db.session.commit()
    if step == "publish":
        flash(_("Saved."), "success")
    elif current_app.config.get("JOBS_RUN_INLINE", True):  # no worker (development, the demo): run it now
        claimed = runs.claim(run.id)
        if claimed is not None:
            runs.execute(claimed)
    return redirect(url_for(".scheme", scheme_id=scheme_id))


@bp.get("/assessment/<uuid:scheme_id>/run")
def run_status(scheme_id):
    """htmx: the latest freeze or finalise run and its progress; the page reloads when it ends."""
    scheme = _scheme(scheme_id)
    run = runs.latest_run(scheme)
    response = make_response(render_template("oversight/_run.html", scheme=scheme, run=run,
                                             step_labels=runs.STEP_LABELS, run_states=runs.STATE_LABELS))
    if run is not None and run.state not in runs.ACTIVE and request.args.get("polling"):
        response.headers["HX-Refresh"] = "true"
    return response


@bp.post("/assessment/<uuid:scheme_id>/assign")
def assign(scheme_id):
    """Assign an assessor to a society, or record their recusal (回避)."""
    require("association.assessment.manage")
    scheme = _scheme(scheme_id)
    try:
        society = _society(uuid.UUID(request.form.get("society_id", "")))
        assessor = db.session.get(User, uuid.UUID(request.form.get("assessor_id", "")))
    except ValueError:
        abort(400)
    if assessor is None:
        abort(404)
    try:
        assessment.assign_assessor(current_user, scheme, society, assessor, request.form.get("recused") == "y",
                                   request.form.get("reason"))
    except ServiceError as exc:
        _fail(exc)
    else:
        db.session.commit()
    return redirect(url_for(".scheme", scheme_id=scheme.id))


@bp.route("/assessment/<uuid:scheme_id>/score/<uuid:society_id>", methods=["GET", "POST"])
def score(scheme_id, society_id):
    """An assigned assessor scores one society's assessor indicators; recused assessors are refused."""
    require("association.assessment.score")
    scheme, society = _scheme(scheme_id), _society(society_id)
    assignment = assessment.assignment_of(scheme, society, current_user.id)
    if assignment is None or assignment.recused:
        abort(403)
    inds = [i for i in assessment.indicators(scheme) if i.type == IndicatorType.assessor]
    refused = {}
    if request.method == "POST":
        points = {i.id: request.form.get(f"points-{i.id}") for i in inds if request.form.get(f"points-{i.id}")}
        try:
            scoring.score(current_user, scheme, society, points)
        except ServiceError as exc:
            refused = _refused(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".scheme", scheme_id=scheme.id))
    row = next((r for r in scoring.tabulate(scheme) if r["society"].id == society.id), None)
    with society_context(society.id):
        reports = assessment.self_reports_of(society, scheme)
    status = 422 if refused else 200
    return render_template("oversight/score.html", scheme=scheme, society=society, indicators=inds, row=row,
                           reports=reports, all_indicators=assessment.indicators(scheme), **refused), status


@bp.get("/assessment/<uuid:scheme_id>/evidence/<uuid:society_id>/<uuid:indicator_id>")
def evidence(scheme_id, society_id, indicator_id):
    """A society's evidence file for a self-reported indicator (association staff and assessors)."""
    from flask import send_file

    scheme, society = _scheme(scheme_id), _society(society_id)
    with society_context(society.id):
        found = assessment.evidence_file(society, scheme, indicator_id)
    if found is None:
        abort(404)
    path, name, mime = found
    return send_file(path, mimetype=mime, as_attachment=True, download_name=name)


@bp.get("/assessment/<uuid:scheme_id>/ranking")
def ranking(scheme_id):
    """The ranking (学会创新影响力排行) of a finalised year."""
    scheme = _scheme(scheme_id)
    return render_template("oversight/ranking.html", scheme=scheme, rows=scoring.ranking(scheme),
                           grades=scoring.GRADE_LABELS)


@bp.get("/assessment/<uuid:scheme_id>/ranking.xlsx")
def ranking_xlsx(scheme_id):
    """The ranking as an Excel workbook."""
    from openpyxl import Workbook

    from society_saas.core.spreadsheet import safe_row

    scheme = _scheme(scheme_id)
    rows = scoring.ranking(scheme)
    book = Workbook()
    sheet = book.active
    sheet.title = str(scheme.year)
    sheet.append([_("Rank"), _("Society"), _("Total"), _("Grade")])
    for result, society in rows:
        sheet.append(safe_row([result.rank, society.name, result.total, str(scoring.GRADE_LABELS.get(result.grade, ""))]))
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="ranking-{scheme.year}.xlsx"'})


@bp.get("/assessment/<uuid:scheme_id>/ranking.pdf")
def ranking_pdf(scheme_id):
    """The association's summary PDF of a finalised year."""
    from society_saas.oversight.reports import summary_pdf

    scheme = _scheme(scheme_id)
    rows = scoring.ranking(scheme)
    if not rows:
        abort(404)
    return Response(summary_pdf(scheme, rows), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="assessment-{scheme.year}-summary.pdf"'})


@bp.get("/assessment/<uuid:scheme_id>/report/<uuid:society_id>.pdf")
def report_pdf(scheme_id, society_id):
    """A society's assessment report as a Chinese PDF."""
    from society_saas.oversight.reports import society_report_pdf

    scheme, society = _scheme(scheme_id), _society(society_id)
    with society_context(society.id):
        result = scoring.result_of(society, scheme)
    if result is None:
        abort(404)
    return Response(society_report_pdf(scheme, society, result), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="assessment-{scheme.year}-{society.slug}.pdf"'})


# The watchlist (软弱涣散) and reform tasks (改革任务清单)

@bp.get("/watchlist/")
def watchlist():
    """Weak societies and the follow-up taken."""
    return _watchlist_page()


def _watchlist_page(failed=None, form=None, errors=None):
    return render_template("oversight/watchlist.html", rows=watch.watchlist(today()), actions=watch.ACTION_LABELS,
                           failed=failed, form=form, errors=errors)


@bp.post("/watchlist/<uuid:society_id>")
def watch_action(society_id):
    """Record a follow-up action about a weak society."""
    require("association.watchlist.manage")
    society = _society(society_id)
    try:
        watch.record_action(society, current_user, request.form)
    except ServiceError as exc:
        return _watchlist_page(failed=society_id, **_refused(exc)), 422
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".watchlist"))


@bp.route("/reform/", methods=["GET", "POST"])
def reform():
    """Reform tasks with owners, deadlines and progress; the completion rate against the target."""
    if request.method == "POST":
        require("association.reform.manage")
        try:
            watch.save_task(current_user, request.form)
        except ServiceError as exc:
            return _reform_page(failed="new", **_refused(exc)), 422
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".reform"))
    return _reform_page()


def _reform_page(failed=None, form=None, errors=None):
    tasks = watch.list_tasks()
    societies = {s.id: s for s in db.session.scalars(select(Society).order_by(Society.name))}
    return render_template("oversight/reform.html", tasks=tasks, summary=watch.completion(tasks, today()),
                           societies=societies, society_options=[(s.id, s.name) for s in societies.values()],
                           today=today(), failed=failed, form=form, errors=errors)


@bp.post("/reform/<uuid:task_id>")
def reform_progress(task_id):
    """Update a task's progress and evidence."""
    require("association.reform.manage")
    from society_saas.oversight.models import ReformTask

    task = db.session.get(ReformTask, task_id)
    if task is None:
        abort(404)
    try:
        watch.save_task(current_user, request.form, task)
    except ServiceError as exc:
        return _reform_page(failed=task_id, **_refused(exc)), 422
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".reform"))
