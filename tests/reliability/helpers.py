"""Helpers of the reliability tests: tokens read from pages, and commands run in a subprocess."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONCE = re.compile(r'name="once_token"[^>]*value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="([^"]*)"')


def tokens(client, url: str) -> dict:
    """The CSRF token and the one-time form token of the page's form (each must be present)."""
    page = client.get(url).get_data(as_text=True)
    csrf, once = CSRF.search(page), ONCE.search(page)
    assert csrf and once, f"no csrf/once token on {url}"
    return {"csrf_token": csrf.group(1), "once_token": once.group(1)}


def env_for(app, **extra) -> dict:
    """The environment of a subprocess that works on the test's own database."""
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": app.config["SECRET_KEY"],
           "SOCIETY_SAAS_INSTANCE": app.instance_path, "MAIL_BACKEND": "console", "PYTHONUNBUFFERED": "1"}
    if app.config.get("DATABASE_OWNER_URL"):
        env["DATABASE_OWNER_URL"] = app.config["DATABASE_OWNER_URL"]
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_script(code: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a Python snippet to the end in a fresh interpreter; fail the test if it fails."""
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def start_script(code: str, env: dict) -> subprocess.Popen:
    """Start a Python snippet in a fresh interpreter (its own process group), stdout piped line by line."""
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_for_line(proc: subprocess.Popen, marker: str, timeout: float = 120) -> list[str]:
    """Read the process's output until a line contains `marker`; return the lines read."""
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                raise AssertionError(f"process ended ({proc.returncode}) before {marker!r}:\n" + "".join(lines[-40:]))
            continue
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} within {timeout}s:\n" + "".join(lines[-40:]))


def kill_hard(proc: subprocess.Popen) -> None:
    """SIGKILL the process (no clean-up of any kind runs) and reap it."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
