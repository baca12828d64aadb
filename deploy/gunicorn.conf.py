"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Graceful shutdown: on SIGTERM (systemd stop, a container stop, a deploy) the master stops
accepting connections and each worker finishes the requests it is serving, for up to
`graceful_timeout` seconds, before it exits; only then are unfinished requests cut off. Keep the
orchestrator's own stop timeout above it (e.g. systemd TimeoutStopSec=40, Docker --stop-timeout 40).
SIGHUP reloads the workers the same way, one by one.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))  # gthread workers: a slow request does not block the rest
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a worker silent for longer is killed and replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# recycle each worker after this many requests (with jitter, so they do not all restart at once)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = None  # the application writes one JSON access line per request, with its request id
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """With PROMETHEUS_MULTIPROC_DIR set, start from an empty folder so old workers' figures do not linger."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """Tell the Prometheus client that a worker is gone (its live gauges stop counting)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):
    """Shorten the interval at which a thread holding the GIL must let another run (5 ms by default).

    A gthread worker serves a few requests at once; one busy in Python (the console's overview of
    every society) keeps the others, back from a database round trip, waiting up to the interval for
    each of their queries: a page of ten queries could wait 50 ms that way (the convoy effect)."""
    import sys

    sys.setswitchinterval(float(os.environ.get("GUNICORN_SWITCH_INTERVAL", "0.001")))


def post_worker_init(worker):
    """Freeze what loading the application made (some 190,000 objects: the app, its models, catalogs and
    templates) out of the garbage collector's reach.

    They live as long as the worker, yet each full collection walks them all again: some 50 to 100 ms
    during which every thread of the worker waits, a stall that lands in the slowest requests."""
    import gc

    gc.freeze()
