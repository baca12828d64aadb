"""The secretariat's member ledger, member pages, applications, import and export."""
import uuid

from flask import Response, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core import storage
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.pagination import paginate
from society_saas.extensions import db
from society_saas.members import export as ledger_export
from society_saas.members import services
from society_saas.core.i18n import current_language
from society_saas.members.forms import ApproveForm, ChangeClassForm, ReasonForm, StatusForm
from society_saas.members.models import ApplicationStatus, MemberApplication, MemberStatus
from society_saas.members.services.lifecycle import status_label
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("members", __name__, "admin", "/members")
FILTERS = ("status", "class_code", "q", "front_line", "young", "region", "sort")
STATUS_VERBS = {"grace": services.mark_grace, "lapsed": services.mark_lapsed, "resigned": services.resign,
                "expelled": services.expel, "deceased": services.mark_deceased, "reinstate": services.reinstate}
REVIEW_VERBS = {"review": services.start_review, "more_info": services.request_more_info, "reject": services.reject}


def ledger_filters(source=None) -> dict:
    """The ledger's filters the request names (the query string, or `source`), without the empty ones."""
    source = request.args if source is None else source
    return {key: value for key in FILTERS if (value := source.get(key, ""))}


@bp.before_request
def _members_only():
    require("members.manage")


def _member_or_404(member_id: uuid.UUID):
    try:
        return services.get_member(member_id)
    except NotFoundError:
        abort(404)


def _application_or_404(application_id: uuid.UUID) -> MemberApplication:
    row = db.session.scalar(select(MemberApplication).where(MemberApplication.id == application_id))
    if row is None:
        abort(404)
    return row


@bp.get("/")
def ledger():
    """The member ledger with search, filters and pages."""
    filters = {key: "" for key in FILTERS} | ledger_filters()  # the form shows every filter, set or not
    classes = services.list_classes()
    page = paginate(services.ledger_query(filters, classes), request.args.get("page", 1, type=int), per_page=50,
                    count_in_page=bool(filters.get("q")))
    from society_saas.members.services.listing import regions

    return render_template("members/ledger.html", page=page, filters=filters, classes=classes,
                           statuses=list(MemberStatus), status_label=status_label, regions=regions(),
                           args={k: v for k, v in filters.items() if v})


@bp.get("/<uuid:member_id>")
def detail(member_id):
    """A member's page with the masked record and the history."""
    member = _member_or_404(member_id)
    return _detail_page(member, None)


@bp.post("/<uuid:member_id>/full")
def full_record(member_id):
    """Show the unmasked record; the read is written to the audit log."""
    member = _member_or_404(member_id)
    full = services.read_full_record(g.society, current_user, member)
    db.session.commit()
    return _detail_page(member, full)


def _detail_page(member, full):
    class_form = ChangeClassForm()
    class_form.class_code.choices = [(c.code, c.label(current_language())) for c in services.list_classes()]
    class_form.class_code.data = member.member_class.code
    from society_saas.members.services.lifecycle import event_label, event_note, field_label, status_name

    from society_saas.core.permissions import can

    return render_template("members/detail.html", member=member, history=services.history(member),
                           sensitive=can(current_user, "members.sensitive", g.society),
                           status_form=StatusForm(), class_form=class_form, status_label=status_label, full=full,
                           status_name=status_name, event_label=event_label, event_note=event_note,
                           field_label=field_label,
                           class_names={code: name for code, name in class_form.class_code.choices})


@bp.post("/<uuid:member_id>/status")
def change_status(member_id):
    """Apply a status change (grace, lapse, resignation, expulsion, death, reinstatement)."""
    member = _member_or_404(member_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            STATUS_VERBS[form.action.data](g.society, current_user, member,
                                           {"reference": form.reference.data, "note": form.note.data})
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("The status has been changed."), "success")
    return redirect(url_for(".detail", member_id=member.id))


@bp.get("/applications/")
def applications():
    """Applications waiting for the secretariat, then the decided ones."""
    status = request.args.get("status") or "open"
    query = select(MemberApplication).order_by(MemberApplication.submitted_at.desc())
    if status == "open":
        query = query.where(MemberApplication.status.in_(
            [ApplicationStatus.submitted, ApplicationStatus.under_review, ApplicationStatus.more_info]))
    elif status in ApplicationStatus.__members__:
        query = query.where(MemberApplication.status == ApplicationStatus(status))
    page = paginate(query, request.args.get("page", 1, type=int), per_page=50)
    return render_template("members/applications.html", page=page, status=status)


@bp.get("/applications/<uuid:application_id>")
def application(application_id):
    """One application with its data, attachments and the review actions."""
    row = _application_or_404(application_id)
    return render_template("members/application.html", application=row, reason_form=ReasonForm(),
                           approve_form=ApproveForm())


@bp.get("/applications/<uuid:application_id>/attachments/<int:index>")
def attachment(application_id, index):
    """Download one attachment of an application."""
    row = _application_or_404(application_id)
    if index >= len(row.attachments or []):
        abort(404)
    item = row.attachments[index]
    return send_file(storage.path_of(item["key"]), mimetype=item["type"], as_attachment=True,
                     download_name=item.get("name") or "attachment")


@bp.post("/applications/<uuid:application_id>/<action>")
def decide(application_id, action):
    """Take up, question, reject or approve an application."""
    row = _application_or_404(application_id)
    form = ApproveForm() if action == "approve" else ReasonForm()
    if action not in REVIEW_VERBS and action != "approve":
        abort(404)
    if form.validate_on_submit():
        try:
            if action == "approve":
                services.approve(g.society, current_user, row, {"reference": form.reference.data})
            else:
                REVIEW_VERBS[action](g.society, current_user, row, {"reason": form.data.get("reason")})
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("The application has been updated."), "success")
    return redirect(url_for(".application", application_id=row.id))


@bp.get("/export.<fmt>")
def export(fmt):
    """Download the filtered ledger as xlsx or CSV."""
    query = services.ledger_query(ledger_filters())
    if fmt == "csv":
        return Response(ledger_export.export_csv(query), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=members.csv"})
    if fmt == "xlsx":
        return Response(ledger_export.export_xlsx(query),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": "attachment; filename=members.xlsx"})
    abort(404)
