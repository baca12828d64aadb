"""Every main page speaks one language: in English no Chinese but the data's, in Chinese no English UI text.

The oracle for "data" is the database itself: a run of Chinese characters on an English page is
fine only if it occurs in a stored value (a society's or a person's name, a meeting's title...);
an English word on a Chinese page only if a stored value holds it, or it is a name or format
that is not translated (PDF, API, UTC...). Deliberate exceptions in English: the language switch
("中文"), the term of art 三重一大, the roster importer's Chinese column names, and a Chinese gloss in brackets after its English name
("Research society (研究会)").

Besides each face's main pages (tests/browser/face_pages.py), the walk follows the links it meets
inside the face's part of the site, one page per route, so a new page is checked without being listed.
"""
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import JSON, String, Text, create_engine, select

from society_saas.demo import prepare_demo
from tests.browser.face_pages import FACES, UUID, resolve
from tests.conftest import login

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z'’]+")
IDENTIFIER = re.compile(r"^[a-z0-9_.:/-]*$")  # codes, enum values, slugs, keys: never shown as words
ADDRESS = re.compile(r"\S+://\S+|\S+@\S+|\b[0-9a-f]{8,}\b")  # URLs, e-mail addresses, hashes are not UI text
# Words a Chinese page may show as they are: product and format names, units, the language switch.
UNTRANSLATED = {"english", "pdf", "api", "csv", "xlsx", "excel", "qr", "stripe", "id", "https", "http",
                "json", "csrf", "sha", "utf", "html", "png", "jpeg", "jpg", "mb", "kb", "url", "webhook",
                "uuid", "iso", "utc"}
CHINESE_IN_ENGLISH = {"中文", "三重一大"}
# where each face's walk may go, and how many routes it visits at most
SCOPES = {"association": "/association/", "society": "/s/cs/admin/", "member": "/s/cs/me/", "public": "/"}
MAX_ROUTES = 60
NOT_PAGES = re.compile(r"\.(pdf|xlsx|csv|json|png|jpe?g)$|^/(static|lang|logout|api|healthz|metrics)\b|/attachments/|/voucher$")
TEXT_ATTRS = {"placeholder", "title", "aria-label", "alt", "data-title"}
SKIP_TAGS = {"script", "style", "template", "code"}  # <code>: identifiers and hashes, not words of the UI


class _Text(HTMLParser):
    """The text a person meets on a page: text nodes, labels in attributes, button values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"])
        if tag in SKIP_TAGS:
            self._skip += 1
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and (name in TEXT_ATTRS or name.startswith("data-label")):
                self.parts.append(value)
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_texts(html: str) -> list[str]:
    """The visible and announced texts of an HTML page."""
    parser = _Text()
    parser.feed(html)
    return parser.parts


def page_links(html: str, scope: str) -> list[str]:
    """The site-internal links of a page that lead to HTML pages within scope."""
    parser = _Text()
    parser.feed(html)
    found = []
    for href in parser.links:
        url = urlsplit(href)
        if url.netloc or not url.path.startswith(scope) or NOT_PAGES.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def route_of(path: str) -> str:
    """A path with its ids blanked and its query dropped: one visit per route is enough."""
    return re.sub(UUID, "<id>", urlsplit(path).path)


def _leaves(value):
    """The strings of a column value; a JSON document's values, not its keys."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)


def _stored_text(app, db_backend) -> str:
    """Every string stored in the database but identifiers, as one searchable blob (read past RLS)."""
    from society_saas.core.db import Base

    engine = (db_backend["superuser"] if db_backend["kind"] == "postgres"
              else create_engine(app.config["DATABASE_URL"]))
    values = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
            if not columns:
                continue
            for row in conn.execute(select(*columns)):
                for value in row:
                    values += [v for v in _leaves(value) if not IDENTIFIER.match(v)]
    if db_backend["kind"] == "sqlite":
        engine.dispose()
    return "\n".join(values)


def _class_names_zh(app) -> set[str]:
    """The Chinese names of the member classes of every society (each also has an English name)."""
    from society_saas.extensions import db
    from society_saas.members.models import MemberClass
    from society_saas.tenancy.context import society_context
    from society_saas.tenancy.models import Society

    names = set()
    with app.app_context():
        for society_id in db.session.scalars(select(Society.id)).all():
            with society_context(society_id):
                names |= set(db.session.scalars(select(MemberClass.name_zh)))
        db.session.rollback()
    return names


@pytest.fixture
def demo_pages(app, client, db_backend):
    """The demo; yields a walker over every face's main pages (as its user) in a language."""
    prepare_demo(app)

    def walk(lang):
        for face, (email, entries) in FACES.items():
            client.delete_cookie("session")
            if email:
                login(client, email)
            client.get(f"/lang/{lang}")

            def fetch(path):
                response = client.get(path)
                assert response.status_code == 200, (face, path, response.status_code)
                return response.get_data(as_text=True)

            queue = [resolve(entry, fetch) for entry in entries]
            seen = set()
            while queue and len(seen) < MAX_ROUTES:
                path = queue.pop(0)
                if route_of(path) in seen:
                    continue
                seen.add(route_of(path))
                response = client.get(path)
                if response.status_code != 200 or response.mimetype != "text/html":
                    assert response.status_code < 500, (face, path, response.status_code)
                    continue
                html = response.get_data(as_text=True)
                queue += page_links(html, SCOPES[face])
                yield face, path, html
    return walk


def test_english_pages_show_no_chinese_but_data(app, db_backend, demo_pages):
    from society_saas.members.io import COLUMNS

    stored = _stored_text(app, db_backend) + "\n".join(zh for _field, zh in COLUMNS)
    has_english_name = _class_names_zh(app)  # data kept in both languages must show its English side
    report, routes = {}, 0
    for face, path, html in demo_pages("en"):
        routes += 1
        assert '<html lang="en">' in html, path
        for text in page_texts(html):
            for run in CJK.findall(text):
                gloss = f"({run})" in text and LATIN.search(text)
                if run in has_english_name or not (run in stored or run in CHINESE_IN_ENGLISH or gloss):
                    report.setdefault(f"{face} {path}", set()).add(text[:120])
    assert routes >= 50, f"the walk reached only {routes} routes"
    assert not report, "Chinese UI text on English pages:\n" + "\n".join(
        f"{page}:\n  " + "\n  ".join(sorted(texts)) for page, texts in report.items())


def test_chinese_pages_show_no_english_ui_text(app, db_backend, demo_pages):
    stored = {w.lower() for w in LATIN.findall(_stored_text(app, db_backend))}
    report, routes = {}, 0
    for face, path, html in demo_pages("zh_CN"):
        routes += 1
        assert '<html lang="zh-CN">' in html, path
        for text in page_texts(html):
            words = {w for w in LATIN.findall(ADDRESS.sub(" ", text)) if w.lower() not in stored and w.lower() not in UNTRANSLATED}
            if words:
                report.setdefault(f"{face} {path}", set()).add(f"{text[:120]}  <- {', '.join(sorted(words))}")
    assert routes >= 50, f"the walk reached only {routes} routes"
    assert not report, "English UI text on Chinese pages:\n" + "\n".join(
        f"{page}:\n  " + "\n  ".join(sorted(texts)) for page, texts in report.items())
