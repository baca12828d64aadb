"""The console: overview query count, drill-down, filings, watchlist, reform tasks, and 403 for society users."""
import re
import uuid
from datetime import date, timedelta

from sqlalchemy import event, select

from society_saas.extensions import db
from society_saas.governance.models import OrganType
from society_saas.members.models import MemberClass
from society_saas.oversight.activities import today
from society_saas.oversight.models import Activity, ActivityKind, FilingState, ReformTask, WatchAction
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society
from tests.conftest import csrf_token, login, post_form
from tests.factories import make_admin, make_society, two_societies
from tests.oversight import helpers as h


def _seed(n: int, start: int = 0):
    for i in range(start, start + n):
        s = make_society(f"s{i}", f"学会{i:02d}")
        cls = h.classes(s)
        m = h.member(s, cls["member"], date(2020, 1, 1), date(1980, 1, 1))
        council, term = h.organ(s, OrganType.council, term=(date(2022, 1, 1), date(2027, 1, 1)))
        h.meeting(s, council, date.today() - timedelta(days=30), term)
        h.activity(s, ActivityKind.popular_science, date.today())
        h.request(s, m, h.utc(2025, 1, 1), None)


def _count_queries(client, url):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_overview_costs_the_same_queries_for_3_and_12_societies(app, client, session):
    make_admin()
    _seed(3)
    login(client, "admin@kx.test")
    three, page = _count_queries(client, "/association/")
    assert page.count("/figures#renewal") == 3
    _seed(9, start=3)
    twelve, page = _count_queries(client, "/association/")
    assert page.count("/figures#renewal") == 12
    assert three == twelve, (three, twelve)


def test_overview_figures_filters_and_drill_down(app, client, session):
    make_admin()
    _seed(2)
    s0 = session.scalar(select(Society).where(Society.slug == "s0"))
    s0.consortium = "理科学会联合体"
    session.commit()
    login(client, "admin@kx.test")
    page = client.get("/association/").get_data(as_text=True)
    assert 'id="overview-data"' in page and "oversight-charts.js" in page and "<script>" not in page
    page = client.get("/association/?consortium=理科学会联合体").get_data(as_text=True)
    assert "学会00" in page and "学会01" not in page
    figures = client.get(f"/association/societies/{s0.id}/figures").get_data(as_text=True)
    assert "学会00" in figures and "活动" in figures


def test_filing_submit_lead_time_review_and_return(app, client, session):
    data = two_societies()
    a, people = data["a"]
    make_admin()
    sec = client
    login(sec, people["sec"].email)
    soon = (today() + timedelta(days=5)).isoformat()
    later = (today() + timedelta(days=30)).isoformat()
    for title, day in (("近期活动", soon), ("科协名义论坛", later)):
        post_form(sec, "/s/a/admin/activities/", {"kind": "brand_academic_event", "title": title, "starts_on": day,
                                                  "in_association_name": "y"})
    with society_context(a.id):
        acts = {x.title: x for x in session.scalars(select(Activity))}
    assert {x.filing_state for x in acts.values()} == {FilingState.draft}
    for act in acts.values():
        post_form(sec, f"/s/a/admin/activities/{act.id}/submit", {}, page="/s/a/admin/activities/")
    with society_context(a.id):
        states = {x.title: x.filing_state for x in session.scalars(select(Activity))}
    assert states == {"近期活动": FilingState.draft, "科协名义论坛": FilingState.submitted}  # 15 days ahead

    admin = client.application.test_client()
    login(admin, "admin@kx.test")
    listing = admin.get("/association/filings/").get_data(as_text=True)
    assert "科协名义论坛" in listing and "近期活动" not in listing
    target = f"/association/filings/{a.id}/{acts['科协名义论坛'].id}"
    post_form(admin, target, {"decision": "return", "comment": ""}, page="/association/filings/")
    with society_context(a.id):
        assert session.get(Activity, (a.id, acts["科协名义论坛"].id)).filing_state == FilingState.submitted
    post_form(admin, target, {"decision": "return", "comment": "请补充议程"}, page="/association/filings/")
    session.expire_all()
    with society_context(a.id):
        act = session.get(Activity, (a.id, acts["科协名义论坛"].id))
        assert act.filing_state == FilingState.returned and act.review_comment == "请补充议程"
    post_form(sec, f"/s/a/admin/activities/{act.id}/submit", {}, page="/s/a/admin/activities/")
    post_form(admin, target, {"decision": "approve"}, page="/association/filings/")
    session.expire_all()
    with society_context(a.id):
        assert session.get(Activity, (a.id, act.id)).filing_state == FilingState.approved
    # B's activity through A's address is not found
    b = data["b"][0]
    assert admin.post(f"/association/filings/{b.id}/{act.id}", data={"csrf_token": csrf_token(admin, "/association/filings/?state=approved"), "decision": "approve"}).status_code == 404


def test_watchlist_overdue_renewal_and_follow_up(app, client, session):
    make_admin()
    s = make_society("weak", "涣散学会")
    h.organ(s, OrganType.council, term=(date(2015, 1, 1), date(2020, 1, 1)))
    make_society("fine", "正常学会")
    login(client, "admin@kx.test")
    page = client.get("/association/watchlist/").get_data(as_text=True)
    assert "涣散学会" in page and "正常学会" not in page
    post_form(client, f"/association/watchlist/{s.id}", {"action": "talk", "note": "约谈理事长", "taken_on": "2026-01-05"},
              page="/association/watchlist/")
    with society_context(s.id):
        assert [w.note for w in session.scalars(select(WatchAction))] == ["约谈理事长"]
    assert "约谈理事长" in client.get("/association/watchlist/").get_data(as_text=True)


def test_reform_tasks_completion_rate(app, client, session):
    make_admin()
    login(client, "admin@kx.test")
    for code in ("R1", "R2"):
        post_form(client, "/association/reform/", {"code": code, "title": f"任务{code}", "owner_department": "学会部",
                                                   "deadline": "2026-06-30"})
    post_form(client, "/association/reform/", {"code": "R3", "title": "无主任务", "deadline": "2026-06-30"})
    tasks = {t.code: t for t in session.scalars(select(ReformTask))}
    assert set(tasks) == {"R1", "R2"}
    post_form(client, f"/association/reform/{tasks['R1'].id}", {"progress": "100", "evidence": "文件已印发"},
              page="/association/reform/")
    page = client.get("/association/reform/").get_data(as_text=True)
    assert "50.0%" in page and "90.0%" in page


def test_console_pages_refuse_society_users(app, client, session):
    data = two_societies()
    login(client, data["a"][1]["sec"].email)
    some = uuid.uuid4()
    for url in ("/association/", "/association/filings/", "/association/assessment/", f"/association/assessment/{some}",
                f"/association/assessment/{some}/ranking", "/association/watchlist/", "/association/reform/",
                f"/association/societies/{data['b'][0].id}/figures"):
        assert client.get(url).status_code == 403, url
    # and society people reach their own activities page
    assert client.get("/s/a/admin/activities/").status_code == 200
    assert client.get("/s/b/admin/activities/").status_code == 403


def test_watchlist_lists_societies_failing_two_years_running(app, client, session):
    from society_saas.oversight import assessment, scoring, watch

    weak, once = make_society("w", "两年不合格学会"), make_society("o", "一年不合格学会")
    for year, failing in ((2024, (weak, once)), (2025, (weak,))):
        scheme = assessment.create_scheme(None, {"year": str(year)})
        assessment.add_indicator(None, scheme, {"code": "S1", "name": "自评", "weight": "100",
                                                "type": "self_reported", "rule": "yes_no"})
        assessment.publish(None, scheme)
        ind = assessment.indicators(scheme)[0]
        for society in (weak, once):
            if society not in failing:
                with society_context(society.id):
                    assessment.save_self_report(society, None, scheme, ind, {"value": "1"})
                    assessment.flush_all()
        assessment.freeze(None, scheme)
        scoring.finalise(None, scheme)
        session.commit()
    rows = watch.watchlist(date(2026, 3, 1))
    assert [r["society"].slug for r in rows] == ["w"]


def test_overview_figures_are_right(app, client, session):
    from society_saas.oversight import queries

    _seed(1)
    s = session.scalar(select(Society).where(Society.slug == "s0"))
    empty = make_society("empty", "空学会")
    row, blank = queries.overview([s, empty], date.today())
    assert row["members"]["members"] == 1 and row["meetings"]["ok"] and row["open_requests"] == 1
    assert row["renewal"]["status"] in ("on_time", "due_soon", "overdue") and row["activities"]["total"] == 1
    assert blank["members"]["members"] == 0 and blank["renewal"]["status"] == "none" and blank["open_requests"] == 0
    assert blank["chain"]["ok"] and not blank["meetings"]["ok"]


def test_overview_pages_show_their_societies_figures_and_keep_the_filters(app, client, session, monkeypatch):
    import json

    from society_saas.oversight import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    make_admin()
    _seed(3)
    s2 = session.scalar(select(Society).where(Society.slug == "s2"))
    with society_context(s2.id):
        cls = session.scalar(select(MemberClass).where(MemberClass.code == "member"))
    h.member(s2, cls, date(2020, 1, 1), date(1980, 1, 1))
    s2.consortium = "理科学会联合体"
    session.commit()
    login(client, "admin@kx.test")
    first = client.get("/association/").get_data(as_text=True)
    assert "学会00" in first and "学会01" in first and "学会02" not in first
    assert "第 1 页，共 2 页" in first and "学会 1–2，共 3 个" in first
    second = client.get("/association/?page=2").get_data(as_text=True)
    assert "学会02" in second and "学会00" not in second and "学会 3–3，共 3 个" in second
    charts = json.loads(re.search(r'id="overview-data">(.*?)</script>', second, re.S).group(1))
    assert charts["names"] == [s2.short_name] and charts["members"] == [2]  # this page's society, its own count
    assert sum(charts["renewal"].values()) == 3  # the renewal chart counts every listed society
    assert client.get("/association/?page=99").get_data(as_text=True).count("/figures#renewal") == 1  # the last page
    filtered = client.get("/association/?status=active&page=1").get_data(as_text=True)
    assert "page=2&amp;status=active" in filtered or "status=active&amp;page=2" in filtered


def test_overview_of_some_societies_equals_their_rows_in_the_overview_of_all(app, client, session):
    from society_saas.oversight import queries

    _seed(4)
    societies = list(session.scalars(select(Society).order_by(Society.name)))
    every = {r["society"].id: r for r in queries.overview(societies, date.today(), every=True)}
    some = queries.overview(societies[1:3], date.today())
    assert [r["society"].id for r in some] == [s.id for s in societies[1:3]]
    for row in some:
        assert row == every[row["society"].id]


def test_renewal_standings_read_each_current_council_terms_renewal(app, session):
    """The console's renewal column and chart: done, postponed, overdue and none, from the council term in office."""
    from society_saas.governance.models import Renewal, RenewalStatus, Term
    from society_saas.oversight import queries

    on = date(2027, 3, 1)
    ended = (date(2022, 3, 1), date(2027, 2, 1))  # ended a month before `on`
    made = {}
    for slug, status, postponed_until in (("done", RenewalStatus.filed, None),
                                          ("postponed", RenewalStatus.postponed, date(2027, 9, 1)),
                                          ("lapsed", RenewalStatus.postponed, date(2027, 2, 15)),
                                          ("overdue", None, None)):
        s = make_society(slug)
        _council, term = h.organ(s, OrganType.council, term=ended)
        if status is not None:
            with society_context(s.id):
                db.session.add(Renewal(society_id=s.id, term_id=term.id, status=status, plan_due_on=date(2026, 8, 1),
                                       postponed_until=postponed_until))
                db.session.commit()
        made[slug] = s
    later = make_society("later")  # a second, newer council term: the older one's renewal no longer counts
    council, old = h.organ(later, OrganType.council, term=ended)
    with society_context(later.id):
        db.session.add(Term(society_id=later.id, organ_id=council.id, number=2, starts_on=date(2027, 2, 1),
                            ends_on=date(2032, 2, 1)))
        db.session.add(Renewal(society_id=later.id, term_id=old.id, status=RenewalStatus.postponed,
                               plan_due_on=date(2026, 8, 1), postponed_until=date(2027, 2, 2)))
        db.session.commit()
    ahead = make_society("ahead")  # the next term entered ahead of time, starting after `on`: the ended one counts
    council, _old = h.organ(ahead, OrganType.council, term=ended)
    with society_context(ahead.id):
        db.session.add(Term(society_id=ahead.id, organ_id=council.id, number=2, starts_on=date(2027, 4, 1),
                            ends_on=date(2032, 3, 31)))
        db.session.commit()
    bare = make_society("bare")

    status = queries.renewal_status(on)
    assert status[ahead.id] == {"status": "overdue", "ends_on": ended[1], "overdue_days": 28}
    assert {slug: status[s.id]["status"] for slug, s in made.items()} == {
        "done": "done", "postponed": "postponed", "lapsed": "overdue", "overdue": "overdue"}
    assert status[made["overdue"].id]["overdue_days"] == 28 and status[made["done"].id]["ends_on"] == ended[1]
    assert status[later.id] == {"status": "on_time", "ends_on": date(2032, 2, 1), "overdue_days": 0}
    assert bare.id not in status
    everyone = [*made.values(), later, ahead, bare]
    assert queries.renewal_standings(everyone, on) == {"done": 1, "postponed": 1, "overdue": 3, "on_time": 1, "none": 1}
    one = queries.renewal_status(on, ids=[made["postponed"].id])
    assert list(one) == [made["postponed"].id]
