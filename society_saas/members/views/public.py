"""The public application page and the applicant's status page."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from society_saas.accounts import services as accounts
from society_saas.core import once, storage
from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.core.i18n import current_language
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.forms import ApplicationForm, ReasonForm
from society_saas.members.models import MemberApplication
from society_saas.tenancy.web import society_blueprint

bp = society_blueprint("apply", __name__, "public", "/apply")


def _class_choices():
    language, choices = current_language(), []
    for c in services.list_classes():
        if c.elected:
            continue
        if services.open_to_newcomers(c):
            choices.append((c.code, c.label(language)))
        else:
            # shown but not selectable, so a newcomer learns how the class is reached; a forced post meets the
            # service's refusal on the field
            label = _("%(cls)s (after %(n)d years of membership, apply from My profile)", cls=c.label(language),
                      n=c.min_years)
            choices.append((c.code, label, {"disabled": True}))
    return choices


def _applicant(form: ApplicationForm):
    """The signed-in person, or a new account made from the form (an existing one must log in first)."""
    if current_user.is_authenticated:
        return current_user
    for ident in (form.email.data, form.mobile.data):
        if ident and accounts.find_user(ident):
            raise ServiceError(_("An account with this email or mobile number exists: log in first, then apply."),
                               field="email")
    if not form.email.data and not form.mobile.data:
        raise ServiceError(_("Give a mobile number or an email address."), field="mobile")
    return accounts.register_user(form.name.data, form.password.data or "", email=form.email.data,
                                  mobile=form.mobile.data)


def _standing():
    """(why the signed-in person may not apply, where to go instead, the ended record an application renews)."""
    if not current_user.is_authenticated:
        return None, [], None
    try:
        return None, [], services.check_may_join(current_user)
    except ServiceError as exc:
        return exc.message, _refusal_links(exc), None


def _refusal_links(exc: ServiceError) -> list:
    if exc.field == "status":  # an open application to join
        return [(url_for(".status"), _("My applications"))]
    return [(url_for("member_portal.profile"), _("My profile")), (url_for("my_dues.index"), _("My dues"))]


def _start_from(form: ApplicationForm, record) -> None:
    """Fill an empty form from the account, and from the ended membership it would renew."""
    for key in ("name", "email", "mobile"):
        getattr(form, key).data = getattr(form, key).data or getattr(current_user, key)
    if record is not None:
        for key in ("name", "gender", "birth_date", "mobile", "email", "work_unit", "professional_title", "education",
                    "discipline", "region", "nationality", "senior_title", "front_line"):
            value = getattr(record, key)
            if value not in (None, ""):
                getattr(form, key).data = value


@bp.route("/", methods=["GET", "POST"])
def apply():
    """Apply to join the society, with an optional attachment; an account is created or linked (members are sent on)."""
    refusal, links, ended = _standing()
    if refusal:
        if request.method == "POST" and once.already_used(g.society):
            return once.repeated(url_for(".status"))  # the same page sent twice: the first one was received
        # nothing to fill in: the form would only be refused after it was typed
        return render_template("members/apply.html", form=None, society=g.society, refusal=refusal, links=links)
    form = ApplicationForm()
    form.class_code.choices = _class_choices()
    if request.method == "GET" and current_user.is_authenticated:
        _start_from(form, ended)
    if form.validate_on_submit():
        try:
            once.claim(g.society)
        except once.AlreadySubmitted:
            return once.repeated(url_for(".status"))
        try:
            user = _applicant(form)
            data = {**form.person_data(), "class_code": form.class_code.data, "attachments": []}
            upload = form.attachment.data
            if upload and getattr(upload, "filename", ""):
                data["attachments"].append(storage.save(g.society.id, upload.stream, upload.filename))
            services.submit_application(g.society, user, data)
        except ServiceError as exc:
            db.session.rollback()
            if exc.field in ("member_id", "status"):  # became a member or applied meanwhile (another tab)
                return render_template("members/apply.html", form=None, society=g.society, refusal=exc.message,
                                       links=_refusal_links(exc))
            apply_service_error(form, exc, default_field="name")
        else:
            if not current_user.is_authenticated:
                login_user(accounts.start_session(user))
            db.session.commit()
            flash(_("Your application has been received."), "success")
            return redirect(url_for(".status"))
    return render_template("members/apply.html", form=form, society=g.society, ended=ended)


@bp.get("/status")
def status():
    """The applicant's own applications and where each stands."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    rows = db.session.scalars(select(MemberApplication).where(MemberApplication.applicant_user_id == current_user.id)
                              .order_by(MemberApplication.submitted_at.desc())).all()
    return render_template("members/apply_status.html", applications=rows, society=g.society, form=ReasonForm())


@bp.post("/status/<uuid:application_id>/answer")
def answer(application_id):
    """Answer the secretariat's request for more information."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    row = db.session.scalar(select(MemberApplication).where(MemberApplication.id == application_id,
                                                            MemberApplication.applicant_user_id == current_user.id))
    if row is None:
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            attachments = []
            upload = request.files.get("attachment")
            if upload and upload.filename:
                attachments.append(storage.save(g.society.id, upload.stream, upload.filename))
            services.resubmit(g.society, current_user, row, {"answer": form.reason.data, "attachments": attachments})
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Your answer has been sent."), "success")
    return redirect(url_for(".status"))

