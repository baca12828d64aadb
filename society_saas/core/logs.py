"""Structured logs: one JSON object per line, each with the request id of the request it belongs to.

The request id is the caller's `X-Request-ID` when it is a sane token (a proxy or another service
set it), else a fresh one; it is returned in the response's `X-Request-ID` and added to every log
record made during the request, by any logger, so one request's lines can be found together.
"""
import json
import logging
import re
import sys
import time
import traceback
import uuid

from flask import g, has_request_context, request

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
access_log = logging.getLogger("society_saas.access")


def request_id() -> str | None:
    """This request's id (made on first use), or None outside a request."""
    if not has_request_context():
        return None
    rid = g.get("request_id")
    if rid is None:
        given = request.headers.get(HEADER, "")
        rid = g.request_id = given if _SANE.match(given) else uuid.uuid4().hex
    return rid


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, request id, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
               "level": record.levelname, "logger": record.name, "message": record.getMessage(),
               "request_id": getattr(record, "request_id", None)}
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            out["exception"] = "".join(traceback.format_exception(*record.exc_info))[-8000:]
        return json.dumps(out, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners and daemons replace it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def _install_record_factory() -> None:
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.request_id = request_id()
        return record

    factory.adds_request_id = True
    logging.setLogRecordFactory(factory)


def configure(app) -> None:
    """Send every log record to stderr (JSON lines unless LOG_FORMAT=text) at LOG_LEVEL; idempotent."""
    from flask.logging import default_handler

    _install_record_factory()
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        root.addHandler(handler)
    if app.config.get("LOG_FORMAT", "json") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.removeHandler(default_handler)  # the root handler above speaks for the app too


def init_app(app) -> None:
    """Configure logging, give every request an id (returned in X-Request-ID) and log one access line per request."""
    configure(app)

    @app.after_request
    def _access(response):
        rid = request_id()
        response.headers[HEADER] = rid
        started = request.environ.get("society_saas.started")
        if app.config.get("ACCESS_LOG", True):
            access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "endpoint": request.endpoint, "duration_ms": round((time.perf_counter() - started) * 1000, 1)
                if started else None, "remote_addr": request.remote_addr})
        return response
