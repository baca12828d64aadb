"""The ledger page: a constant number of queries however many members, and all-or-nothing bulk actions."""
from sqlalchemy import event, select

from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import Member, MemberStatus
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.factories import two_societies
from tests.members.helpers import with_classes


def _add(app, society, n, start=0):
    with app.test_request_context("/"), society_context(society.id):
        classes = [services.class_by_code(c) for c in ("student", "member", "senior")]
        ids = [services.create_member(society, None, {"name": f"会员{i}", "mobile": f"139{i:08d}"}, classes[i % 3]).id
               for i in range(start, start + n)]
        db.session.commit()
        return ids


def _count_queries(app, client, url):
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_ledger_queries_do_not_grow_with_members(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    _add(app, a, 3)
    login(client, people["staff"].email)
    urls = ("/s/a/admin/members/", "/s/a/admin/members/?class_code=member&q=会员", "/s/a/admin/members/?region=x&page=2")
    few = [_count_queries(app, client, url) for url in urls]
    _add(app, a, 40, start=3)
    many = [_count_queries(app, client, url) for url in urls]
    assert many == few, (few, many)


def test_bulk_action_is_all_or_nothing(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    ids = _add(app, a, 3)
    login(client, people["staff"].email)
    post_form(client, "/s/a/admin/members/bulk", {"action": "grace", "member_id": [str(i) for i in ids[:2]]},
              page="/s/a/admin/members/")
    with society_context(a.id):
        statuses = {m.id: m.status for m in db.session.scalars(select(Member))}
    assert [statuses[i] for i in ids] == [MemberStatus.grace, MemberStatus.grace, MemberStatus.active]
    # lapsing all three is refused for the active one, so none lapses
    post_form(client, "/s/a/admin/members/bulk", {"action": "lapsed", "member_id": [str(i) for i in ids]},
              page="/s/a/admin/members/")
    with society_context(a.id):
        statuses = {m.id: m.status for m in db.session.scalars(select(Member))}
    assert [statuses[i] for i in ids] == [MemberStatus.grace, MemberStatus.grace, MemberStatus.active]


def test_bulk_action_with_another_societys_member_answers_404(app, client, session):
    data = two_societies()
    a, people = data["a"]
    b = data["b"][0]
    for s in (a, b):
        with_classes(s)
    mine, theirs = _add(app, a, 1), _add(app, b, 1, start=10)
    login(client, people["staff"].email)
    response = post_form(client, "/s/a/admin/members/bulk", {"action": "grace", "member_id": [str(mine[0]), str(theirs[0])]},
                         page="/s/a/admin/members/")
    assert response.status_code == 404
    with society_context(b.id):
        assert db.session.scalar(select(Member.status)) == MemberStatus.active


def test_every_filter_and_sort_of_the_ledger(app, client, session):
    import re
    from datetime import date

    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    young = date(date.today().year - 30, 6, 1).isoformat()
    old = date(date.today().year - 60, 6, 1).isoformat()
    # name, class, region, front-line, birth date, join date
    plan = (("甲一", "member", "渝中区", True, young, "2020-01-01"), ("乙二", "student", "江北区", False, young, "2024-05-01"),
            ("丙三", "senior", "渝中区", False, old, "2010-03-01"), ("丁四", "member", "江北区", True, old, "2015-07-01"))
    b, _people_b = data["b"]
    with_classes(b)
    with app.test_request_context("/"), society_context(b.id):
        services.create_member(b, None, {"name": "戊五", "mobile": "13900000009", "region": "沙坪坝区"},
                               services.class_by_code("member"))
        db.session.commit()
    with app.test_request_context("/"), society_context(a.id):
        for i, (name, code, region, front, birth, joined) in enumerate(plan):
            services.create_member(a, None, {"name": name, "mobile": f"1390000000{i}", "region": region,
                                             "front_line": front, "birth_date": birth, "join_date": joined},
                                   services.class_by_code(code))
        services.resign(a, None, db.session.scalar(select(Member).where(Member.name == "丁四")))
        db.session.commit()
    login(client, people["staff"].email)

    def names(query):
        page = client.get(f"/s/a/admin/members/?{query}").get_data(as_text=True)
        return re.findall(r'<a href="/s/a/admin/members/[0-9a-f-]+">([^<]+)</a>', page)

    assert names("") == ["甲一", "乙二", "丙三", "丁四"]  # by member number
    assert names("region=渝中区") == ["甲一", "丙三"]
    assert names("front_line=1") == ["甲一", "丁四"]
    assert names("young=1") == ["甲一", "乙二"]
    assert names("class_code=member") == ["甲一", "丁四"]
    assert names("status=resigned") == ["丁四"]
    assert names("region=江北区&young=1&front_line=1") == []
    assert names("sort=join_date") == ["乙二", "甲一", "丁四", "丙三"]  # newest first
    assert names("q=13900000002") == ["丙三"]  # mobile, exactly
    ledger = client.get("/s/a/admin/members/").get_data(as_text=True)
    region_filter = re.search(r'<select name="region">(.*?)</select>', ledger, re.S).group(1)
    # each region once, in order, and none of society B's (it has members in 沙坪坝区)
    assert re.findall(r'<option[^>]*>([^<]+)</option>', region_filter)[1:] == ["江北区", "渝中区"]
    assert names("q=%") == [] and names("q=_") == []  # wildcards are literal characters
    assert names("q=甲") == ["甲一"] and names("class_code=nope") == []
    export = client.get("/s/a/admin/members/export.csv?region=渝中区&front_line=1").get_data(as_text=True)
    assert "甲一" in export and "丙三" not in export and "乙二" not in export


def test_search_pages_count_in_the_page_query(app, session):
    """A search counts its matches in the page's own query (a window count) and gives the same totals and
    rows as a separate count, on every page, the one past the end included."""
    from society_saas.core.pagination import paginate

    data = two_societies()
    a, _people = data["a"]
    with_classes(a)
    _add(app, a, 60)
    _add(app, a, 5, start=100)  # 会员100..104 match "会员10" too
    with app.test_request_context("/"), society_context(a.id):
        for q in ("会员", "会员10", "无此人"):
            for number in (1, 2, 3):
                query = services.ledger_query({"q": q})
                windowed = paginate(query, number, per_page=50, count_in_page=True)
                counted = paginate(query, number, per_page=50)
                assert windowed.total == counted.total, (q, number)
                assert [m.id for m in windowed.items] == [m.id for m in counted.items], (q, number)
        assert paginate(services.ledger_query({"q": "会员"}), 2, per_page=50, count_in_page=True).total == 65
        rows = paginate(select(Member.name, Member.member_number).order_by(Member.member_number), 1, per_page=3,
                        tuples=True, count_in_page=True)
        assert rows.total == 65 and len(rows.items) == 3 and all(len(r) == 2 for r in rows.items)


def test_search_ignores_the_case_of_latin_letters_in_every_searched_column(app, session):
    a = two_societies()["a"][0]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        member = services.class_by_code("member")
        people = {"Li Wei": "Peking University", "ZHANG San": "示例大学", "王芳": "Tsinghua Lab"}
        for name, unit in people.items():
            services.create_member(a, None, {"name": name, "work_unit": unit, "mobile": "13900000000"}, member)
        db.session.commit()
        numbers = {m.name: m.member_number for m in db.session.scalars(select(Member))}

        def found(q):
            return sorted(m.name for m in db.session.scalars(services.ledger_query({"q": q})))

        assert found("li wei") == ["Li Wei"] and found("zhang") == ["ZHANG San"]
        assert found("PEKING") == ["Li Wei"] and found("tsinghua lab") == ["王芳"]
        assert found(numbers["王芳"].lower()) == ["王芳"]
        assert found("示例") == ["ZHANG San"] and found("li_wei") == []
