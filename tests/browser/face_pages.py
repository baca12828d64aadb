"""The main pages of each face of the demo, for the accessibility and language checks.

A page is a path, or (list page, pattern): the first link on the list page that matches the
pattern, so the checks follow the demo's real records without knowing their ids.
"""
import re

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# face -> (demo login or None for the anonymous public, pages)
FACES = {
    "association": ("admin@kx.demo", [
        "/association/",
        ("/association/", rf"/association/societies/{UUID}"),
        "/association/societies/new",
        "/association/assessment/",
        ("/association/assessment/", rf"/association/assessment/{UUID}"),
        "/association/renewals/",
        "/association/watchlist/",
        "/association/decisions/",
    ]),
    "society": ("secretary@cs.demo", [
        "/s/cs/admin/",
        "/s/cs/admin/members/",
        ("/s/cs/admin/members/", rf"/s/cs/admin/members/{UUID}"),
        ("/s/cs/admin/members/", rf"/s/cs/admin/members/{UUID}", "/edit"),
        "/s/cs/admin/members/applications/",
        "/s/cs/admin/members/requests/",
        "/s/cs/admin/dues/",
        "/s/cs/admin/dues/invoices",
        ("/s/cs/admin/dues/invoices?state=open", rf"/s/cs/admin/dues/invoices/{UUID}"),
        "/s/cs/admin/dues/vouchers",
        "/s/cs/admin/governance/",
        ("/s/cs/admin/governance/", rf"/s/cs/admin/governance/organs/{UUID}"),
        "/s/cs/admin/governance/meetings",
        "/s/cs/admin/decisions/",
        "/s/cs/admin/decisions/new",
        ("/s/cs/admin/decisions/", rf"/s/cs/admin/decisions/{UUID}"),
        "/s/cs/admin/assessment/",
    ]),
    "member": ("member@cs.demo", [
        "/s/cs/me/",
        "/s/cs/me/dues/",
        "/s/cs/me/requests/",
        "/s/cs/me/profile/",
    ]),
    "public": (None, [
        "/",
        "/s/cs/",
        "/s/cs/apply/",
        "/login",
        "/password/forgot",
    ]),
}


def resolve(entry, fetch_html) -> str:
    """The path of a page entry; fetch_html(path) returns a list page's HTML."""
    if isinstance(entry, str):
        return entry
    list_page, pattern, *suffix = entry
    match = re.search(rf'href="({pattern})"', fetch_html(list_page))
    assert match, f"no link matching {pattern} on {list_page}"
    return match.group(1) + (suffix[0] if suffix else "")
