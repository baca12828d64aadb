"""The demo's governance data: rosters and meetings, one society near its renewal deadline and one overdue."""
from click.testing import CliRunner

from society_saas.cli import main
from tests.conftest import login


def test_demo_has_governance_and_renewal_standings(app, client, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    if app.config.get("DATABASE_OWNER_URL"):
        monkeypatch.setenv("DATABASE_OWNER_URL", app.config["DATABASE_OWNER_URL"])
    result = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    login(client, "admin@kx.demo")
    page = client.get("/association/renewals/?lang=en").get_data(as_text=True)
    rows = {line for line in page.split("<tr") if "示例市" in line}
    assert any("示例市农学会" in r and "Overdue" in r for r in rows)
    assert any("示例市医学会" in r and "Due within 180 days" in r for r in rows)
    assert any("示例市计算机学会" in r and "On time" in r for r in rows)
    login(client, "secretary@cs.demo")
    assert client.get("/s/cs/admin/governance/meetings").status_code == 200
    page = client.get("/s/cs/admin/governance/").get_data(as_text=True)
    assert "理事会" in page and "青年工作委员会" in page
    # each term's secretary-general points at the council's appointment in the decision log, and the
    # decision demo still seeded its own matters after these entries
    register = client.get("/s/cs/admin/decisions/").get_data(as_text=True)
    assert register.count("为秘书长的决定") == 2 and "年度学术会议场地" in register
