"""`society-saas soak`: gunicorn on loopback, bounded mixed traffic from locust, latency and worker memory.

The command prepares the soak accounts (soak_setup), starts gunicorn on 127.0.0.1 against the
configured database, samples the workers' resident memory every few seconds with psutil, runs
locust headless in its own process for the given duration at a bounded rate, then stops both and
summarises every request (soak_report). Nothing is sent anywhere but 127.0.0.1.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

USERS = {"public": 8, "member": 6, "staff": 4, "console": 2, "signup": 1}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz in time")


class MemorySampler(threading.Thread):
    """Every `every` seconds, the resident memory (MB) of each gunicorn worker, until stopped."""

    def __init__(self, master_pid: int, every: float = 5.0):
        super().__init__(daemon=True)
        import psutil

        self.master = psutil.Process(master_pid)
        self.every, self.samples, self.t0 = every, [], time.monotonic()
        self._stop_event = threading.Event()

    def snapshot(self) -> dict:
        """{pid: rss MB} of the workers now."""
        out = {}
        for child in self.master.children():
            try:
                out[child.pid] = round(child.memory_info().rss / 2**20, 1)
            except Exception:  # a worker that just exited: gone from the next sample
                continue
        return out

    def run(self):
        while not self._stop_event.is_set():
            self.samples.append((round(time.monotonic() - self.t0, 1), self.snapshot()))
            self._stop_event.wait(self.every)

    def stop(self):
        """Take a last sample and stop."""
        self._stop_event.set()
        self.join(timeout=10)
        self.samples.append((round(time.monotonic() - self.t0, 1), self.snapshot()))


def start_gunicorn(port: int, workers: int, threads: int, log_path: Path) -> subprocess.Popen:
    """gunicorn serving create_app() on 127.0.0.1:port with the current environment's database."""
    env = dict(os.environ)
    # Every locust user logs in from 127.0.0.1: the per-address login limit would throttle the load
    # itself, so the soak server allows more (the limit has its own tests in the security suite).
    env["LOGIN_RATE_LIMIT"] = env.get("SOAK_LOGIN_RATE_LIMIT", "10000 per minute")
    env.setdefault("JOBS_RUN_INLINE", "1")
    env["GUNICORN_MAX_REQUESTS"] = "0"  # no recycling: a leak must show in the workers' memory, not be reset
    # the deployment's settings and hooks (deploy/gunicorn.conf.py), with the bind and sizes given here
    config = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(config), "--workers", str(workers), "--threads", str(threads),
           "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "20",
           # longer than a user's pause between requests: a connection closed by the server just as the
           # client reuses it is reset (the keep-alive race), which a proxy in front would also avoid
           "--keep-alive", "30",
           "--log-level", "warning", "society_saas:create_app()"]
    log = open(log_path, "w", encoding="utf-8")
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def run_locust(host: str, duration: int, users: dict, rate: float, plan_path: Path, samples_path: Path,
               log_path: Path) -> int:
    """locust headless for `duration` seconds; the paced faces send `rate` requests a second on average."""
    total = sum(users.values())
    paced = sum(v for k, v in users.items() if k != "signup") or 1  # the newcomer has its own, slow pace
    env = {**os.environ, "SOAK_PLAN": str(plan_path), "SOAK_SAMPLES": str(samples_path),
           "SOAK_THROUGHPUT": str(rate / paced), "SOAK_USERS": ",".join(f"{k}={v}" for k, v in users.items())}
    cmd = [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("soak_locust.py")), "--headless", "--users", str(total),
           "--spawn-rate", str(max(1, total // 5)), "--run-time", f"{duration}s", "--host", host,
           "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=duration + 120).returncode


def stop(proc: subprocess.Popen) -> int:
    """SIGTERM gunicorn (graceful: workers finish their requests) and wait for it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def run_soak(app, duration: int = 600, rate: float = 10.0, users: dict | None = None, workers: int = 2,
             threads: int = 4, warmup: float | None = None, port: int | None = None, echo=print) -> dict:
    """Prepare, serve, load, measure; return the summary (soak_report.summarise)."""
    from society_saas.perf.soak_report import summarise
    from society_saas.perf.soak_setup import prepare

    users = users or dict(USERS)
    warmup = warmup if warmup is not None else min(60.0, max(10.0, duration / 10))
    echo("preparing the soak accounts and the demo ...")
    plan = prepare(app)
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    plan_path, samples_path = work / "plan.json", work / "samples.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    port = port or free_port()
    host = f"http://127.0.0.1:{port}"
    echo(f"gunicorn: {workers} workers x {threads} threads on {host} (logs in {work})")
    server = start_gunicorn(port, workers, threads, work / "gunicorn.log")
    try:
        _wait_healthy(host, server)
        sampler = MemorySampler(server.pid)
        boot = sampler.snapshot()
        sampler.start()
        echo(f"locust: {sum(users.values())} users {users}, {rate:g} requests/s on average, {duration} s ...")
        started = time.monotonic()
        code = run_locust(host, duration, users, rate, plan_path, samples_path, work / "locust.log")
        elapsed = time.monotonic() - started
        sampler.stop()
        workers_after = sampler.snapshot()
    finally:
        exit_code = stop(server)
    if not samples_path.exists():
        raise RuntimeError(f"locust wrote no samples (exit {code}); see {work / 'locust.log'}")
    data = json.loads(samples_path.read_text(encoding="utf-8"))
    summary = summarise(data["samples"], sampler.samples, boot, warmup=warmup, elapsed=elapsed)
    summary["setup"] = {"duration_s": duration, "rate_limit_rps": rate, "users": users, "workers": workers,
                        "threads": threads, "warmup_s": warmup, "societies": plan["societies"],
                        "staff_society_members": plan["staff"]["members"], "locust_exit": code,
                        "gunicorn_exit": exit_code, "workers_alive_at_end": len(workers_after),
                        "database": app.config["DATABASE_URL"].split("://")[0]}
    summary["gunicorn_log_tail"] = (work / "gunicorn.log").read_text(encoding="utf-8", errors="replace")[-2000:]
    return summary
