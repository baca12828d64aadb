"""`society-saas bench --scale small --json`: end to end on seeded PostgreSQL, every figure sane."""
import json

import pytest
from click.testing import CliRunner

from society_saas.cli import main
from tests.perf.test_seed import _env

KEYS = {"name", "value", "unit", "baseline", "baseline_value", "ratio"}


@pytest.mark.postgres
def test_bench_small_writes_sane_figures(app, monkeypatch, tmp_path):
    _env(app, monkeypatch)
    seeded = CliRunner().invoke(main, ["seed", "--preset", "small"])
    assert seeded.exit_code == 0, seeded.output
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(main, ["bench", "--scale", "small", "--json", str(out), "--repeat", "2",
                                        "--markdown", str(tmp_path / "bench.md")])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    names = {f["name"] for f in figures}
    assert {"oversight_overview", "assessment_compute", "ledger_page_p95", "import_100k_csv", "import_100k_xlsx",
            "certificates_1000"} <= names
    for f in figures:
        assert KEYS <= set(f), f
        assert f["value"] > 0 and f["baseline"] and f["baseline_value"] > 0 and f["ratio"] > 0, f
        assert f["scale"] == "small"
    for line in ("oversight_overview", "ratio"):
        assert line in result.output
    assert "| oversight_overview |" in (tmp_path / "bench.md").read_text(encoding="utf-8")


def test_bench_refuses_sqlite(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("DATABASE_OWNER_URL", raising=False)
    result = CliRunner().invoke(main, ["bench"])
    assert result.exit_code == 2 and "PostgreSQL only" in result.output
