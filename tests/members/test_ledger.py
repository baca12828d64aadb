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
    few = _count_queries(app, client, "/s/a/admin/members/")
    _add(app, a, 40, start=3)
    many = _count_queries(app, client, "/s/a/admin/members/?class_code=member&q=会员")
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
