"""The member portal: my profile, my membership, a higher class, my data, my requests."""
import json

from flask import Response, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.core.i18n import current_language
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.forms import ProfileForm, RequestForm, UpgradeForm
from society_saas.members.models import MemberRequest
from society_saas.members.services.lifecycle import status_label
from society_saas.members.services.portal import SELF_EDITABLE
from society_saas.tenancy.web import society_blueprint

bp = society_blueprint("member_portal", __name__, "portal")


def _me():
    member = services.member_for_user(current_user)
    if member is None:
        abort(404)
    return member


def _upgrade_form(member):
    form = UpgradeForm(prefix="up")
    form.class_code.choices = [(c.code, c.label(current_language())) for c in services.list_classes()
                               if not c.elected and not c.is_institutional and member is not None
                               and c.sort_order > member.member_class.sort_order]
    return form


@bp.route("/profile/", methods=["GET", "POST"])
def profile():
    """My record in this society; I keep my contact and work details current."""
    member = services.member_for_user(current_user)
    form = ProfileForm(obj=member)
    if member is not None and form.validate_on_submit():
        try:
            services.update_own_profile(g.society, current_user, member, {k: getattr(form, k).data for k in SELF_EDITABLE})
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="mobile")
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for(".profile"))
    return render_template("members/profile.html", member=member, form=form, status_label=status_label,
                           upgrade_form=_upgrade_form(member),
                           pending_upgrade=services.open_upgrade(member) if member is not None else None)


@bp.post("/profile/upgrade")
def upgrade():
    """Apply for a higher class."""
    member = _me()
    form = _upgrade_form(member)
    if form.validate_on_submit():
        try:
            services.submit_upgrade(g.society, current_user, member, {"class_code": form.class_code.data,
                                                                      "note": form.note.data})
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Your application for a higher class has been received; the secretariat will review it."),
                  "success")
    return redirect(url_for(".profile"))


@bp.get("/profile/my-data.json")
def my_data():
    """Download everything the society holds about me (PIPL)."""
    body = json.dumps(services.my_data(_me()), ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=my-data.json", "Cache-Control": "no-store"})


@bp.route("/requests/", methods=["GET", "POST"])
def my_requests():
    """My requests and complaints, and a form for a new one."""
    member = _me()
    form = RequestForm()
    if form.validate_on_submit():
        try:
            services.file_request(g.society, current_user, member, {"subject": form.subject.data, "body": form.body.data})
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="body")
        else:
            db.session.commit()
            flash(_("Your request has been sent to the secretariat."), "success")
            return redirect(url_for(".my_requests"))
    rows = db.session.scalars(select(MemberRequest).where(MemberRequest.member_id == member.id)
                              .order_by(MemberRequest.created_at.desc())).all()
    return render_template("members/my_requests.html", rows=rows, form=form, now=utcnow())


@bp.post("/requests/<uuid:request_id>/close")
def close_request(request_id):
    """Close one of my requests."""
    member = _me()
    row = db.session.scalar(select(MemberRequest).where(MemberRequest.id == request_id,
                                                        MemberRequest.member_id == member.id))
    if row is None:
        abort(404)
    try:
        services.close_request(g.society, current_user, row)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
    return redirect(url_for(".my_requests"))


@bp.get("/certificate.pdf")
def certificate():
    """My membership certificate as a PDF with a verification QR code."""
    from society_saas.members.certificate import certificate_pdf

    member = _me()
    if not member.member_number:
        abort(404)
    return Response(certificate_pdf(g.society, member), mimetype="application/pdf",
                    headers={"Content-Disposition": "attachment; filename=certificate.pdf"})
