"""The demo: migrate, provision the three societies and the demo accounts, idempotently."""
from click.testing import CliRunner
from sqlalchemy import select

from society_saas.cli import main
from society_saas.tenancy.models import Society
from tests.conftest import login


def test_demo_prepares_societies_and_logins(app, client, session, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    if app.config.get("DATABASE_OWNER_URL"):
        monkeypatch.setenv("DATABASE_OWNER_URL", app.config["DATABASE_OWNER_URL"])
    for _ in range(2):  # a second run changes nothing and does not fail
        result = CliRunner().invoke(main, ["demo", "--no-serve"])
        assert result.exit_code == 0, result.output
    assert "admin@kx.demo" in result.output and "secretary@cs.demo" in result.output
    slugs = set(session.scalars(select(Society.slug)))
    assert slugs == {"cs", "med", "agri"}
    login(client, "secretary@cs.demo")
    assert client.get("/s/cs/admin/").status_code == 200
    assert client.get("/s/med/admin/").status_code == 403
    login(client, "admin@kx.demo")
    page = client.get("/association/").get_data(as_text=True)
    assert "示例市医学会" in page and "示例市农学会" in page
    login(client, "member@agri.demo")
    assert client.get("/s/agri/me/").status_code == 200
    assert client.get("/s/agri/admin/").status_code == 403


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
