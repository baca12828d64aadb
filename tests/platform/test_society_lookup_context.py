"""A society page's first statement finds the society by its slug and, in the same statement, writes it into
the transaction's row-level security context: no set_config round trip of its own follows, and the page still
sees its own society's rows and no other's."""
import pytest
from sqlalchemy import event, text

from society_saas.extensions import db
from society_saas.members import services
from society_saas.tenancy.context import society_context
from society_saas.tenancy.scoping import enter_society_by_slug
from tests.conftest import login
from tests.factories import two_societies
from tests.members.helpers import with_classes

pytestmark = pytest.mark.postgres


def _statements(client, url: str) -> tuple[int, list[str]]:
    seen = []

    def record(conn, cursor, statement, *rest):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        status = client.get(url).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return status, seen


def test_the_society_lookup_sets_the_context_in_the_same_statement(app, session):
    from sqlalchemy import func, select

    from society_saas.accounts.models import SocietyRole

    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    sent = []

    def record(conn, cursor, statement, *rest):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    with app.app_context():
        society = enter_society_by_slug(db.session, "a")
        assert society.id == a.id
        with society_context(a.id):  # as the society pages do next
            assert db.session.scalar(select(func.count()).select_from(SocietyRole)) == 3
            assert db.session.execute(text("SELECT current_setting('app.society_id', true)")).scalar() == str(a.id)
        assert not [s for s in sent if s.lstrip().upper().startswith("SELECT SET_CONFIG")], sent
        db.session.rollback()
        assert enter_society_by_slug(db.session, "no-such-society") is None
        assert db.session.execute(text("SELECT current_setting('app.society_id', true)")).scalar() in ("", None)
        db.session.rollback()
        # the same transaction entering another society still switches, with a set_config of its own
        enter_society_by_slug(db.session, "a")
        with society_context(b.id):
            assert db.session.scalar(select(func.count()).select_from(SocietyRole)) == 3
            assert db.session.execute(text("SELECT current_setting('app.society_id', true)")).scalar() == str(b.id)
        db.session.rollback()
    event.remove(db.engine, "before_cursor_execute", record)


def test_a_society_page_sends_no_set_config_of_its_own_and_sees_its_rows(app, client, session):
    data = two_societies()
    a, people = data["a"]
    with_classes(a)
    with app.test_request_context("/"), society_context(a.id):
        services.create_member(a, None, {"name": "王五", "mobile": "13900000001", "member_number": None},
                               services.class_by_code("member"), user=people["member"])
        db.session.commit()
    login(client, people["member"].email)
    status, statements = _statements(client, "/s/a/me/profile/")
    assert status == 200
    alone = [s for s in statements if s.lstrip().upper().startswith("SELECT SET_CONFIG")]
    assert alone == [], alone
    assert any("set_config" in s and "FROM society" in s for s in statements), statements
    page = client.get("/s/a/me/profile/").get_data(as_text=True)
    assert "王五" in page
    # another society's portal: found, but A's member holds no role there
    assert client.get("/s/b/me/").status_code == 403
    assert client.get("/s/nowhere/me/").status_code == 404
