"""Blueprints under /s/<slug>/: resolve the society from the URL, then guard the face."""
from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user

from society_saas.core.permissions import can
from society_saas.extensions import db
from society_saas.tenancy import context
from society_saas.tenancy.models import Society
from society_saas.tenancy.scoping import enter_society_by_slug, society_by_slug_statement

PREFIXES = {"public": "/s/<slug>", "admin": "/s/<slug>/admin", "portal": "/s/<slug>/me"}
FACE_ACTION = {"admin": "society.admin", "portal": "society.portal"}


def society_blueprint(name: str, import_name: str, face: str, sub: str = "", guard: str | None = None) -> Blueprint:
    """A blueprint whose routes belong to the society named in the URL; `guard` replaces the face's own
    action for a blueprint that others than the face's users may reach (each route still checks its own)."""
    bp = Blueprint(name, import_name, url_prefix=PREFIXES[face] + sub)
    bp.url_value_preprocessor(_load_society)
    bp.url_defaults(_add_slug)
    action = guard or FACE_ACTION.get(face)
    if action is not None:
        bp.before_request(lambda: _guard(action))
    return bp


def society_by_slug(slug: str) -> Society | None:
    """Look a society up by its slug (a global table, no scoping needed)."""
    return db.session.scalar(society_by_slug_statement(), {"slug": slug})


def _load_society(endpoint, values):
    society = enter_society_by_slug(db.session, values.pop("slug", "") if values else "")
    if society is None:
        abort(404)
    g.society = society
    context.set_society(society.id)


def _add_slug(endpoint, values):
    if "slug" not in values and getattr(g, "society", None) is not None:
        values["slug"] = g.society.slug


def _guard(action: str):
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if not g.society.is_active and action == "society.admin":
        abort(403, description="suspended")
    if not can(current_user, action, g.society):
        abort(403)
    return None


def require(action: str, obj=None) -> None:
    """Abort with 403 unless the current user may perform the action."""
    if not can(current_user, action, obj if obj is not None else getattr(g, "society", None)):
        abort(403)
