"""The member portal: my profile and my membership."""
from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.forms import ProfileForm
from society_saas.members.services.lifecycle import status_label
from society_saas.tenancy.web import society_blueprint

bp = society_blueprint("member_portal", __name__, "portal", "/profile")


@bp.route("/", methods=["GET", "POST"])
def profile():
    """My record in this society; I can keep my contact and work details current."""
    member = services.member_for_user(current_user)
    form = ProfileForm(obj=member)
    if member is not None and form.validate_on_submit():
        try:
            services.update_member(g.society, current_user, member, {k: getattr(form, k).data for k in
                                                                     ("mobile", "email", "work_unit", "professional_title",
                                                                      "education", "discipline", "region")})
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="mobile")
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for(".profile"))
    return render_template("members/profile.html", member=member, form=form, status_label=status_label)
