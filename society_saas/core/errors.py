"""Domain errors and the friendly error pages (HTML for pages, JSON for the API)."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden, HTTPException, NotFound


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

    @app.errorhandler(NotFoundError)
    def _not_found(exc):
        return _http_error(NotFound(exc.message))

    @app.errorhandler(PermissionDenied)
    def _denied(exc):
        return _http_error(Forbidden(exc.message))

    @app.errorhandler(Exception)
    def _crash(exc):
        app.logger.exception("unhandled error")
        if _wants_json():
            return jsonify(code=500, message=_("Internal error; it has been logged."), errors={}), 500
        return render_template("errors/500.html"), 500

