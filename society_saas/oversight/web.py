"""Blueprints under /association/: every route needs an association role."""
from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from society_saas.core.permissions import can


def association_blueprint(name: str, import_name: str, sub: str = "") -> Blueprint:
    """A console blueprint; anonymous users are sent to log in, others need an association role."""
    bp = Blueprint(name, import_name, url_prefix="/association" + sub)

    @bp.before_request
    def _guard():
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        if not can(current_user, "association.view"):
            abort(403)
        return None

    return bp
