"""The API's lists run a fixed number of queries whatever their length (no N+1)."""
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token, world
from tests.dues.helpers import add_members


@contextmanager
def counted():
    """Count the SQL statements run inside the block."""
    seen = []

    def _count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SELECT SET_CONFIG", "PRAGMA", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _grow(society, n):
    with society_context(society.id):
        add_members(society, n, prefix=f"批{n}-")
        for i in range(n):
            organ = gov.create_organ(society, None, {"type": "branch", "name": f"分会{n}-{i}", "branch_subtype": "specialist"})
            gov.create_term(society, None, {"organ_id": organ.id, "number": 1, "starts_on": date(2024, 1, 1)})
        db.session.commit()


def test_lists_do_not_grow_with_their_rows(app, client, session):
    data, ids, _admin = world()
    a = data["a"][0]
    h = bearer(make_token(data["a"][1]["sec"], a, "read"))
    urls = ("/api/v1/societies/a/members?per_page=100", "/api/v1/societies/a/organs",
            "/api/v1/societies/a/applications?per_page=100")
    client.get(urls[0], headers=h)  # the token's last-use write happens once, not in the counts
    counts = []
    for n in (2, 12):
        with app.test_request_context("/"):
            _grow(a, n)
        row = []
        for url in urls:
            with counted() as seen:
                assert client.get(url, headers=h).status_code == 200
            row.append(len(seen))
        counts.append(row)
    assert counts[0] == counts[1], counts
