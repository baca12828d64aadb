"""The database going away while requests are served: clean 503s during the outage, then recovery."""
import os
import subprocess
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from society_saas.extensions import db
from tests.api.helpers import make_token
from tests.conftest import APP_ROLE, PG_ADMIN_URL, login
from tests.factories import two_societies

PAGE, API, HEALTH = "/s/a/admin/?lang=en", "/api/v1/societies/a/members", "/healthz"


@pytest.fixture
def served(app, client, session):
    """Society a; the client is logged in as its secretary-general; an API token of the same person."""
    society, people = two_societies()["a"]
    with app.test_request_context("/"):
        secret = make_token(people["sec"], society=society, scope="read")
    login(client, people["sec"].email)
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get(PAGE).status_code == 200 and client.get(API, headers=auth).status_code == 200
    return client, auth


def _assert_clean_503(client, auth):
    page = client.get(PAGE)
    text_ = page.get_data(as_text=True)
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "briefly unavailable" in text_ and "Traceback" not in text_ and "psycopg" not in text_
    api = client.get(API, headers=auth)
    assert api.status_code == 503 and api.is_json and api.get_json()["code"] == 503
    assert client.get(HEALTH).status_code == 503


def test_an_unreachable_database_answers_503_then_recovers(app, served):
    """Works on both databases: the engine is pointed at a database that cannot be opened, then back."""
    client, auth = served
    good = db.engine
    url = make_url(good.url)
    if url.get_backend_name() == "sqlite":
        bad_url = "sqlite:////nonexistent-folder/for/society_saas.db"
    else:
        bad_url = url.set(port=1).render_as_string(hide_password=False)  # nothing listens on port 1
    from society_saas.core.db import make_engine

    bad = make_engine(bad_url)
    try:
        db.session.remove()
        db.session.session_factory.configure(bind=bad)
        db.engine = bad
        _assert_clean_503(client, auth)
    finally:
        db.session.remove()
        db.session.session_factory.configure(bind=good)
        db.engine = good
        bad.dispose()
    assert client.get(PAGE).status_code == 200 and client.get(API, headers=auth).status_code == 200


def _admin():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _terminate_app_backends(admin, dbname: str) -> int:
    with admin.connect() as conn:
        return len(conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = :d AND usename = :u"), {"d": dbname, "u": APP_ROLE}).all())


@pytest.mark.postgres
def test_pool_recovers_after_its_connections_are_killed(app, served):
    """Every pooled connection of the app is terminated by the server (as in a restart or failover):
    the next requests succeed at once, because the pool checks a connection before handing it out."""
    client, auth = served
    admin = _admin()
    try:
        assert _terminate_app_backends(admin, make_url(db.engine.url).database) >= 1
    finally:
        admin.dispose()
    assert client.get(PAGE).status_code == 200
    assert client.get(API, headers=auth).status_code == 200
    assert client.get(HEALTH).get_json() == {"status": "ok"}


@pytest.mark.postgres
def test_requests_during_an_outage_fail_cleanly_then_succeed(app, served):
    """The test database refuses connections and its sessions are killed (an outage of this database
    only, so other test runs on the server are not disturbed); then it comes back."""
    client, auth = served
    dbname = make_url(db.engine.url).database
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false'))
        _terminate_app_backends(admin, dbname)
        for _ in range(2):  # the failed attempts leave nothing broken behind
            _assert_clean_503(client, auth)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    assert client.get(PAGE).status_code == 200
    assert client.get(API, headers=auth).status_code == 200
    assert client.get(HEALTH).get_json() == {"status": "ok"}


@pytest.mark.postgres
@pytest.mark.skipif(os.environ.get("RELIABILITY_PG_RESTART") != "1",
                    reason="restarts the shared PostgreSQL server; set RELIABILITY_PG_RESTART=1 to run")
def test_a_real_server_restart_while_requests_are_served(app, served):
    """`pg_ctlcluster 15 main restart` while a client keeps requesting: only 200s and clean 503s, then 200s."""
    client, auth = served
    statuses, done = [], threading.Event()

    def restart():
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True, timeout=120)
        done.set()

    worker = threading.Thread(target=restart)
    worker.start()
    while not done.is_set():
        statuses.append(client.get(PAGE).status_code)
        time.sleep(0.05)
    worker.join()
    time.sleep(1)
    after = [client.get(PAGE).status_code for _ in range(5)]
    assert set(statuses) <= {200, 503}, statuses
    assert after == [200] * 5
