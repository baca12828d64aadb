"""The docs page renders the API's operations in a real chromium under the CSP (vendored files, no CDN)."""
import pytest

from tests.browser_support import shoot

pytestmark = pytest.mark.browser


def test_docs_page_renders_every_operation(live_server, page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 30
    assert not [p for p in problems if "Content Security Policy" in p or p.startswith("failed")], problems
    shoot(page, "api-docs")
