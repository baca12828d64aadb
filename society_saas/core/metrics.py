"""Prometheus metrics at /metrics: request latency and count by endpoint and status, and the database pool.

/metrics answers only to the addresses in METRICS_ALLOWED_IPS (default: this machine) or to a
`Authorization: Bearer <METRICS_TOKEN>` when that is set; anyone else gets 404, as if it did not exist.
Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (an empty folder) so that the
workers' figures are added up (see deploy/gunicorn.conf.py).
"""
import hmac
import ipaddress
import os
import time

from flask import Response, abort, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

# one registry for the process: the metrics outlive any one app object (tests build many)
REGISTRY = CollectorRegistry(auto_describe=True)
LATENCY = Histogram("http_request_duration_seconds", "Time to answer a request, by endpoint, method and status.",
                    ("endpoint", "method", "status"), registry=REGISTRY,
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
REQUESTS = Counter("http_requests_total", "Requests answered, by endpoint, method and status.",
                   ("endpoint", "method", "status"), registry=REGISTRY)


class PoolCollector:
    """The SQLAlchemy connection pool of this process, read at scrape time."""

    def collect(self):
        """Gauges of the pool's size, connections in use, idle and overflow."""
        from society_saas.extensions import db

        pool = getattr(db.engine, "pool", None)
        values = {}
        for name, attr in (("size", "size"), ("checked_out", "checkedout"), ("checked_in", "checkedin"),
                           ("overflow", "overflow")):
            fn = getattr(pool, attr, None)
            if callable(fn):
                values[name] = fn()
        for name, value in values.items():
            gauge = GaugeMetricFamily(f"db_pool_{name}", f"Database connection pool: {name.replace('_', ' ')}.",
                                      labels=["pid"])
            gauge.add_metric([str(os.getpid())], value)
            yield gauge


REGISTRY.register(PoolCollector())


class _StartClock:
    """WSGI middleware: note when the request arrived, before Flask does anything."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        environ["society_saas.started"] = time.perf_counter()
        return self.wsgi_app(environ, start_response)


def _allowed(app) -> bool:
    token = app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        addr = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(addr in net for net in app.config["METRICS_ALLOWED_NETWORKS"])


def _networks(text: str) -> list:
    return [ipaddress.ip_network(part.strip(), strict=False) for part in (text or "").split(",") if part.strip()]


def _registry():
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(PoolCollector())
    return registry


def init_app(app) -> None:
    """Time every request, and serve /metrics to the allowed addresses only."""
    app.config["METRICS_ALLOWED_NETWORKS"] = _networks(app.config.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1"))
    app.wsgi_app = _StartClock(app.wsgi_app)

    @app.after_request
    def _observe(response):
        started = request.environ.get("society_saas.started")
        labels = (request.endpoint or "unmatched", request.method, str(response.status_code))
        REQUESTS.labels(*labels).inc()
        if started is not None:
            LATENCY.labels(*labels).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics")
    def metrics():
        """Prometheus metrics (allowed addresses or the metrics token only; 404 for anyone else)."""
        if not _allowed(app):
            abort(404)
        return Response(generate_latest(_registry()), mimetype=CONTENT_TYPE_LATEST)
