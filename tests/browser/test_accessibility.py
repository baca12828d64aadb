"""Accessibility of the main pages of every face, in chromium, on the demo data.

- axe-core (vendored, tests/browser/vendor) finds no violation of impact "serious" or "critical"
  on the main pages of the four faces, in Chinese and, on a few pages, in English;
- every visible form field has an accessible name of its own (a label, aria-label(ledby) or title:
  a placeholder alone does not count, it disappears as soon as one types);
- the member application and recording a payment work with the keyboard alone, and every control
  the keyboard reaches shows a focus indicator with at least 3:1 contrast against its background.

Each test builds the demo into its own fresh database (a few seconds), so one test walks all the
faces rather than one test per face.
"""
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser.face_pages import FACES, resolve
from tests.browser_support import VIEWPORTS

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
BLOCKING = ("serious", "critical")
pytestmark = pytest.mark.browser

# pages checked again with English selected: (demo login or None, path)
ENGLISH = [(None, "/s/cs/apply/"), (None, "/login"), ("admin@kx.demo", "/association/"),
           ("secretary@cs.demo", "/s/cs/admin/members/"), ("secretary@cs.demo", "/s/cs/admin/dues/"),
           ("member@cs.demo", "/s/cs/me/")]

UNNAMED_FIELDS_JS = """() => {
  const own = el => {
    const parts = [];
    for (const id of (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)) {
      const ref = document.getElementById(id);
      if (ref) parts.push(ref.textContent);
    }
    parts.push(el.getAttribute('aria-label') || '');
    for (const label of el.labels || []) {
      const copy = label.cloneNode(true);  // a label wrapping a select also holds the options' text
      copy.querySelectorAll('input, select, textarea').forEach(c => c.remove());
      parts.push(copy.textContent);
    }
    parts.push(el.getAttribute('title') || '');
    return parts.join(' ').trim();
  };
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const fields = [...document.querySelectorAll('input, select, textarea')].filter(el => el.type !== 'hidden' && visible(el));
  return {count: fields.length, unnamed: fields.filter(el => !own(el)).map(el => el.outerHTML.slice(0, 200))};
}"""

# What the keyboard has focused, and whether its focus indicator stands out (WCAG 1.4.11: 3:1).
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = [255, 255, 255];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c.slice(0, 3); break; }
  }
  const s = getComputedStyle(el);
  let colour = null;
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) colour = rgb(s.outlineColor).slice(0, 3);
  else if (s.boxShadow && s.boxShadow !== 'none') colour = rgb(s.boxShadow).slice(0, 3);
  const [hi, lo] = colour ? [lum(colour), lum(bg)].sort((a, b) => b - a) : [0, 0];
  return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name') || '', text: (el.textContent || '').trim().slice(0, 40),
          action: el.form ? el.form.getAttribute('action') || '' : '', type: el.getAttribute('type') || '',
          focusVisible: el.matches(':focus-visible'), indicator: !!colour,
          contrast: colour ? (hi + 0.05) / (lo + 0.05) : 0};
}"""


def _login(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("邮箱或手机号").fill(email)
    page.get_by_label("密码").fill("demo1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not log in"


def _fetch(page, base):
    def fetch(path):
        response = page.goto(base + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        return page.content()
    return fetch


def _walk(page, base):
    """Visit each face's main pages as its demo user; yield (face, path) with the page loaded."""
    fetch = _fetch(page, base)
    for face, (email, entries) in FACES.items():
        page.context.clear_cookies()
        if email:
            _login(page, base, email)
        for entry in entries:
            path = resolve(entry, fetch)
            fetch(path)
            yield face, path


def axe_violations(page) -> list[str]:
    """Run axe on the page and describe each serious or critical violation with its nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated over CDP, so the page's CSP does not apply
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    found = []
    for v in violations:
        if v["impact"] in BLOCKING:
            nodes = "\n".join(f"      {' '.join(map(str, n['target']))}: {n['html'][:160]}\n        "
                              + n["failureSummary"].replace("\n", "\n        ") for n in v["nodes"][:8])
            found.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)\n{nodes}")
    return found


@pytest.fixture
def demo_server(live_server, demo):
    """The demo societies in this test's fresh database (a copy of the session's), served on loopback."""
    return live_server


@pytest.fixture
def desktop(browser):
    """A desktop-width page (checks that do not depend on the width run once)."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    yield context.new_page()
    context.close()


def test_axe_finds_no_serious_violation(page, demo_server):
    report, visited = [], 0
    for face, path in _walk(page, demo_server):
        visited += 1
        if found := axe_violations(page):
            report.append(f"{face} {path} ({page.viewport_name}):\n" + "\n".join(found))
    who = None
    for email, path in ENGLISH:
        if email != who:
            page.context.clear_cookies()
            if email:
                _login(page, demo_server, email)
            who = email
        page.goto(f"{demo_server}/lang/en?next={path}")
        assert page.locator("html").get_attribute("lang") == "en", path
        if found := axe_violations(page):
            report.append(f"{path} (English, {page.viewport_name}):\n" + "\n".join(found))
    assert visited == sum(len(entries) for _, entries in FACES.values())
    assert not report, "axe violations:\n" + "\n".join(report)


def test_every_visible_field_has_an_accessible_name(desktop, demo_server):
    report, fields = [], 0
    for face, path in _walk(desktop, demo_server):
        result = desktop.evaluate(UNNAMED_FIELDS_JS)
        fields += result["count"]
        if result["unnamed"]:
            report.append(f"{face} {path}:\n  " + "\n  ".join(result["unnamed"]))
    assert fields > 50, f"the walk met only {fields} form fields"
    assert not report, "fields without an accessible name:\n" + "\n".join(report)


def _in_cs(session, stmt):
    """Rows of the demo society cs (the live server committed them on its own connection)."""
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.models import Society

    session.rollback()
    cs = session.scalar(select(Society).where(Society.slug == "cs"))
    with society_context(cs.id):
        return session.scalars(stmt).all()


class Keyboard:
    """Drive a page with Tab, typing, arrows, Space and Enter only, checking each focus stop."""

    def __init__(self, page):
        self.page, self.stops, self.bad = page, 0, []

    def tab(self, backwards=False):
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = self.page.evaluate(FOCUS_JS)
        if focus:
            self.stops += 1
            if not (focus["indicator"] and focus["contrast"] >= 3):
                self.bad.append(focus)
        return focus

    def to(self, predicate, limit=150):
        """Tab until the focused element satisfies predicate(focus)."""
        for _ in range(limit):
            focus = self.tab()
            if focus and predicate(focus):
                return focus
        raise AssertionError(f"the keyboard never reached the wanted control in {limit} tabs")

    def to_field(self, name):
        return self.to(lambda f: f["name"] == name)

    def type_into(self, name, text):
        self.to_field(name)
        self.page.keyboard.type(text)

    def value(self):
        return self.page.evaluate("document.activeElement.value")


def test_keyboard_only_application(desktop, demo_server, session):
    from society_saas.members.models import MemberApplication

    page, keys = desktop, Keyboard(desktop)
    page.goto(f"{demo_server}/s/cs/apply/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip", "the skip link comes first"
    page.keyboard.press("Enter")  # skip to the content: the next Tab lands in the form, not the top bar
    first = keys.tab()
    assert first["tag"] in ("select", "input"), f"after the skip link the focus went to {first}"

    keys.to_field("class_code")
    before = keys.value()
    page.keyboard.press("ArrowDown")
    assert keys.value() and keys.value() != before, "arrow keys choose a membership class"
    keys.type_into("name", "键盘申请人")
    keys.to_field("gender")
    page.keyboard.press("ArrowDown")
    assert keys.value() != ""
    keys.type_into("email", "keyboard@example.cn")
    keys.to_field("senior_title")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    keys.type_into("password", "Keyboard-only-2026")
    keys.to(lambda f: f["tag"] == "button" and f["type"] == "submit" and f["action"] == "")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/s/cs/apply/status" in url)  # (keeps the skip link's #main)

    rows = [a for a in _in_cs(session, select(MemberApplication)) if a.data.get("email") == "keyboard@example.cn"]
    assert len(rows) == 1, "one application, submitted by keyboard"
    row = rows[0]
    assert row.data["name"] == "键盘申请人" and row.data["senior_title"] is True
    assert keys.stops > 10
    assert not keys.bad, f"focus stops without a visible indicator (3:1): {keys.bad}"


def test_keyboard_only_recording_a_payment(desktop, demo_server, session):
    from society_saas.dues.models import Payment

    page, keys = desktop, Keyboard(desktop)
    _login(page, demo_server, "staff@cs.demo")
    page.goto(f"{demo_server}/s/cs/admin/dues/invoices?state=open")
    invoice = page.locator("a[href*='/admin/dues/invoices/']").first.get_attribute("href")
    page.goto(demo_server + invoice)

    keys.to_field("method")
    page.keyboard.press("ArrowDown")
    method = keys.value()
    keys.to_field("amount")
    assert keys.value(), "the amount is filled in with what is still due"
    keys.type_into("reference", "KBD-2026-0001")
    keys.to(lambda f: f["tag"] == "button" and f["action"].endswith(invoice + "/payments"))
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.get_by_text("KBD-2026-0001").first.is_visible()

    payments = _in_cs(session, select(Payment).where(Payment.reference == "KBD-2026-0001"))
    assert len(payments) == 1 and payments[0].method.value == method
    assert not keys.bad, f"focus stops without a visible indicator (3:1): {keys.bad}"


def test_every_scrolling_table_wrapper_is_focusable():
    """A .table-wrap scrolls sideways on a phone: without tabindex a keyboard cannot scroll it (axe checks
    only the pages it visits; this catches every template)."""
    templates = Path(__file__).resolve().parents[2] / "society_saas" / "templates"
    missing = [f"{path.relative_to(templates)}: {line.strip()[:80]}"
               for path in sorted(templates.rglob("*.html"))
               for line in path.read_text(encoding="utf-8").splitlines()
               if 'class="table-wrap"' in line and 'tabindex="0"' not in line]
    assert not missing, 'add tabindex="0" to these .table-wrap elements:\n' + "\n".join(missing)
