"""A browser test that fails leaves a screenshot and the page's HTML under the artifacts folder."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

FAILING = '''
def test_boom(page):
    page.set_content("<main><h1>出错的页面</h1></main>")
    assert False, "fails on purpose"
'''


def test_a_failed_browser_test_leaves_screenshot_and_html(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    (tmp_path / "test_fails.py").write_text(FAILING)
    artifacts = tmp_path / "artifacts"
    # a separate pytest run: its failure must not fail this one, and it gets its own chromium
    result = subprocess.run([sys.executable, "-m", "pytest", str(tmp_path / "test_fails.py"), "-p", "tests.browser_support",
                             "-p", "no:cacheprovider", "-q", "--rootdir", str(tmp_path), "-k", "desktop"],
                            cwd=ROOT, env={**os.environ, "ARTIFACT_DIR": str(artifacts)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    saved = sorted(p.name for p in (artifacts / "failures").iterdir())
    assert saved == ["test_fails.py_test_boom[desktop].html", "test_fails.py_test_boom[desktop].png"], saved
    html = (artifacts / "failures" / "test_fails.py_test_boom[desktop].html").read_text(encoding="utf-8")
    assert "出错的页面" in html
    png = (artifacts / "failures" / "test_fails.py_test_boom[desktop].png").read_bytes()
    assert png.startswith(b"\x89PNG")
