"""The bench's `queries_*`: SQL statements per request of the ten busiest pages, each in the largest
society against the same page in the smallest one (the console's overview: every society against one),
so a page whose statements grow with the data has a ratio above 1.

The pages are the ones the soak's users visit most; the counts are taken through the WSGI application
with the statements the engine runs, login and tenancy included.
"""
from sqlalchemy import case, event, func, select

from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.perf.bench import largest_society
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society

STAFF, MEMBER, CONSOLE = "bench-staff@bench.example", "bench-portal@bench.example", "bench-console@bench.example"
SMALL_STAFF, SMALL_MEMBER = "bench-staff-small@bench.example", "bench-portal-small@bench.example"
# (figure, who, path under /s/<slug>)
PAGES = (
    ("portal_home", "member", "/me/"),
    ("my_dues", "member", "/me/dues/"),
    ("society_page", None, "/"),
    ("ledger_page", "staff", "/admin/members/?status=active&class_code=regular&sort=name&page=2"),
    ("ledger_search", "staff", "/admin/members/?q=王&sort=number"),
    ("member_record", "staff", "/admin/members/{member_id}"),
    ("secretariat_home", "staff", "/admin/"),
    ("dues_page", "staff", "/admin/dues/"),
    ("invoice_list", "staff", "/admin/dues/invoices?state=open"),
)


def smallest_society() -> tuple[Society, int]:
    """The society with the fewest members that has an active one (a member must log in)."""
    with cross_society():
        sid, count = db.session.execute(
            select(Member.society_id, func.count()).group_by(Member.society_id)
            .having(func.sum(case((Member.status == MemberStatus.active, 1), else_=0)) > 0)
            .order_by(func.count(), Member.society_id).limit(1)).one()
    return db.session.get(Society, sid), int(count)


def statements(client, url: str) -> int:
    """How many SQL statements serving `url` runs (the page must answer 200)."""
    ran = []

    def count(*_args):
        ran.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        answer = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    if answer.status_code != 200:
        raise RuntimeError(f"{url} answered {answer.status_code}")
    return len(ran)


def _clients(app, society, staff_email, member_email) -> dict:
    from society_saas.accounts.models import SocietyRoleName
    from society_saas.perf.bench_accounts import bench_account, logged_in_client

    bench_account(society, staff_email, "压测工作人员", SocietyRoleName.secretariat_staff)
    bench_account(society, member_email, "压测会员", SocietyRoleName.member)
    return {"staff": logged_in_client(app, staff_email), "member": logged_in_client(app, member_email),
            None: logged_in_client(app, None)}


def _count_pages(society, clients) -> dict[str, int]:
    with society_context(society.id):
        member_id = db.session.scalar(select(Member.id).order_by(Member.member_number).limit(1))
    db.session.rollback()
    out = {}
    for name, who, path in PAGES:
        url = f"/s/{society.slug}" + path.format(member_id=member_id)
        statements(clients[who], url)  # warm-up: first-request work is not the page's
        out[name] = statements(clients[who], url)
    return out


def bench_queries(scale, repeat) -> list[dict]:
    """Statements per request of the ten busiest pages, at the largest society against the smallest."""
    from flask import current_app

    from society_saas.perf.bench_accounts import console_account, logged_in_client

    app = current_app._get_current_object()
    big, big_count = largest_society()
    small, small_count = smallest_society()
    large = _count_pages(big, _clients(app, big, STAFF, MEMBER))
    few = _count_pages(small, _clients(app, small, SMALL_STAFF, SMALL_MEMBER))
    console_account(CONSOLE)
    console = logged_in_client(app, CONSOLE)
    with cross_society():
        societies = db.session.scalar(select(func.count()).select_from(Society))
    statements(console, "/association/")
    large["console_overview"] = statements(console, "/association/")
    few["console_overview"] = statements(console, f"/association/?q={small.slug}")
    out = []
    for name in large:
        if name == "console_overview":
            baseline = "the overview filtered to one society"
            sizes = {"societies": societies, "baseline_societies": 1}
        else:
            baseline = f"the same page in the smallest society ({small_count} members)"
            sizes = {"society_members": big_count, "baseline_society_members": small_count}
        out.append({"name": f"queries_{name}", "value": large[name], "unit": "queries/request", "baseline": baseline,
                    "baseline_value": few[name], "ratio": round(large[name] / few[name], 3), "statistic": "count",
                    "scale": scale, **sizes})
    return out
