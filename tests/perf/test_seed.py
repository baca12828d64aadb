"""`society-saas seed`: generated data loads, and every generated decision chain verifies."""
from click.testing import CliRunner
from sqlalchemy import func, select

from society_saas.cli import main
from society_saas.members.models import Member
from society_saas.members.services.records import resident_id_ok
from society_saas.perf import names
from society_saas.tenancy.context import cross_society
from society_saas.tenancy.models import Society


def _env(app, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    if app.config.get("DATABASE_OWNER_URL"):
        monkeypatch.setenv("DATABASE_OWNER_URL", app.config["DATABASE_OWNER_URL"])


def test_sizes_are_skewed_with_one_big_society():
    sizes = names.society_sizes(300, 150_000)
    assert len(sizes) == 300 and sum(sizes) == 150_000
    assert sizes[0] == 20_000 and sizes[1] > 10 * sizes[-1] >= 50
    assert sum(names.society_sizes(6, 1_500)) == 1_500


def test_generated_id_numbers_are_valid():
    import random
    from datetime import date

    rng = random.Random(1)
    assert all(resident_id_ok(names.resident_id(rng, date(1980, 5, 17), k, k % 2 == 0)) for k in range(200))


def test_seed_small_then_decisions_verify(app, session, monkeypatch):
    _env(app, monkeypatch)
    result = CliRunner().invoke(main, ["seed", "--preset", "small"])
    assert result.exit_code == 0, result.output
    assert "member" in result.output and "decision_entry" in result.output and "decision_checkpoint" in result.output
    with cross_society():
        assert session.scalar(select(func.count()).select_from(Member)) == 1_500
    assert session.scalar(select(func.count()).select_from(Society)) == 6
    verify = CliRunner().invoke(main, ["decisions", "verify"])
    assert verify.exit_code == 0, verify.output
    assert verify.output.count("intact") == 6 and "BROKEN" not in verify.output
