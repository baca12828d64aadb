"""API plumbing: the Api object, token authentication, the society/association blueprints and their rules.

Every API request: the bearer token is resolved (401 without a live one); a society route resolves
the slug and answers 404 unless the token is for that very society, then scopes the request to it
exactly as the pages do (tenancy.context.set_society, so ORM scoping and RLS apply); then the
view's declared rule is checked: a write needs a read-write token, and the token's owner must pass
`can()` for the action. A view without a declared rule is refused (fail closed).
"""
import flask_babel
from babel import Locale
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import Api, Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy.exc import IntegrityError

from society_saas.api import tokens
from society_saas.api.errors import api_language, error_body, service_error_response
from society_saas.core import audit
from society_saas.core.errors import ServiceError
from society_saas.core.permissions import can
from society_saas.extensions import csrf, db, limiter
from society_saas.tenancy import context
from society_saas.tenancy.web import society_by_slug

PREFIX = "/api/v1"


class ErrorSchema(Schema):
    """The API's error body."""

    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(required=True)


class SocietyApi(Api):
    """flask-smorest's Api, leaving error rendering to the app's handler (core/errors.py -> api/errors.py)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        # smorest would take over every HTTPException of the app, pages included
        return None


api = SocietyApi()


def rule(action: str, write: bool = False):
    """Declare the permission a view needs (checked before it runs) and whether it writes."""
    def decorate(func):
        func._api_rule = (action, write)
        return func
    return decorate


def _set_language() -> None:
    # flask-babel keeps the request's locale on its context; the API's language comes from
    # ?lang / Accept-Language, never from the session, so it is set here once per request.
    flask_babel.refresh()
    context_ns = flask_babel._get_current_context()
    if context_ns is not None:
        context_ns.babel_locale = Locale.parse(api_language())


def authenticate():
    """Resolve the bearer token of this request, make its owner the request's user, or abort 401."""
    _set_language()
    if getattr(g, "api_token", None) is not None:
        return g.api_token
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    token = tokens.resolve(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        abort(401)
    g.api_token = token
    # flask-login's current_user for this request is the token's owner, never the session's user
    g._login_user = token.user
    audit.set_actor(token.user.id, f"{token.user.email or token.user.mobile or token.user.name} (API: {token.name})")
    return token


def _load_society(endpoint, values):
    slug = (values or {}).pop("slug", "")
    token = authenticate()
    society = society_by_slug(slug)
    # another society's slug looks exactly like one that does not exist
    if society is None or token.for_society_id != society.id:
        abort(404)
    g.society = society
    context.set_society(society.id)


def _load_association(endpoint, values):
    token = authenticate()
    if token.for_society_id is not None:
        abort(404)
    g.society = None


def _check_rule():
    view = current_app.view_functions.get(request.endpoint)
    declared = getattr(view, "_api_rule", None)
    if declared is None:
        abort(403)
    action, write = declared
    # whatever a view declares, a method that can change something needs a read-write token
    write = write or request.method not in ("GET", "HEAD", "OPTIONS")
    token = g.api_token
    if write and not token.writable:
        abort(403, message=_("This token is read-only."))
    society = getattr(g, "society", None)
    if write and society is not None and not society.is_active:
        abort(403, message=_("The society is suspended."))
    if not can(token.user, action, society):
        abort(403)


def _refused(exc: ServiceError):
    # nothing of a refused request is kept
    db.session.rollback()
    return service_error_response(exc)


def _conflict(exc: IntegrityError):
    # a concurrent request took the same unique value (a number, an ID card) first
    db.session.rollback()
    return error_body(409)


def _rate_key() -> str:
    token = getattr(g, "api_token", None)
    return f"token:{token.id}" if token is not None else f"ip:{get_remote_address()}"


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "600 per minute")


_shared_limit = None


def _prepare(bp: Blueprint) -> Blueprint:
    global _shared_limit
    bp.before_request(_check_rule)
    bp.register_error_handler(ServiceError, _refused)
    bp.register_error_handler(IntegrityError, _conflict)
    csrf.exempt(bp)  # token-authenticated: no cookie, so no cross-site request to forge
    if _shared_limit is None:
        _shared_limit = limiter.shared_limit(_rate_limit, scope="api", key_func=_rate_key)
    _shared_limit(bp)
    return bp


def society_blueprint(name: str, import_name: str, sub: str, description: str) -> Blueprint:
    """An API blueprint under /api/v1/societies/<slug><sub>, scoped to the token's society."""
    bp = Blueprint(name, import_name, url_prefix=f"{PREFIX}/societies/<slug>{sub}", description=description)
    bp.url_value_preprocessor(_load_society)
    return _prepare(bp)


def association_blueprint(name: str, import_name: str, sub: str, description: str) -> Blueprint:
    """An API blueprint under /api/v1/association<sub>, for association tokens only."""
    bp = Blueprint(name, import_name, url_prefix=f"{PREFIX}/association{sub}", description=description)
    bp.url_value_preprocessor(_load_association)
    return _prepare(bp)


def page_of(query, args) -> dict:
    """One page of a select as the API's list body: items, total, page, per_page, pages (stable order given)."""
    from society_saas.core.pagination import paginate

    page = paginate(query, args["page"], args["per_page"])
    return {"items": page.items, "total": page.total, "page": page.number, "per_page": page.per_page,
            "pages": page.pages}
