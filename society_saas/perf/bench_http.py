"""The bench's `portal_rps`: the logged-in member portal under gunicorn on loopback, 50 clients, no pause,
against a bare route of the same server (`/healthz`, one `SELECT 1`) under the same load; its p99 with
the same 50 clients paced to half the rate the portal reached (PACED_SHARE), arriving at random.

The portal needs a member who can log in: the bench links one member of the largest society to the
account bench-portal@bench.example (made once and kept, like the other bench accounts).
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from society_saas.perf.bench import largest_society
from society_saas.perf.bench_accounts import PASSWORD
from society_saas.perf.soak_report import percentile

EMAIL = "bench-portal@bench.example"
CLIENTS = 50
# With no pause, 50 clients queue at the server and each one's latency is 50 / throughput (Little's
# law), so the p99 is measured with the same 50 clients paced to this share of the saturated rate: a
# server kept half busy, which is loaded, not idle, and scales with the machine it runs on.
PACED_SHARE = 0.5
DURATION = {"small": 8, "city": 20, "national": 20}
# The deployment's own sizes (deploy/gunicorn.conf.py): more processes than cores, so that one worker's
# threads waiting on the GIL or on a collection do not hold up the requests its connections bring.
WORKERS, THREADS = 4, 4
WARMUP = 2.0


def _bench_member(society) -> str:
    """The bench's member login in this society (made and linked once)."""
    from society_saas.accounts.models import SocietyRoleName
    from society_saas.perf.bench_accounts import bench_account

    bench_account(society, EMAIL, "压测会员", SocietyRoleName.member)
    return EMAIL


def _login(host: str, email: str) -> str:
    """Log in through the form once; the session cookie every client then sends."""
    import re

    import requests

    s = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', s.get(host + "/login", timeout=60).text).group(1)
    r = s.post(host + "/login", data={"identifier": email, "password": PASSWORD, "csrf_token": token}, timeout=60)
    if r.status_code != 200 or "/login" in r.url:
        raise RuntimeError(f"bench member could not log in: {r.status_code} {r.url}")
    return "; ".join(f"{k}={v}" for k, v in s.cookies.items())


def _load(host: str, path: str, cookie: str, duration: int, work: Path, rate: float = 0.0) -> list:
    """CLIENTS locust clients on one path for `duration` seconds (no pause, or `rate` requests/s in all);
    the samples (t, ms, ok)."""
    samples = work / f"samples{len(list(work.glob('samples*')))}.json"
    env = {**os.environ, "BENCH_PATH": path, "BENCH_COOKIE": cookie, "BENCH_SAMPLES": str(samples),
           "BENCH_THROUGHPUT": str(rate / CLIENTS) if rate else ""}
    cmd = [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("bench_locust.py")), "--headless",
           "--users", str(CLIENTS), "--spawn-rate", str(CLIENTS), "--run-time", f"{duration}s", "--host", host,
           "--stop-timeout", "5", "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    with open(work / "locust.log", "a", encoding="utf-8") as log:
        subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=duration + 90, check=True)
    return json.loads(samples.read_text(encoding="utf-8"))


def _rate(samples: list) -> tuple[float, list[float], int]:
    """Requests a second after the warm-up, their times (ms), and the errors of the whole run."""
    steady = [(t, ms) for t, ms, ok in samples if ok and t >= WARMUP]
    errors = sum(1 for _t, _ms, ok in samples if not ok)
    if len(steady) < 2:
        return 0.0, [ms for _t, ms in steady], errors
    span = max(t for t, _ms in steady) - WARMUP
    return len(steady) / span if span > 0 else 0.0, [ms for _t, ms in steady], errors


def bench_portal(scale, repeat) -> list[dict]:
    """portal_rps: requests a second of the portal page, and its p99, beside the bare route's rate."""
    from society_saas.perf.soak import _wait_healthy, free_port, start_gunicorn, stop

    society, _count = largest_society()
    email = _bench_member(society)
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, WORKERS, THREADS, work / "gunicorn.log")
    try:
        _wait_healthy(host, server)
        cookie = _login(host, email)
        duration = DURATION[scale]
        base_rps, base_ms, base_errors = _rate(_load(host, "/healthz", "", duration, work))
        rps, saturated, errors = _rate(_load(host, f"/s/{society.slug}/me/", cookie, duration, work))
        paced_rps, times, paced_errors = _rate(_load(host, f"/s/{society.slug}/me/", cookie, duration, work,
                                                     rate=PACED_SHARE * rps))
    finally:
        stop(server)
    return [{"name": "portal_rps", "value": round(rps, 2), "unit": "requests/s",
             "baseline": "GET /healthz (one SELECT 1) on the same server, same load",
             "baseline_value": round(base_rps, 2), "ratio": round(rps / base_rps, 3) if base_rps else 0.0,
             "statistic": "steady-state rate", "scale": scale, "p50_ms": round(percentile(times, 50), 1),
             "p99_ms": round(percentile(times, 99), 1), "paced_rps": round(paced_rps, 2),
             "saturated_p99_ms": round(percentile(saturated, 99), 1), "baseline_p99_ms": round(percentile(base_ms, 99), 1),
             "requests": len(saturated) + len(times), "errors": errors + base_errors + paced_errors, "clients": CLIENTS,
             "duration_s": duration,
             "server": f"gunicorn {WORKERS} workers x {THREADS} threads"}]
