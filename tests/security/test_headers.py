"""Content Security Policy without inline scripts, on every kind of answer, and templates that need none.

The login page's headers are also checked in tests/platform/test_accounts.py (test_security_headers).
"""
import re
from pathlib import Path

from tests.api.helpers import bearer, make_token
from tests.factories import two_societies

TEMPLATES = Path(__file__).resolve().parents[2] / "society_saas" / "templates"


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_every_kind_of_answer_carries_a_strict_csp(app, client, session):
    data = two_societies()
    a, people = data["a"]
    token = make_token(people["sec"], a)
    answers = {
        "page": client.get("/login"),
        "404 page": client.get("/no/such/page"),
        "redirect": client.get("/s/a/admin/"),  # to the login page
        "static": client.get("/static/js/charts.js"),
        "api": client.get("/api/v1/societies/a/members", headers=bearer(token)),
        "api error": client.get("/api/v1/societies/a/members"),
        "api docs": client.get("/api/v1/docs"),
        "health": client.get("/healthz"),
    }
    for name, response in answers.items():
        csp = _directives(response.headers.get("Content-Security-Policy", ""))
        scripts = csp.get("script-src", csp.get("default-src"))
        assert scripts == ["'self'"], (name, scripts)  # no 'unsafe-inline', no 'unsafe-eval', no other host
        assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"], name
        assert csp["base-uri"] == ["'self'"], name
        assert csp.get("object-src", csp["default-src"]) in (["'self'"], ["'none'"]), name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["X-Frame-Options"] == "DENY", name


def test_templates_need_no_inline_script():
    """CSP would block these, so a page built on them would break: none may exist."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text, re.I):
            attrs = match.group(1)
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                problems.append(f"{path.name}: inline <script{attrs}>")
        for match in re.finditer(r"\s(on[a-z]+|hx-on[:\-][\w:-]*)\s*=", text, re.I):
            problems.append(f"{path.name}: event handler attribute {match.group(1)}")
        if re.search(r"(href|src|action)\s*=\s*[\"']\s*javascript:", text, re.I):
            problems.append(f"{path.name}: javascript: URL")
    assert not problems, "\n".join(problems)


def test_json_data_blocks_cannot_close_their_script_tag(app):
    """The charts' data rides in <script type="application/json">; tojson escapes < > & ' so a society
    name cannot end the block and open a script."""
    with app.test_request_context("/"):
        html = app.jinja_env.from_string('<script type="application/json">{{ data | tojson }}</script>').render(
            data={"name": "</script><script>alert(1)</script>"})
    assert html.count("</script>") == 1 and "<script>alert" not in html
