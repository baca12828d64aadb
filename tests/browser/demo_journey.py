"""Plain helpers (no fixtures) for the governance journeys that run on the demo data in a real browser."""
import re
import subprocess
from pathlib import Path

from tests.browser_support import fits_width, shoot

PASSWORD = "demo1234"



def login(page, base: str, email: str, password: str = PASSWORD, shot: str | None = None) -> None:
    """Log in through the form as a person would, starting from a clean browser; `shot` names a screenshot."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.get_by_label("邮箱或手机号").fill(email)
    page.get_by_label("密码").fill(password)
    if shot:
        assert_page_ok(page)
        shoot(page, shot)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


OVERFLOWING = """() => {
  const out = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest(".table-wrap") || !el.getClientRects().length) continue;  // scrollers may be wider
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1) out.push(el.tagName.toLowerCase() + "." + el.className + ": "
                                                   + (el.innerText || "").slice(0, 40));
  }
  return out;
}"""


DUPLICATE_IDS = """() => { const ids = [...document.querySelectorAll('[id]:not([type=hidden])')].map(e => e.id);
                           return ids.filter((id, i) => ids.indexOf(id) !== i); }"""


def ids_used_twice(page) -> list[str]:
    """Element ids that stand more than once on the page (a label binds to the first only)."""
    return page.evaluate(DUPLICATE_IDS)


def overflowing(page) -> list[str]:
    """Elements that reach past the window's right edge, outside a table scroller (clipped or not)."""
    return page.evaluate(OVERFLOWING)


def assert_page_ok(page) -> None:
    """The checks every journey page gets: Chinese document, no sideways overflow, no English left over."""
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert fits_width(page), f"{page.url} overflows at {page.viewport_size}"
    wide = overflowing(page)
    assert not wide, f"{page.url} at {page.viewport_size}: {wide[:5]}"
    text = page.locator("main").inner_text()
    leftovers = [w for w in re.findall(r"\b[A-Z][a-z]+(?: [a-z]+){2,}\b", text)]
    assert not leftovers, f"untranslated text on {page.url}: {leftovers[:5]}"


def flash(page) -> str:
    """The text of the page's flash messages."""
    return " ".join(page.locator(".flash").all_inner_texts())


def download_pdf(page, link, folder: Path) -> Path:
    """Click a link that downloads a PDF and keep the file in `folder` under the name the server gave it."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF-"), f"{download.suggested_filename} is not a PDF"
    return path


def pdf_fonts(path: Path) -> str:
    """`pdffonts` output for a PDF file."""
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def embedded_cjk_fonts(listing: str) -> list[str]:
    """Names of the embedded CJK fonts in a `pdffonts` listing."""
    fonts = []
    for line in listing.splitlines()[2:]:
        parts = line.split()
        # name type [encoding...] emb sub uni object ID: the 'emb' column is the fifth from the end
        if len(parts) >= 6 and parts[-5] == "yes" and "CJK" in parts[0]:
            fonts.append(parts[0])
    return fonts


def resident_id(region: str, birth: str, serial: str) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit)."""
    body = f"{region}{birth}{serial}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check
