"""The page where a secretary-general assigns and revokes roles in the society."""
import uuid

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from society_saas.accounts import services
from society_saas.accounts.forms import ROLE_LABELS, AssignRoleForm
from society_saas.accounts.models import SocietyRoleName
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import db
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("roles", __name__, "admin", "/roles")


@bp.route("/", methods=["GET", "POST"])
def index():
    """List the society's roles and assign a new one."""
    require("society.roles.manage")
    form = AssignRoleForm()
    if form.validate_on_submit():
        user = services.find_user(form.identifier.data)
        try:
            if user is None:
                raise ServiceError(_("No account with this email or mobile number."), field="identifier")
            services.assign_society_role(g.society, current_user, user, SocietyRoleName(form.role.data))
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="identifier")
        else:
            db.session.commit()
            flash(_("The role has been assigned."), "success")
            return redirect(url_for(".index"))
    return render_template("admin/roles.html", form=form, roster=services.society_roster(g.society), labels=ROLE_LABELS)


@bp.post("/<uuid:role_id>/revoke")
def revoke(role_id: uuid.UUID):
    """Take a role away."""
    require("society.roles.manage")
    try:
        services.revoke_society_role(g.society, current_user, role_id)
    except NotFoundError:
        raise
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The role has been revoked."), "success")
    return redirect(url_for(".index"))
