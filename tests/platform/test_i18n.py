"""The interface speaks Chinese by default and English on request; every catalog is complete.

(a) every msgid of every area's catalog has a zh_CN translation with the same placeholders,
    and a msgid shared by two catalogs is translated the same way in both (Flask-Babel merges
    all catalogs into one, so otherwise one of them would win at random);
(b) every compiled .mo matches its .po;
(c) every string the platform marks for translation is in some catalog;
(d) pages render in Chinese by default, in English with ?lang=en or after /lang/en.
"""
import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "society_saas"
CATALOGS = sorted(PACKAGE.glob("**/translations/zh_CN/LC_MESSAGES/messages.po"))

# The platform's own sources (members, governance, decisions etc. are checked by their owners).
PLATFORM_PATHS = [
    "society_saas/core", "society_saas/tenancy", "society_saas/__init__.py",
    "society_saas/accounts", "society_saas/oversight",
    "society_saas/templates/base.html", "society_saas/templates/_macros.html",
    "society_saas/templates/errors", "society_saas/templates/home", "society_saas/templates/society",
    "society_saas/templates/admin/_layout.html", "society_saas/templates/admin/home.html",
    "society_saas/templates/admin/roles.html", "society_saas/templates/portal", "society_saas/templates/audit",
    "society_saas/templates/accounts",
    "society_saas/templates/association/_layout.html", "society_saas/templates/association/index.html",
    "society_saas/templates/association/society_detail.html",
    "society_saas/templates/association/society_form.html",
]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{\w*\}")


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _messages(catalog):
    return [m for m in catalog if m.id]


def _ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _placeholders(text: str) -> list:
    return sorted(PLACEHOLDER.findall(text or ""))


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_catalogs_exist():
    areas = {p.parts[-5] for p in CATALOGS}
    assert {"core", "accounts", "oversight"} <= areas, areas


@pytest.mark.parametrize("po", CATALOGS, ids=_rel)
def test_every_message_is_translated_with_the_same_placeholders(po):
    catalog = _read(po)
    assert not catalog.fuzzy, f"{_rel(po)}: the header is missing or marked fuzzy, so compile skips the catalog"
    problems = []
    for message in _messages(catalog):
        strings = _strings(message)
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
            continue
        wanted = _placeholders(_ids(message)[0])
        for s in strings:
            if _placeholders(s) != wanted:
                problems.append(f"placeholders differ: {message.id!r} -> {s!r}")
    assert not problems, f"{_rel(po)}:\n" + "\n".join(problems)


def test_a_message_shared_by_catalogs_is_translated_alike():
    seen: dict = {}
    for po in CATALOGS:
        for message in _messages(_read(po)):
            if not all(_strings(message)):
                continue  # untranslated: reported by the test above
            seen.setdefault(_ids(message), {}).setdefault(_strings(message), []).append(_rel(po))
    clashes = [f"{msgid!r}: {variants}" for msgid, variants in seen.items() if len(variants) > 1]
    assert not clashes, "the same msgid is translated differently:\n" + "\n".join(clashes)


@pytest.mark.parametrize("po", CATALOGS, ids=_rel)
def test_catalog_is_found_for_the_zh_CN_locale(po):
    """Babel parses zh_CN as zh_Hans_CN, the folder name Flask-Babel asks gettext for;
    scripts/i18n.sh links translations/zh_Hans_CN to zh_CN."""
    from babel import Locale
    from babel.support import Translations

    translations_dir = po.parents[2]
    loaded = Translations.load(str(translations_dir), [Locale.parse("zh_CN")])
    assert isinstance(loaded, Translations), f"{_rel(translations_dir)}/zh_Hans_CN is missing: run scripts/i18n.sh"
    translated = [m for m in _messages(_read(po)) if not isinstance(m.id, tuple) and m.string and not m.fuzzy]
    if translated:  # (an empty catalog is reported by the test above)
        assert loaded.gettext(translated[0].id) == translated[0].string


@pytest.mark.parametrize("po", CATALOGS, ids=_rel)
def test_compiled_catalog_is_up_to_date(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{_rel(mo)} is missing: run scripts/i18n.sh"
    buffer = io.BytesIO()
    write_mo(buffer, _read(po))
    buffer.seek(0)
    expected = gettext.GNUTranslations(buffer)._catalog
    with mo.open("rb") as f:
        actual = gettext.GNUTranslations(f)._catalog
    strip = lambda d: {k: v for k, v in d.items() if k != ""}  # noqa: E731 (the header's dates may differ)
    assert strip(actual) == strip(expected), f"{_rel(mo)} is stale: run scripts/i18n.sh"
    assert "charset=utf-8" in actual.get("", "").lower()


def _platform_files():
    for entry in PLATFORM_PATHS:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for f in files:
            if f.suffix in (".py", ".html") and "__pycache__" not in f.parts:
                yield f


def test_every_platform_string_is_in_a_catalog():
    known = set()
    for po in CATALOGS:
        known |= {_ids(m)[0] for m in _messages(_read(po))}
    missing = []
    files = list(_platform_files())
    assert files
    for path in files:
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        for lineno, msgid, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS):
            first = msgid[0] if isinstance(msgid, tuple) else msgid
            if first and first not in known:
                missing.append(f"{_rel(path)}:{lineno}: {first!r}")
    assert not missing, "not in any catalog (run scripts/i18n.sh and translate):\n" + "\n".join(missing)


# --- rendered pages ---------------------------------------------------------------------------

@pytest.fixture
def society(session):
    from tests.factories import make_society

    return make_society("i18n", "中国测试学会")


PAGES = {  # url -> (Chinese text, English text)
    "/login": ("登录", "Log in"),
    "/": ("科技社团", "Scientific societies"),
    "/s/i18n/": ("挂靠单位", "Supporting unit"),
}


def _page(client, url, **kw):
    response = client.get(url, **kw)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_chinese_by_default(client, society, url):
    zh, en = PAGES[url]
    html = _page(client, url, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="zh-CN">' in html
    assert zh in html and "学会治理平台" in html
    assert en not in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_english_with_lang_parameter(client, society, url):
    zh, en = PAGES[url]
    html = _page(client, url, query_string={"lang": "en"})
    assert '<html lang="en">' in html
    assert en in html and "Society governance platform" in html
    assert zh not in html and "学会治理平台" not in html
    # ?lang= holds for one request only
    assert '<html lang="zh-CN">' in _page(client, url)


@pytest.mark.parametrize("url", PAGES)
def test_language_switch_is_kept_in_the_session(client, society, url):
    zh, en = PAGES[url]
    switch = client.get("/lang/en", query_string={"next": url})
    assert switch.status_code == 302
    html = _page(client, url)
    assert '<html lang="en">' in html and en in html and zh not in html
    assert "中文" in html  # the way back
    client.get("/lang/zh_CN")
    html = _page(client, url)
    assert '<html lang="zh-CN">' in html and zh in html


def test_unknown_language_is_ignored(client, society):
    client.get("/lang/xx")
    html = _page(client, "/login", query_string={"lang": "fr"})
    assert '<html lang="zh-CN">' in html and "登录" in html


def test_error_pages_are_translated(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
    response = client.get("/no-such-page?lang=en")
    assert "Page not found" in response.get_data(as_text=True)


def test_templates_translate_in_the_locale_in_force(app):
    """A template finds its catalog once per render: the request's language, or the one force_locale sets
    (mail in the society's language from an English request), escaped and formatted as Jinja's own."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Log in') }}|{{ _('Welcome, %(name)s.', name='<b>') }}|{{ ngettext('%(num)d row', '%(num)d rows', 3) }}"
    with app.test_request_context("/", query_string={"lang": "en"}):
        assert render_template_string(page) == "Log in|Welcome, &lt;b&gt;.|3 rows"
        with force_locale("zh_CN"):
            assert render_template_string(page) == "登录|欢迎您，&lt;b&gt;。|3 rows"
        assert render_template_string(page).startswith("Log in|")
