"""Secretariat pages under /s/<slug>/admin/governance/: organs, terms, rosters, meetings, renewal."""
from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from society_saas.core import once
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import db
from society_saas.governance import forms as f
from society_saas.governance import services as gov
from society_saas.governance.models import Organ, OrganType, Renewal, Term
from society_saas.governance.services.renewals import alert_level, approved_postponement, standing, today
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("governance", __name__, "admin", "/governance")


@bp.before_request
def _may_manage():
    require("society.governance.manage")


def _done(message: str, target: str):
    db.session.commit()
    flash(message, "success")
    return redirect(target)


def _failed(form, exc: ServiceError, default_field=None):
    db.session.rollback()
    apply_service_error(form, exc, default_field)


@bp.route("/", methods=["GET", "POST"])
def index():
    """The society's organs, and a form to set one up."""
    form = f.OrganForm()
    if form.validate_on_submit():
        try:
            organ = gov.create_organ(g.society, current_user, form.data)
        except ServiceError as exc:
            _failed(form, exc, "name")
        else:
            return _done(_("The organ has been set up."), url_for(".organ", organ_id=organ.id))
    return render_template("governance/index.html", organs=gov.list_organs(g.society), form=form,
                           labels=f.ORGAN_LABELS, branch_labels=f.BRANCH_LABELS,
                           charter=gov.charter.charter_summary(g.society), charter_labels=f.CHARTER_LABELS,
                           kind_labels=_kind_labels())


def _kind_labels() -> dict:
    from society_saas.decisions.forms import KIND_LABELS

    return KIND_LABELS


@bp.route("/organs/<uuid:organ_id>", methods=["GET", "POST"])
def organ(organ_id):
    """One organ: its terms and a form to open the next term."""
    organ = gov.get_organ(g.society, organ_id)
    terms = db.session.scalars(select(Term).where(Term.organ_id == organ.id).order_by(Term.number.desc())).all()
    form = f.TermForm(number=(terms[0].number + 1) if terms else 1)
    if form.validate_on_submit():
        try:
            term = gov.create_term(g.society, current_user, {**form.data, "organ_id": organ.id})
        except ServiceError as exc:
            _failed(form, exc, "starts_on")
        else:
            return _done(_("The term has been opened."), url_for(".term", term_id=term.id))
    return render_template("governance/organ.html", organ=organ, terms=terms, form=form, labels=f.ORGAN_LABELS,
                           max_years=int(gov.charter_settings(g.society)["term_max_years"]))


def _position_data(form) -> dict:
    return {k: v for k, v in form.data.items() if k != "csrf_token"}


def _position_form():
    """The position form, its appointment choices taken from the decision log."""
    from society_saas.governance.services.structure import appointment_decisions

    form = f.PositionForm()
    decisions = appointment_decisions(g.society)
    form.appointment_decision_ref.choices = [("", _("(only for the secretary-general)"))] + [
        (str(d.decision_id), f"{d.current.meeting_date or ''} {d.current.title}") for d in decisions]
    return form


@bp.route("/terms/<uuid:term_id>", methods=["GET", "POST"])
def term(term_id):
    """A term's roster with its live compliance, and a form to add a position."""
    term = gov.get_term(g.society, term_id)
    form = _position_form()
    if form.validate_on_submit():
        try:
            once.claim(g.society)
        except once.AlreadySubmitted:
            return once.repeated(url_for(".term", term_id=term.id))
        try:
            gov.add_position(g.society, current_user, {**_position_data(form), "term_id": term.id})
        except ServiceError as exc:
            _failed(form, exc, "holder_name")
        else:
            return _done(_("The position has been added."), url_for(".term", term_id=term.id))
    counts, results = gov.compliance(g.society, term)
    return render_template("governance/term.html", term=term, organ=term.organ, form=form,
                           positions=gov.list_positions(g.society, term), counts=counts, results=results,
                           resign_form=f.ResignForm(), role_labels=f.ROLE_LABELS, region_labels=f.REGION_LABELS,
                           attribute_labels=f.ATTRIBUTE_LABELS)


@bp.post("/terms/<uuid:term_id>/preview")
def preview(term_id):
    """htmx: the roster's compliance if the position being edited were added (nothing is saved)."""
    term = gov.get_term(g.society, term_id)
    form = _position_form()
    error = None
    if form.validate_on_submit():
        counts, results, error = gov.preview_compliance(g.society, term, add=[_position_data(form)])
    else:
        counts, results = gov.compliance(g.society, term)
    return render_template("governance/_compliance.html", counts=counts, results=results, error=error,
                           preview=True, attribute_labels=f.ATTRIBUTE_LABELS)


@bp.post("/positions/<uuid:position_id>/resign")
def resign(position_id):
    """Record a resignation."""
    position = gov.get_position(g.society, position_id)
    form = f.ResignForm()
    if form.validate_on_submit():
        try:
            gov.resign_position(g.society, current_user, position, form.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            return _done(_("The resignation has been recorded."), url_for(".term", term_id=position.term_id))
    else:
        flash(_("Give the day of the resignation."), "error")
    return redirect(url_for(".term", term_id=position.term_id))


@bp.route("/meetings", methods=["GET", "POST"])
def meetings():
    """The society's meetings with their quorum, and a form to record one."""
    organs = gov.list_organs(g.society)
    form = f.MeetingForm_()
    form.organ_id.choices = [(str(o.id), o.name) for o in organs]
    if form.validate_on_submit():
        try:
            gov.create_meeting(g.society, current_user, form.data)
        except ServiceError as exc:
            _failed(form, exc, "title")
        else:
            return _done(_("The meeting has been recorded."), url_for(".meetings"))
    quorum = gov.meetings.quorum(g.society)
    return render_template("governance/meetings.html", meetings=gov.list_meetings(g.society), form=form,
                           quorum=quorum, organs={o.id: o for o in organs}, findings=_frequency(organs))


def _frequency(organs) -> list[str]:
    on = today()
    findings = []
    for organ in organs:
        if organ.type not in (OrganType.council, OrganType.standing_council):
            continue
        term = db.session.scalars(select(Term).where(Term.organ_id == organ.id, Term.starts_on <= on)
                                  .order_by(Term.number.desc()).limit(1)).first()
        if term is not None:
            findings += gov.meetings.frequency_findings(g.society, organ, term, on)
    return findings


def _council_terms():
    return db.session.execute(
        select(Term, Renewal)
        .join(Organ, (Organ.society_id == Term.society_id) & (Organ.id == Term.organ_id))
        .join(Renewal, (Renewal.society_id == Term.society_id) & (Renewal.term_id == Term.id), isouter=True)
        .where(Organ.type == OrganType.council).order_by(Term.number.desc())).all()


@bp.get("/renewal")
def renewal():
    """Renewal preparation: the council terms, their deadlines and the renewal in progress."""
    return _renewal_page()


def _renewal_page(refused=None):
    """The renewal page; `refused` is (renewal id, step, form) of a step refused, shown with what was typed."""
    terms = _council_terms()
    # the term being renewed: the latest that has started (a next term may be entered early, for the elected
    # roster), or the first while none has; older terms were followed by a newer one, so they were renewed
    current = gov.structure.term_in_office([term for term, _ren in terms], today())
    on = today()
    rows = [(term, ren, standing(term.ends_on, ren, on), alert_level(term.ends_on, on, ren)) if term is current
            else (term, ren, "upcoming" if term.number > current.number else "done", None) for term, ren in terms]
    # fresh forms must not pick up the refused form's fields from the request
    blank = {step: form_cls(formdata=None) for step, (form_cls, _verb, _message) in STEPS.items()}
    step_forms = {refused[0]: {refused[1]: refused[2]}} if refused else {}
    return render_template("governance/renewal.html", rows=rows, status_labels=f.STATUS_LABELS,
                           standing_labels=f.STANDING_LABELS, plan_form=blank["submit"],
                           assembly_form=blank["assembly"], file_form=blank["file"], postpone_form=blank["postpone"],
                           step_forms=step_forms, postponements={term.id: approved_postponement(ren)
                                                                 for term, ren, _state, _alert in rows},
                           events=_events(rows), event_labels=f.EVENT_LABELS, notices=_notices(rows),
                           notice_labels=f.NOTICE_LABELS, attribute_labels=f.ATTRIBUTE_LABELS,
                           comps=gov.renewal_composition(g.society, current) if current else [],
                           youth=gov.youth_committees(g.society), current=current)


def _notices(rows):
    from society_saas.governance.models import RenewalNotice

    out = {}
    ids = [term.id for term, _, _, _ in rows]
    for notice in db.session.scalars(select(RenewalNotice).where(RenewalNotice.term_id.in_(ids))
                                     .order_by(RenewalNotice.claimed_at)) if ids else ():
        out.setdefault(notice.term_id, []).append(notice)
    return out


def _events(rows):
    from society_saas.governance.models import RenewalEvent

    ids = [ren.id for _, ren, _, _ in rows if ren is not None]
    if not ids:
        return {}
    out = {}
    for event in db.session.scalars(select(RenewalEvent).where(RenewalEvent.renewal_id.in_(ids))
                                    .order_by(RenewalEvent.at)):
        out.setdefault(event.renewal_id, []).append(event)
    return out


@bp.post("/renewal/start/<uuid:term_id>")
def renewal_start(term_id):
    """Open the renewal of a council term."""
    try:
        gov.start_renewal(g.society, current_user, {"term_id": term_id})
    except NotFoundError:
        raise
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".renewal"))
    return _done(_("The renewal has been opened."), url_for(".renewal"))


STEPS = {
    "submit": (f.PlanForm, gov.submit_plan, _l("The plan has been submitted for pre-review.")),
    "assembly": (f.AssemblyForm, gov.record_assembly, _l("The general assembly has been recorded.")),
    "file": (f.FileResultsForm, gov.file_results, _l("The results have been filed.")),
    "postpone": (f.PostponeForm, gov.request_postponement, _l("The postponement has been requested.")),
}


@bp.post("/renewal/<uuid:renewal_id>/<step>")
def renewal_step(renewal_id, step):
    """Take one step of the renewal: submit the plan, record the assembly, file results, ask to postpone."""
    if step not in STEPS:
        abort(404)
    renewal = gov.get_renewal(g.society, renewal_id)
    form_cls, verb, message = STEPS[step]
    form = form_cls()
    if not form.validate_on_submit():
        return _step_refused(renewal, step, form)
    try:
        verb(g.society, current_user, renewal, form.data)
    except NotFoundError:
        raise
    except ServiceError as exc:
        db.session.rollback()
        if not any(name in form._fields for name in exc.errors):  # the renewal's state, not what was typed
            flash(exc.message, "error")
            return redirect(url_for(".renewal"))
        apply_service_error(form, exc)
        return _step_refused(renewal, step, form)
    return _done(str(message), url_for(".renewal"))


def _step_refused(renewal, step, form):
    """Show the page again with the typed values and each error beside its field, naming the fields at the top."""
    labels = [str(form[name].label.text) for name in form.errors if name in form._fields and name != "csrf_token"]
    if labels:
        flash(_("Nothing was saved. Correct the marked fields: %(fields)s.", fields=_(", ").join(labels)), "error")
    else:  # only the CSRF token failed: the page had expired
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return _renewal_page((renewal.id, step, form))


@bp.route("/positions/<uuid:position_id>/assessments", methods=["GET", "POST"])
def assessments(position_id):
    """The secretary-general's annual performance assessments, recorded by the council."""
    position = gov.get_position(g.society, position_id)
    form = f.AssessmentForm()
    council_ids = select(Organ.id).where(Organ.type.in_((OrganType.council, OrganType.standing_council)))
    form.meeting_id.choices = [(str(m.id), f"{m.held_on} {m.title}") for m in gov.list_meetings(g.society)
                               if m.organ_id in set(db.session.scalars(council_ids))]
    if form.validate_on_submit():
        try:
            gov.record_assessment(g.society, current_user, {**form.data, "position_id": position.id})
        except NotFoundError:
            raise
        except ServiceError as exc:
            _failed(form, exc, "year")
        else:
            return _done(_("The assessment has been recorded."), url_for(".assessments", position_id=position.id))
    return render_template("governance/assessments.html", position=position, form=form,
                           items=gov.list_assessments(g.society, position), ratings=f.RATING_LABELS)


EXTRA_ROWS = 3


def _attendance_rows(form_data) -> list[dict]:
    """The attendance rows posted by the meeting page; blank extra rows are skipped."""
    import uuid

    rows = []
    for i in range(int(form_data.get("rows", 0) or 0) + EXTRA_ROWS):
        name = (form_data.get(f"name-{i}") or "").strip()
        if not name:
            continue
        raw = form_data.get(f"position-{i}") or None
        try:
            position_id = uuid.UUID(raw) if raw else None
        except ValueError:
            position_id = None
        rows.append({"name": name, "status": form_data.get(f"status-{i}"), "position_id": position_id,
                     "proxy_name": form_data.get(f"proxy-{i}")})
    return rows


@bp.route("/meetings/<uuid:meeting_id>", methods=["GET", "POST"])
def meeting(meeting_id):
    """One meeting: attendance by name (present, absent, by proxy), its quorum, the decisions taken, minutes."""
    meeting = gov.get_meeting(g.society, meeting_id)
    form = f.AttendanceForm()
    error = None
    sheet = gov.meetings.attendance_sheet(g.society, meeting)
    if form.validate_on_submit():
        rows = _attendance_rows(request.form)
        try:
            gov.meetings.record_meeting_attendance(g.society, current_user, meeting, rows)
        except ServiceError as exc:
            db.session.rollback()
            error = exc.message
            sheet = [{**row, "position_id": row["position_id"], "proxy_name": row.get("proxy_name") or ""}
                     for row in rows] or sheet
        else:
            return _done(_("The attendance has been recorded."), url_for(".meeting", meeting_id=meeting.id))
    settings = gov.charter_settings(g.society)
    return render_template("governance/meeting.html", meeting=meeting, organ=meeting.organ,
                           term=gov.meetings.meeting_term(g.society, meeting), form=form, error=error, sheet=sheet,
                           extra=range(len(sheet), len(sheet) + EXTRA_ROWS), quorum=gov.meetings.quorum(g.society),
                           proxy_allowed=settings["proxy_allowed"],
                           statuses=[(v, label) for v, label in f.ATTENDANCE_LABELS
                                     if v != "proxy" or settings["proxy_allowed"]],
                           decisions=gov.meetings.decisions_at(g.society, meeting),
                           recorded=any(row.get("recorded") for row in sheet))


@bp.post("/meetings/<uuid:meeting_id>/minutes")
def upload_minutes(meeting_id):
    """Upload the minutes of a meeting (PDF, JPEG or PNG)."""
    meeting = gov.get_meeting(g.society, meeting_id)
    try:
        gov.meetings.attach_minutes(g.society, current_user, meeting, request.files.get("minutes"))
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".meetings"))
    return _done(_("The minutes have been uploaded."), url_for(".meetings"))


@bp.get("/meetings/<uuid:meeting_id>/minutes")
def minutes(meeting_id):
    """Download the minutes of a meeting."""
    from society_saas.core import storage

    meeting = gov.get_meeting(g.society, meeting_id)
    if not meeting.minutes_file:
        abort(404)
    return send_file(storage.path_of(meeting.minutes_file), as_attachment=True,
                     download_name=f"minutes-{meeting.held_on}.{meeting.minutes_file.rsplit('.', 1)[-1]}")
