"""Test fixtures: a migrated database per test on SQLite (default) or PostgreSQL (--db=postgres)."""
import contextvars
import os
import re
import shutil
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from society_saas import create_app
from society_saas.core.migrate import upgrade
from society_saas.tenancy.rls import cross_role, cross_role_setup_statements

# Browser fixtures live in one plugin so the whole session shares a single chromium; mail fixtures beside.
pytest_plugins = ["tests.browser_support", "tests.mail_support"]

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
OWNER_ROLE, APP_ROLE = "society_test_owner", "society_test_app"


def pytest_addoption(parser):
    parser.addoption("--db", default=os.environ.get("TEST_DB", "sqlite"), choices=("sqlite", "postgres"),
                     help="database the suite runs on")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--db") != "postgres":
        skip = pytest.mark.skip(reason="needs --db=postgres")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def _pg_url(role: str, database: str) -> str:
    return str(make_url(PG_ADMIN_URL).set(username=role, password=None, database=database).render_as_string(hide_password=False))


@pytest.fixture(scope="session")
def db_backend(request, tmp_path_factory):
    """Create and migrate the test database once; yield its URLs and a function that empties it."""
    if request.config.getoption("--db") == "sqlite":
        template = tmp_path_factory.mktemp("db") / "template.db"
        upgrade(f"sqlite:///{template}")
        yield {"kind": "sqlite", "template": template}
        return
    # one database per test process, so parallel runs never share one
    dbname = f"society_saas_test_{os.getpid()}"
    # pre-ping: these engines outlive a server restart (tests/reliability restarts it on request)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        for role, extra in ((OWNER_ROLE, "CREATEDB"), (APP_ROLE, "NOBYPASSRLS")):
            if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
                conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER {extra}"))
        if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": cross_role(APP_ROLE)}):
            for statement in cross_role_setup_statements(APP_ROLE):
                conn.execute(text(statement))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{dbname}" OWNER {OWNER_ROLE}'))
    owner_url, app_url = _pg_url(OWNER_ROLE, dbname), _pg_url(APP_ROLE, dbname)
    upgrade(app_url, owner_url)
    superuser = create_engine(_pg_url(make_url(PG_ADMIN_URL).username, dbname), pool_pre_ping=True)
    yield {"kind": "postgres", "app_url": app_url, "owner_url": owner_url, "superuser": superuser}
    superuser.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(engine) -> None:
    from society_saas.core.db import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        # replica mode switches off the append-only triggers for the test clean-up only.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, as a server would: the test's own app context
    (and its `g`) is never shared with the request."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(db_backend, tmp_path):
    """A fresh application on an empty, migrated database."""
    overrides = {"TESTING": True, "SECRET_KEY": "test-secret", "MAIL_BACKEND": "console",
                 "RATELIMIT_ENABLED": True, "SERVER_NAME": None}
    if db_backend["kind"] == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(db_backend["template"], path)
        overrides["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        _empty_postgres(db_backend["superuser"])
        overrides["DATABASE_URL"] = db_backend["app_url"]
        overrides["DATABASE_OWNER_URL"] = db_backend["owner_url"]
    application = create_app(overrides)
    application.test_client_class = IsolatedClient
    from society_saas.extensions import limiter

    limiter.reset()
    yield application
    from society_saas.extensions import db

    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """The scoped session inside an app context."""
    from society_saas.extensions import db

    with app.app_context():
        yield db.session


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """GET a page and return the CSRF token of its first form."""
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no csrf token on {url} ({page.status_code})"
    return match.group(1)


def post_form(client, url: str, data: dict, page: str | None = None, **kw):
    """POST a form with the CSRF token taken from the page that shows it."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page or url)}, **kw)


def login(client, identifier: str, password: str = "demo1234"):
    """Log a test client in through the real form."""
    response = post_form(client, "/login", {"identifier": identifier, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
