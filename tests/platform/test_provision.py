"""Provisioning a society from a tenants/ file: every error listed by field, nothing written."""
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from society_saas.cli import main
from society_saas.tenancy.models import Society

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
BAD = """
[society]
slug = "Bad Slug"
name = ""
kind = "club"
colour = "red"
contact_email = "not-an-email"

[charter]
term_max_years = 9
quorum = "3/2"

[[member_classes]]
code = "student"
name_zh = "学生会员"
name_en = "Student member"
annual_dues_fen = 50.5

[[member_classes]]
code = "student"
name_en = "Again"
annual_dues_fen = -1
"""


def _count(session):
    return session.scalar(select(func.count()).select_from(Society))



def test_provision_demo_file(app, session, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(main, ["tenants", "provision", str(TENANTS / "cs.toml")])
    assert result.exit_code == 0, result.output
    society = session.scalar(select(Society).where(Society.slug == "cs"))
    assert society.name == "示例市计算机学会"
    assert [c["code"] for c in society.settings["member_classes"]] == ["student", "member", "senior", "fellow", "institutional"]


def test_bad_file_lists_every_error_and_writes_nothing(app, session, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["tenants", "provision", str(bad)])
    assert result.exit_code == 1
    for field in ("society.slug", "society.name", "society.short_name", "society.kind", "society.colour",
                  "society.contact_email", "charter.term_max_years", "charter.quorum",
                  "member_classes[0].annual_dues_fen", "member_classes[1].code", "member_classes[1].name_zh",
                  "member_classes[1].annual_dues_fen"):
        assert field in result.output, field
    assert _count(session) == 0


def test_duplicate_slug_is_refused_clearly(app, session, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    assert CliRunner().invoke(main, ["tenants", "provision", str(TENANTS / "cs.toml")]).exit_code == 0
    result = CliRunner().invoke(main, ["tenants", "provision", str(TENANTS / "cs.toml")])
    assert result.exit_code == 1
    assert "society.slug" in result.output and "already used" in result.output
    assert _count(session) == 1


def test_broken_toml_is_reported(app, session, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    bad = tmp_path / "broken.toml"
    bad.write_text("[society\nslug=", encoding="utf-8")
    result = CliRunner().invoke(main, ["tenants", "provision", str(bad)])
    assert result.exit_code == 1 and "file:" in result.output
    assert _count(session) == 0
