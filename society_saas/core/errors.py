"""Domain errors and the friendly error pages (HTML for pages, JSON for the API)."""
from flask import jsonify, render_template, request, session, url_for
from flask_babel import force_locale, gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden, HTTPException, NotFound, SecurityError


class ServiceError(Exception):
    """A rule of the domain refused the action; the message is shown to the user."""

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


class NotFoundError(ServiceError):
    """The object does not exist in this society."""


class PermissionDenied(ServiceError):
    """The actor may not do this."""


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app) -> None:
    """Render 4xx/5xx as friendly pages in the user's language, or as JSON for the API."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            from society_saas.api.errors import http_error_response

            return http_error_response(exc)
        if _wants_json():
            return jsonify(code=exc.code, message=exc.description or exc.name, errors={}), exc.code
        template = f"errors/{exc.code}.html" if exc.code in (400, 403, 404, 413, 429) else "errors/generic.html"
        return render_template(template, error=exc), exc.code

    @app.errorhandler(SecurityError)
    def _untrusted_host(exc):
        # TRUSTED_HOSTS refused the Host header, so no URL can be built: a plain 400, not a page with links
        return app.response_class(_("The request could not be understood"), 400, mimetype="text/plain")

    @app.errorhandler(NotFoundError)
    def _not_found(exc):
        return _http_error(NotFound(exc.message))

    @app.errorhandler(PermissionDenied)
    def _denied(exc):
        return _http_error(Forbidden(exc.message))

    @app.errorhandler(StaleDataError)
    def _stale(exc):
        # an optimistic-lock check failed: another user saved the same record in between
        _rollback()
        message = _("Someone else changed this record while you were working on it; reload it and apply your "
                    "changes again.")
        if request.path.startswith("/api/"):
            from society_saas.api.errors import error_body

            return error_body(409, message)
        if _wants_json():
            return jsonify(code=409, message=message, errors={}), 409
        return render_template("errors/409.html", message=message), 409

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(exc):
        # the database is down or restarting: a clean, retryable answer; the pool reconnects later
        app.logger.warning("database unavailable: %s", str(exc).splitlines()[0][:300])
        _rollback()
        language = _safe_language(app)
        with force_locale(language):
            message = _("The service is briefly unavailable; please try again in a moment.")
            if request.path.startswith("/api/") or _wants_json():
                response = jsonify(code=503, message=message, errors={})
            else:
                # rendered without the context processors and base.html, which would load the
                # account and the menu from the database again
                page = app.jinja_env.get_template("errors/503.html").render(
                    message=message, language=language, request=request, url_for=url_for)
                response = app.make_response(page)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _crash(exc):
        app.logger.exception("unhandled error")
        # a failed flush leaves the session unusable; the page's menu and account need it again
        _rollback()
        if _wants_json():
            return jsonify(code=500, message=_("Internal error; it has been logged."), errors={}), 500
        return render_template("errors/500.html"), 500



def _rollback() -> None:
    from society_saas.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the session is discarded at teardown anyway
        db.session.invalidate()


def _safe_language(app) -> str:
    """The request's language without touching the database (no account lookup)."""
    langs = app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), session.get("lang")):
        if candidate in langs:
            return candidate
    return app.config["BABEL_DEFAULT_LOCALE"]
