"""Browser fixtures (a live server on loopback, Debian's chromium via Playwright, screenshots as artifacts).

A browser test that fails leaves `<test id>.png` and `<test id>.html` of its page under artifacts/failures/.
"""
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("ARTIFACT_DIR", Path(__file__).resolve().parents[2] / "artifacts"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ARTIFACTS / "screenshots"))
FAILURES = ARTIFACTS / "failures"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell in teardown whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _failed(item) -> bool:
    return any(getattr(getattr(item, f"report_{when}", None), "failed", False) for when in ("setup", "call"))


def save_failure(page, test_id: str) -> list[Path]:
    """Save a full-page screenshot and the HTML of the page a failed test left behind."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.\-\[\]]+", "_", test_id).strip("_")
    saved = []
    try:
        png = FAILURES / f"{stem}.png"
        page.screenshot(path=str(png), full_page=True, timeout=10_000)
        saved.append(png)
    except Exception as exc:  # a crashed page still gets its HTML saved, if it can
        print(f"no failure screenshot for {test_id}: {exc}")
    try:
        html = FAILURES / f"{stem}.html"
        html.write_text(f"<!-- {page.url} -->\n" + page.content(), encoding="utf-8")
        saved.append(html)
    except Exception as exc:
        print(f"no failure HTML for {test_id}: {exc}")
    return saved


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    """A fresh page at desktop or phone width; if the test fails, its last page is saved under artifacts/failures/."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN")
    tab = context.new_page()
    tab.viewport_name = request.param
    yield tab
    if _failed(request.node):
        for path in save_failure(tab, request.node.nodeid):
            print(f"saved {path}")
    context.close()


@pytest.fixture(scope="session")
def demo_snapshot(db_backend, tmp_path_factory):
    """Where the demo built once for the session is kept: a SQLite file, or a PostgreSQL template database.

    Building the demo takes many seconds; each journey gets a fresh copy of it instead.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    folder = tmp_path_factory.mktemp("demo")
    snapshot = {"uploads": folder / "uploads", "built": False, "kind": db_backend["kind"]}
    if db_backend["kind"] == "sqlite":
        snapshot["file"] = folder / "demo.db"
        yield snapshot
        return
    test_db = make_url(db_backend["app_url"]).database
    snapshot["template"] = f"{test_db}_demo"
    snapshot["owner"] = make_url(db_backend["owner_url"]).username
    snapshot["test_db"] = test_db
    snapshot["admin"] = create_engine(db_backend["superuser"].url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    yield snapshot
    with snapshot["admin"].connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{snapshot["template"]}" WITH (FORCE)'))
    snapshot["admin"].dispose()


def _sqlite_copy(source, target) -> None:
    """Copy a SQLite database with the backup API (the app uses WAL, so the file alone may be behind)."""
    import sqlite3

    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _copy_database(snapshot: dict, db_backend: dict, source: str, target: str, drop_target: bool) -> None:
    """CREATE DATABASE target TEMPLATE source, closing every connection to both first."""
    from sqlalchemy import text

    db_backend["superuser"].dispose()
    with snapshot["admin"].connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname IN (:a, :b) AND pid <> pg_backend_pid()"), {"a": source, "b": target})
        if drop_target:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}" OWNER {snapshot["owner"]}'))


@pytest.fixture
def demo(app, session, tmp_path, db_backend, demo_snapshot):
    """The demo societies (cs, med, agri) and their accounts in this test's fresh database (a copy of the demo
    built once per session); uploads in this test's folder."""
    import shutil

    from society_saas.demo import prepare_demo
    from society_saas.extensions import db

    uploads = tmp_path / "uploads"
    if not demo_snapshot["built"]:
        app.config["UPLOAD_DIR"] = str(demo_snapshot["uploads"])
        prepare_demo(app)
    session.remove()
    db.engine.dispose()
    if demo_snapshot["kind"] == "sqlite":
        test_file = db.engine.url.database
        if not demo_snapshot["built"]:
            _sqlite_copy(test_file, demo_snapshot["file"])
        else:
            _sqlite_copy(demo_snapshot["file"], test_file)
    elif not demo_snapshot["built"]:
        _copy_database(demo_snapshot, db_backend, demo_snapshot["test_db"], demo_snapshot["template"], drop_target=True)
    else:
        _copy_database(demo_snapshot, db_backend, demo_snapshot["template"], demo_snapshot["test_db"], drop_target=True)
    demo_snapshot["built"] = True
    if demo_snapshot["uploads"].exists():
        shutil.copytree(demo_snapshot["uploads"], uploads)
    app.config["UPLOAD_DIR"] = str(uploads)
    return {"cs": "示例市计算机学会", "med": "示例市医学会", "agri": "示例市农学会"}


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot named after the journey step and the viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, identifier: str, password: str = "demo1234") -> None:
    """Log in through the form from a clean browser, and wait until the login page is left."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.get_by_label("邮箱或手机号").fill(identifier)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def fits_width(page) -> bool:
    """True when nothing makes the page scroll sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
