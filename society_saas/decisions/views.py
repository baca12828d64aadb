"""Secretariat pages of the 三重一大 log: register, record, detail, follow-up, verify, PDF export."""
import json
import uuid

from flask import Response, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from society_saas.core import once
from society_saas.core.clock import today_cn
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.decisions import services
from society_saas.decisions.chain import checkpoint_dict, verify_attendance, verify_chain, verify_files
from society_saas.decisions.forms import (BODY_LABELS, ENTRY_LABELS, KIND_LABELS, RESPONSE_LABELS, STATE_LABELS,
                                          SUPERVISION_LABELS, CorrectionForm, FollowUpForm, RecordForm, StateForm)
from society_saas.extensions import db
from society_saas.governance.forms import ATTENDANCE_LABELS
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("decisions", __name__, "admin", "/decisions", guard="decisions.view")
LABELS = {"kinds": KIND_LABELS, "bodies": BODY_LABELS, "states": STATE_LABELS, "supervision": SUPERVISION_LABELS,
          "entries": ENTRY_LABELS, "responses": RESPONSE_LABELS, "attendance": dict(ATTENDANCE_LABELS)}


def _filters() -> dict:
    year = request.args.get("year", "")
    return {"kind": request.args.get("kind") or None, "state": request.args.get("state") or None,
            "body": request.args.get("body") or None, "year": int(year) if year.isdigit() else None}


@bp.get("/")
def index():
    """The register (三重一大台账), filtered by kind, state, body and year."""
    require("decisions.view")
    filters = _filters()
    decisions = services.list_decisions(g.society, **filters)
    return render_template("decisions/index.html", decisions=decisions, filters=filters, labels=LABELS,
                           years=range(today_cn().year, today_cn().year - 10, -1))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Record a decision; a rule that is broken is shown on its field."""
    require("decisions.record")
    form = RecordForm()
    form.meeting_id.choices = [("", _("No meeting in the platform: enter it below"))] + services.meeting_choices(g.society)
    if request.method == "GET":
        form.party_organisation.data = services.has_party_organisation(g.society)
    if form.validate_on_submit():
        try:
            once.claim(g.society)
        except once.AlreadySubmitted:
            return once.repeated(url_for(".index"))
        try:
            entry = services.record_decision(g.society, current_user, form.service_data())
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="title")
        else:
            db.session.commit()
            flash(_("The decision has been recorded as entry %(n)d of the log.", n=entry.seq), "success")
            return redirect(url_for(".detail", decision_id=entry.decision_id))
    return render_template("decisions/new.html", form=form, charter=services.charter(g.society))


def _load(decision_id: uuid.UUID):
    try:
        return services.get_decision(g.society, decision_id)
    except NotFoundError:
        abort(404)


def _detail_forms(decision):
    correction = CorrectionForm(prefix="c")
    correction.corrects_seq.choices = [(str(e.seq), f"#{e.seq} {ENTRY_LABELS[e.entry_type]}") for e in decision.entries]
    return {"state_form": StateForm(prefix="s"), "follow_form": FollowUpForm(prefix="f"), "correction_form": correction}


@bp.get("/<uuid:decision_id>")
def detail(decision_id: uuid.UUID):
    """A decision with every entry of its history and the state of the chain."""
    require("decisions.view")
    decision = _load(decision_id)
    return render_template("decisions/detail.html", d=decision, labels=LABELS, report=verify_chain(g.society),
                           **_detail_forms(decision))


def _act(decision_id, form_name, verb, success):
    decision = _load(decision_id)
    forms = _detail_forms(decision)
    form = forms[form_name]
    if form.validate_on_submit():
        try:
            data = form.service_data() if hasattr(form, "service_data") else dict(form.data)
            data.pop("csrf_token", None)
            verb(g.society, current_user, {**data, "decision_id": decision.decision_id})
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="note")
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for(".detail", decision_id=decision.decision_id))
    return render_template("decisions/detail.html", d=decision, labels=LABELS, report=verify_chain(g.society),
                           **forms), 400


@bp.post("/<uuid:decision_id>/state")
def change_state(decision_id: uuid.UUID):
    """Record that the decision is being carried out or completed."""
    require("decisions.record")
    return _act(decision_id, "state_form", services.change_state, _("The state has been recorded."))


@bp.post("/<uuid:decision_id>/follow-up")
def follow_up(decision_id: uuid.UUID):
    """Add a follow-up note."""
    require("decisions.record")
    return _act(decision_id, "follow_form", services.add_follow_up, _("The follow-up note has been added."))


@bp.post("/<uuid:decision_id>/correction")
def correction(decision_id: uuid.UUID):
    """Add a correction that points at an earlier entry."""
    require("decisions.record")
    return _act(decision_id, "correction_form", services.add_correction, _("The correction has been added."))


@bp.get("/verify")
def verify():
    """The chain's state and its signed checkpoints."""
    require("decisions.view")
    return render_template("decisions/verify.html", report=verify_chain(g.society),
                           checkpoints=services.checkpoints(g.society), file_problems=verify_files(g.society),
                           attendance_problems=verify_attendance(g.society))


@bp.post("/checkpoints")
def sign_checkpoint():
    """Sign the chain's head with the server key."""
    require("decisions.record")
    try:
        cp = services.sign_checkpoint(g.society, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Checkpoint signed at entry %(n)d.", n=cp.seq), "success")
    return redirect(url_for(".verify"))


@bp.get("/checkpoints.json")
def export_checkpoints():
    """The signed checkpoints as JSON, to keep outside the platform."""
    require("decisions.view")
    body = json.dumps([checkpoint_dict(g.society, c) for c in services.checkpoints(g.society)], ensure_ascii=False,
                      indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="decision-checkpoints-{g.society.slug}.json"'})


@bp.get("/register.pdf")
def register_pdf():
    """The register as a paginated Chinese PDF, each entry with its hash."""
    require("decisions.view")
    from weasyprint import HTML

    filters = _filters()
    html = render_template("decisions/register_pdf.html", society=g.society, labels=LABELS, filters=filters,
                           decisions=services.list_decisions(g.society, **filters), report=verify_chain(g.society),
                           today=today_cn())
    pdf = HTML(string=html, base_url=request.url_root).write_pdf()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="decision-register-{g.society.slug}.pdf"'})


@bp.get("/register.xlsx")
def register_xlsx():
    """The register as an Excel workbook, with every entry and its hash."""
    require("decisions.view")
    from society_saas.decisions.export import register_xlsx as build

    data = build(services.list_decisions(g.society, **_filters()), LABELS)
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={
        "Content-Disposition": f'attachment; filename="decision-register-{g.society.slug}.xlsx"'})


@bp.get("/<uuid:decision_id>/attachments/<int:index>")
def attachment(decision_id: uuid.UUID, index: int):
    """Download one attachment of a decision."""
    require("decisions.view")
    from society_saas.core import storage

    try:
        meta = services.attachment(g.society, decision_id, index)
    except NotFoundError:
        abort(404)
    return send_file(storage.path_of(meta["key"]), mimetype=meta["type"], as_attachment=True,
                     download_name=meta["name"] or f"attachment-{index + 1}")
