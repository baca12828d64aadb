"""Operations: request ids in JSON logs, Prometheus metrics, SQLite backup/restore, graceful shutdown."""
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from society_saas.core.logs import JsonFormatter
from society_saas.extensions import db
from tests.factories import two_societies
from tests.reliability.helpers import ROOT, env_for

# --- request ids and structured logs ------------------------------------------------------------


@pytest.fixture
def logging_app(app):
    """The app with a page that logs through two loggers, as services and libraries do."""
    @app.get("/_test/logs")
    def _logs():
        logging.getLogger("society_saas.members").info("ledger read")
        app.logger.warning("something odd")
        return "ok"

    return app


def _lines_of(caplog, rid):
    return [r for r in caplog.records if getattr(r, "request_id", None) == rid]


def test_the_callers_request_id_is_returned_and_on_every_log_line(logging_app, caplog):
    caplog.set_level(logging.INFO)
    client = logging_app.test_client()
    response = client.get("/_test/logs", headers={"X-Request-ID": "edge-7f3a.42"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.42"
    during = [r for r in caplog.records if r.name in ("society_saas.members", "society_saas", "society_saas.access")]
    assert {r.getMessage() for r in during} == {"ledger read", "something odd", "GET /_test/logs 200"}
    assert all(r.request_id == "edge-7f3a.42" for r in during)
    lines = [json.loads(JsonFormatter().format(r)) for r in during]  # what lands in the log, one JSON object each
    assert all(line["request_id"] == "edge-7f3a.42" and line["ts"].endswith("Z") for line in lines)
    access = next(line for line in lines if line["logger"] == "society_saas.access")
    assert (access["method"], access["path"], access["status"], access["endpoint"]) == ("GET", "/_test/logs", 200, "_logs")
    assert access["duration_ms"] >= 0


def test_a_request_id_is_made_when_missing_or_unsafe(logging_app, caplog):
    caplog.set_level(logging.INFO)
    client = logging_app.test_client()
    made = client.get("/_test/logs").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made) and len(_lines_of(caplog, made)) == 3
    for bad in ("two words", "x" * 200, "inj\u2028ected"):
        rid = client.get("/_test/logs", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert rid != bad and re.fullmatch(r"[0-9a-f]{32}", rid)
    other = client.get("/_test/logs").headers["X-Request-ID"]
    assert other != made  # one id per request, never carried over


def test_an_error_is_logged_as_json_with_its_request_id_and_traceback(app, caplog):
    @app.get("/_test/boom")
    def _boom():
        raise RuntimeError("kaput")

    caplog.set_level(logging.INFO)
    response = app.test_client().get("/_test/boom", headers={"X-Request-ID": "req-boom"})
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "req-boom"
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    line = json.loads(JsonFormatter().format(error))
    assert line["request_id"] == "req-boom" and "RuntimeError: kaput" in line["exception"]


def test_logs_are_json_lines_on_stderr_of_a_real_process(app, tmp_path):
    """The configured handler, end to end: a command's stderr is JSON lines."""
    code = ("from society_saas import create_app\n"
            "app = create_app()\n"
            "c = app.test_client()\n"
            "c.get('/healthz', headers={'X-Request-ID': 'proc-1'})\n")
    done = subprocess.run([sys.executable, "-c", code], env=env_for(app), cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert any(line["request_id"] == "proc-1" and line["path"] == "/healthz" and line["status"] == 200
               for line in lines)
    assert all(line.startswith("{") for line in done.stderr.splitlines() if line.strip())


# --- Prometheus metrics -------------------------------------------------------------------------

def _value(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_and_time_requests_by_endpoint_and_status(app, client):
    before = client.get("/metrics").get_data(as_text=True)
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    ok = {"endpoint": "healthz", "method": "GET", "status": "200"}
    assert _value(text, "http_requests_total", **ok) - _value(before, "http_requests_total", **ok) == 3
    assert _value(text, "http_request_duration_seconds_count", **ok) - \
        _value(before, "http_request_duration_seconds_count", **ok) == 3
    assert _value(text, "http_request_duration_seconds_bucket", le="+Inf", **ok) >= 3
    assert _value(text, "http_requests_total", endpoint="unmatched", status="404") >= 1
    for gauge in ("db_pool_size", "db_pool_checked_out", "db_pool_checked_in", "db_pool_overflow"):
        assert re.search(rf"^{gauge}{{pid=\"\d+\"}} -?\d", text, re.M), gauge


def test_metrics_answer_only_allowed_addresses_or_the_token(app):
    client = app.test_client()
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics").status_code == 200  # this machine
    assert client.get("/metrics", environ_base=outside).status_code == 404
    from society_saas.core.metrics import _networks

    app.config["METRICS_ALLOWED_NETWORKS"] = _networks("10.0.0.0/8")
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.2.3.4"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # no longer in the list
    app.config["METRICS_TOKEN"] = "s3cret-scrape"
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer s3cret-scrape"}).status_code == 200
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer wrong"}).status_code == 404


# --- backup and restore of the embedded database -------------------------------------------------

def _dump(path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _cli(app, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "society_saas.cli", *args], env=env_for(app), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_online_backup_then_restore_gives_back_exactly_the_backed_up_database(app, session, tmp_path):
    if db.is_postgres:
        done = _cli(app, "backup", str(tmp_path / "x.db"))
        assert done.returncode == 1 and "pg_dump" in done.stderr
        return
    data = two_societies()
    society = data["a"][0]
    live = Path(db.engine.url.database)
    db.session.commit()
    before = set(_dump(live))

    stop, written = threading.Event(), []

    def writer():  # the application keeps writing during the backup
        conn = sqlite3.connect(str(live), timeout=30)
        i = 0
        while not stop.is_set():
            conn.execute("INSERT INTO form_submission (society_id, id, token, endpoint, created_at) "
                         "VALUES (?, ?, ?, 'test', '2026-01-01 00:00:00')",
                         (society.id.hex, os.urandom(16).hex(), f"t{i}"))
            conn.commit()
            written.append(i)
            i += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        target = tmp_path / "backups" / "society_saas-1.db"
        done = _cli(app, "backup", str(target))
    finally:
        stop.set()
        thread.join()
    assert done.returncode == 0, done.stderr[-2000:]
    assert "integrity ok" in done.stdout and target.is_file()
    copy = _dump(target)
    assert before <= set(copy)  # everything there before the backup began is in it
    tokens = sum(1 for line in copy if line.startswith('INSERT INTO "form_submission"'))
    assert 20 <= tokens <= len(written)  # a consistent snapshot taken while the writer ran
    assert _cli(app, "backup", str(target)).returncode == 1  # never overwrites a backup

    # the live database moves on; the restore brings back exactly the backup
    from society_saas.tenancy.models import Society

    db.session.get(Society, society.id).description = "在备份之后修改"
    db.session.commit()
    db.engine.dispose()
    after_change = _dump(live)
    refused = _cli(app, "restore", str(target))
    assert refused.returncode == 2 and _dump(live) == after_change  # --yes is required
    restored = _cli(app, "restore", str(target), "--yes")
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert _dump(live) == copy
    saved = re.search(r"previous database is in (\S+)", restored.stdout).group(1)
    assert _dump(saved) == after_change  # what was replaced is kept beside it
    assert db.session.scalar(select(Society.description).where(Society.id == society.id)) != "在备份之后修改"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(app, session, tmp_path):
    if db.is_postgres:
        pytest.skip("the embedded database only")
    two_societies()
    db.session.commit()
    db.engine.dispose()
    live = Path(db.engine.url.database)
    before = _dump(live)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    done = _cli(app, "restore", str(damaged), "--yes")
    assert done.returncode == 1 and "restore failed" in done.stderr
    assert _dump(live) == before


# --- graceful shutdown under gunicorn ------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(app, tmp_path, graceful: int):
    port = _free_port()
    mark = tmp_path / f"slow-started-{graceful}"
    env = env_for(app, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=1, GUNICORN_THREADS=2,
                  GUNICORN_GRACEFUL_TIMEOUT=graceful, SLOW_MARK=mark, SLOW_SECONDS=3)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                             "tests.reliability.slow_app:app"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as r:
                if r.status == 200:
                    return proc, base, mark
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("gunicorn did not start")


def _slow_request_during_sigterm(proc, base, mark):
    outcome = {}

    def call():
        try:
            with urllib.request.urlopen(f"{base}/_test/slow", timeout=30) as r:
                outcome["status"], outcome["body"] = r.status, r.read().decode()
        except (OSError, urllib.error.URLError) as exc:
            outcome["error"] = repr(exc)

    thread = threading.Thread(target=call)
    thread.start()
    deadline = time.monotonic() + 30
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mark.exists(), "the slow request never started"
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    with pytest.raises(OSError):  # no new connection is accepted once shutdown has begun
        urllib.request.urlopen(f"{base}/healthz", timeout=3)
    thread.join(40)
    return outcome


def test_sigterm_lets_the_request_in_flight_finish(app, session, tmp_path):
    proc, base, mark = _gunicorn(app, tmp_path, graceful=30)
    try:
        outcome = _slow_request_during_sigterm(proc, base, mark)
        assert outcome == {"status": 200, "body": "finished"}
        assert proc.wait(timeout=40) == 0  # and then it stops by itself, cleanly
    finally:
        if proc.poll() is None:
            proc.kill()


def test_without_a_grace_period_the_same_request_is_cut_off(app, session, tmp_path):
    """The control above matters: with graceful_timeout 0 the request in flight is lost."""
    proc, base, mark = _gunicorn(app, tmp_path, graceful=0)
    try:
        outcome = _slow_request_during_sigterm(proc, base, mark)
        assert "error" in outcome and "status" not in outcome
    finally:
        proc.wait(timeout=40)


def test_a_worker_freezes_what_loading_the_app_made_out_of_the_collectors_walk():
    """After the worker has loaded the app, a full collection no longer walks the app's own objects."""
    import gc
    import importlib.util

    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    from society_saas import create_app

    create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    walked_before = len(gc.get_objects())
    try:
        conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() >= walked_before > 10_000
        assert len(gc.get_objects()) < walked_before / 100
    finally:
        gc.unfreeze()


# --- the documented pg_dump / pg_restore practice -------------------------------------------------

@pytest.mark.postgres
def test_pg_dump_and_pg_restore_as_documented(app, session, tmp_path):
    """The README's practice, run: dump with a BYPASSRLS backup role (the owner's dump is refused under
    forced row-level security), check the archive, restore into a new database, same rows everywhere."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.conftest import OWNER_ROLE, PG_ADMIN_URL
    from tests.dues.helpers import dues_society

    society = two_societies()["a"][0]
    dues_society(society, members=5)
    db.session.commit()
    url = make_url(db.engine.url)
    dbname, restored = url.database, f"{url.database}_restored"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def libpq(role, database):
        return f"postgresql://{role}@{url.host}:{url.port or 5432}/{database}"

    superuser = make_url(PG_ADMIN_URL).username
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = 'society_test_backup'")):
                conn.execute(text("CREATE ROLE society_test_backup LOGIN BYPASSRLS"))
            conn.execute(text("GRANT pg_read_all_data TO society_test_backup"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'))
        archive = tmp_path / "society_saas.dump"
        as_owner = subprocess.run(["pg_dump", "--format=custom", f"--file={tmp_path / 'owner.dump'}",
                                   libpq(OWNER_ROLE, dbname)], capture_output=True, text=True, timeout=300)
        assert as_owner.returncode != 0 and "row-level security" in as_owner.stderr
        dump = subprocess.run(["pg_dump", "--format=custom", f"--file={archive}", libpq("society_test_backup", dbname)],
                              capture_output=True, text=True, timeout=300)
        assert dump.returncode == 0, dump.stderr
        assert subprocess.run(["pg_restore", "--list", str(archive)], capture_output=True, timeout=60).returncode == 0
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{restored}" OWNER {OWNER_ROLE}'))
        load = subprocess.run(["pg_restore", "--no-owner", f"--role={OWNER_ROLE}", "--single-transaction",
                               "--exit-on-error", f"--dbname={libpq(superuser, restored)}", str(archive)],
                              capture_output=True, text=True, timeout=300)
        assert load.returncode == 0, load.stderr

        def counts(database):
            engine = create_engine(make_url(PG_ADMIN_URL).set(database=database))
            try:
                with engine.connect() as conn:
                    names = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                              "ORDER BY tablename")).all()
                    rows = {n: conn.scalar(text(f'SELECT count(*) FROM "{n}"')) for n in names}
                    forced = conn.scalar(text("SELECT count(*) FROM pg_class WHERE relforcerowsecurity"))
                    return rows, forced
            finally:
                engine.dispose()

        original, copy = counts(dbname), counts(restored)
        assert original == copy and original[0]["member"] == 5 and original[1] > 0  # rows and RLS both came back
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'))
        admin.dispose()
