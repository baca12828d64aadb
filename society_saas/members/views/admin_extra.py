"""More secretariat pages on the members blueprint: classes, class changes, verification, statistics, requests."""
import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core.db import utcnow
from society_saas.core.permissions import can
from society_saas.core.errors import ServiceError
from society_saas.core.i18n import current_language
from society_saas.core.pagination import paginate
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.forms import ChangeClassForm, ClassForm, ReplyForm
from society_saas.members.models import MemberClass, MemberRequest, RequestStatus
from society_saas.members.services.classes import EDITABLE
from society_saas.members.views.admin import _member_or_404, bp


def _done(message: str, target: str):
    db.session.commit()
    flash(message, "success")
    return redirect(target)


def _refused(exc: ServiceError, target: str):
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(target)


@bp.get("/classes/")
def classes():
    """The society's membership classes, each editable."""
    rows = services.list_classes()
    return render_template("members/classes.html", rows=[(c, ClassForm(obj=c, prefix=str(c.id))) for c in rows])


@bp.post("/classes/<uuid:class_id>")
def edit_class(class_id):
    """Save one class's names, dues, eligibility and rights."""
    row = db.session.scalar(select(MemberClass).where(MemberClass.id == class_id))
    if row is None:
        abort(404)
    form = ClassForm(prefix=str(row.id))
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for(".classes"))
    try:
        services.update_class(g.society, current_user, row, {k: getattr(form, k).data for k in EDITABLE})
    except ServiceError as exc:
        return _refused(exc, url_for(".classes"))
    return _done(_("The class has been saved."), url_for(".classes"))


@bp.post("/<uuid:member_id>/class")
def change_class(member_id):
    """Move a member to another class; a fellow needs the council decision's reference."""
    member = _member_or_404(member_id)
    form = ChangeClassForm()
    form.class_code.choices = [(c.code, c.label(current_language())) for c in services.list_classes()]
    target = url_for(".detail", member_id=member.id)
    if form.validate_on_submit():
        try:
            services.reclassify(g.society, current_user, member, services.class_by_code(form.class_code.data),
                                reference=form.reference.data)
        except ServiceError as exc:
            return _refused(exc, target)
        return _done(_("The class has been changed."), target)
    return redirect(target)


@bp.post("/<uuid:member_id>/verified")
def verified(member_id):
    """Confirm the fields a member changed in the portal."""
    member = _member_or_404(member_id)
    target = url_for(".detail", member_id=member.id)
    try:
        services.confirm_verified(g.society, current_user, member)
    except ServiceError as exc:
        return _refused(exc, target)
    return _done(_("The changes have been verified."), target)


@bp.get("/stats")
def stats():
    """Members by class and status, growth this year, and the shares the association watches."""
    from society_saas.members.models import MemberStatus
    from society_saas.members.services.lifecycle import status_label

    names = {s.value: status_label(s) for s in MemberStatus}
    return render_template("members/stats.html", stats=services.society_stats(), status_names=names)


@bp.get("/requests/")
def requests():
    """Members' requests and complaints, open first, with how long each has been open."""
    query = select(MemberRequest).order_by((MemberRequest.status == RequestStatus.closed), MemberRequest.created_at)
    page = paginate(query, request.args.get("page", 1, type=int), per_page=50)
    return render_template("members/requests.html", page=page, now=utcnow())


@bp.route("/requests/<uuid:request_id>", methods=["GET", "POST"])
def request_detail(request_id):
    """One request: read it, reply, or close it."""
    row = db.session.scalar(select(MemberRequest).where(MemberRequest.id == request_id))
    if row is None:
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        target = url_for(".request_detail", request_id=row.id)
        try:
            if request.form.get("close"):
                services.close_request(g.society, current_user, row)
            else:
                services.reply_request(g.society, current_user, row, {"reply": form.reply.data})
        except ServiceError as exc:
            return _refused(exc, target)
        return _done(_("The request has been updated."), target)
    member = services.get_member(row.member_id)
    return render_template("members/request.html", row=row, member=member, form=form, now=utcnow())




BULK_VERBS = {"grace": "mark_grace", "lapsed": "mark_lapsed"}


def _ticked_members() -> list:
    """The members ticked on the ledger (404 for one not in this society, 400 for a malformed id)."""
    from society_saas.members.models import Member

    ids = []
    for raw in request.form.getlist("member_id"):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            abort(400)
    members = db.session.scalars(select(Member).where(Member.id.in_(ids)).order_by(Member.member_number)).all()
    if len(members) != len(set(ids)):
        abort(404)
    return members


@bp.post("/bulk")
def bulk():
    """Apply one status change to the ticked members: all of them, or none when one is refused."""
    verb = BULK_VERBS.get(request.form.get("action", ""))
    members = _ticked_members()
    target = url_for(".ledger")
    if verb is None or not members:
        flash(_("Tick members and choose an action."), "error")
        return redirect(target)
    try:
        for member in members:
            getattr(services, verb)(g.society, current_user, member, {})
    except ServiceError as exc:
        return _refused(exc, target)
    return _done(_("%(n)d members changed.", n=len(members)), target)


@bp.post("/certificates.pdf")
def certificates():
    """The ticked members' certificates as one PDF to print; none when one of them is not a current member."""
    from flask import Response

    from society_saas.members.certificate import certificates_pdf, not_current

    members = _ticked_members()
    if not members:
        flash(_("Tick the members whose certificates you want to print."), "error")
        return redirect(url_for(".ledger"))
    lapsed = not_current(members)
    if lapsed:
        flash(_("Only current members get a certificate; not current: %(names)s.",
                names="、".join(m.name for m in lapsed)), "error")
        return redirect(url_for(".ledger"))
    return Response(certificates_pdf(g.society, members), mimetype="application/pdf",
                    headers={"Content-Disposition": "attachment; filename=certificates.pdf"})


@bp.route("/<uuid:member_id>/edit", methods=["GET", "POST"])
def edit(member_id):
    """Correct a member's record; every change is in the history and the audit log."""
    from society_saas.core.forms import apply_service_error, stale_form_message
    from society_saas.members.forms import MemberEditForm

    member = _member_or_404(member_id)
    form = MemberEditForm(obj=member)
    if not can(current_user, "members.sensitive", g.society):
        del form.party_member  # restricted: others neither see nor change it
    if request.method == "GET":
        form.id_number.data = ""
    if form.validate_on_submit():
        if form.version.data and str(form.version.data) != str(member.version):
            # saved by someone else since this form was shown: keep the entries, save nothing, and let
            # the next save (knowingly) go over the newer record
            form.form_errors.append(stale_form_message())
            form.version.data = str(member.version)
        else:
            try:
                services.update_member(g.society, current_user, member, form.member_data())
            except ServiceError as exc:
                db.session.rollback()
                apply_service_error(form, exc, default_field="name")
            else:
                return _done(_("The record has been saved."), url_for(".detail", member_id=member.id))
    return render_template("members/edit.html", member=member, form=form), (409 if form.form_errors else 200)
