"""The API's one error body, {"code", "message", "errors"}, in the requested language."""
import re

from flask import current_app, jsonify, request
from flask_babel import force_locale, gettext as _
from werkzeug.exceptions import HTTPException


def api_language() -> str:
    """?lang=, then Accept-Language, then the default (zh_CN); the session plays no part."""
    langs = list(current_app.config.get("LANGUAGES") or ("zh_CN", "en"))
    asked = request.args.get("lang")
    if asked in langs:
        return asked
    best = request.accept_languages.best_match(langs + ["zh", "zh-Hans"])
    if best in langs:
        return best
    if best in ("zh", "zh-Hans"):
        return "zh_CN"
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")


def _default_message(code: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("A valid API token is required (Authorization: Bearer <token>)."),
        403: _("This token or its owner may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        406: _("This response type is not available."),
        409: _("The request conflicts with the current data."),
        412: _("The resource has changed since you read it; read it again and retry with its new ETag."),
        413: _("The request is too large."),
        415: _("Send the body as application/json."),
        422: _("The data is not valid."),
        428: _("Send the ETag you read in an If-Match header."),
        429: _("Too many requests; slow down."),
    }.get(code, _("The request failed."))


def _field_messages() -> dict:
    # marshmallow's messages are English; the ones a client meets most are translated here
    return {
        "Missing data for required field.": _("This field is required."),
        "Unknown field.": _("Unknown field."),
        "Field may not be null.": _("This field may not be empty."),
        "Not a valid string.": _("Not a valid string."),
        "Not a valid integer.": _("Not a valid integer."),
        "Not a valid boolean.": _("Not a valid boolean."),
        "Not a valid date.": _("Not a valid date (YYYY-MM-DD)."),
        "Not a valid UUID.": _("Not a valid id."),
        "Invalid input type.": _("Invalid input type."),
        "Not a valid number.": _("Not a valid number."),
        "Not a valid datetime.": _("Not a valid date and time."),
        "Not a valid list.": _("Not a valid list."),
        "Not a valid URL.": _("Not a valid URL."),
        "Not a valid email address.": _("Not a valid email address."),
        "Invalid value.": _("Invalid value."),
        "Invalid JSON body.": _("The body is not valid JSON."),
    }


# marshmallow's validators put their limits in the message: each pattern, with its limits kept
_PATTERNS = [
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$"),
     lambda m: _("Must be between %(min)s and %(max)s.", **m)),
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+)\.$"), lambda m: _("Must be at least %(min)s.", **m)),
    (re.compile(r"^Must be less than or equal to (?P<max>\S+)\.$"), lambda m: _("Must be at most %(max)s.", **m)),
    (re.compile(r"^Must be greater than (?P<min>\S+)\.$"), lambda m: _("Must be more than %(min)s.", **m)),
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"), lambda m: _("Must be one of: %(choices)s.", **m)),
    (re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"), lambda m: _("At most %(max)s characters.", **m)),
    (re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"), lambda m: _("At least %(min)s characters.", **m)),
    (re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"),
     lambda m: _("Between %(min)s and %(max)s items or characters.", **m)),
]


def _translate_message(text: str, table: dict) -> str:
    if text in table:
        return table[text]
    for pattern, say in _PATTERNS:
        found = pattern.match(text)
        if found:
            return say(found.groupdict())
    return text


def _translate(errors, table):
    if isinstance(errors, dict):
        return {str(k): _translate(v, table) for k, v in errors.items()}
    if isinstance(errors, list):
        return [_translate(v, table) for v in errors]
    if isinstance(errors, str):
        return _translate_message(errors, table)
    return errors


def _flatten_locations(messages: dict) -> dict:
    # webargs nests errors by location ({"json": {...}, "query": {...}}); clients want fields
    out: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            out.update(fields)
        else:
            out[location] = fields
    return out


def error_body(code: int, message: str | None = None, errors: dict | None = None, headers: dict | None = None):
    """A JSON error response in the API's language."""
    with force_locale(api_language()):
        body = {"code": code, "message": message or _default_message(code),
                "errors": _translate(errors or {}, _field_messages())}
    response = jsonify(body)
    response.status_code = code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def http_error_response(exc: HTTPException):
    """Turn any HTTPException raised under /api/ into the API's error body."""
    code = exc.code or 500
    data = getattr(exc, "data", None) or {}
    errors = data.get("errors")
    if errors is None and isinstance(data.get("messages"), dict):
        errors = _flatten_locations(data["messages"])
    message = data.get("message")
    if message is None and getattr(exc, "api_message", None):
        message = exc.api_message
    headers = dict(data.get("headers") or {})
    if code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    return error_body(code, message, errors, headers)


def service_error_response(exc):
    """A domain refusal from a service: 404, 403, or 422 with the field errors."""
    from society_saas.core.errors import NotFoundError, PermissionDenied

    code = 404 if isinstance(exc, NotFoundError) else 403 if isinstance(exc, PermissionDenied) else 422
    return error_body(code, exc.message, exc.errors)
