"""SQL injection in search boxes, filters and sort parameters (pages and API): the text is data, never SQL.

A search that concatenated its text into SQL would return every row for `' OR '1'='1`; here it returns
none, the other society's rows never appear, a bad filter is a 400/422, never a 5xx, and the tables
are all still there afterwards.
"""
from sqlalchemy import func, select

from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, make_token
from tests.conftest import login
from tests.dues.helpers import YEAR, dues_society
from tests.factories import make_admin, two_societies
from tests.members.helpers import member_fixture

INJECTIONS = ["' OR '1'='1", "%' OR 1=1 --", "'; DROP TABLE member; --", "\" OR \"\"=\"",
              "1) UNION SELECT name, id_number_encrypted FROM member --", "' OR society_id IS NOT NULL --",
              "\\' OR 1=1 #", "李华' --"]


def _world():
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    member_fixture(a)
    member_fixture(b)
    dues_society(a, members=2)
    with society_context(b.id):
        db.session.scalar(select(Member)).name = "乙会会员甲"
        db.session.commit()
    with society_context(a.id):
        from society_saas.dues import services as dues

        dues.run_invoices(a, None, YEAR)
        db.session.commit()
    return data


def _members(society_id) -> int:
    db.session.expire_all()
    with society_context(society_id):
        return db.session.scalar(select(func.count()).select_from(Member))


def test_ledger_and_invoice_search_treat_text_as_data(app, client, session):
    data = _world()
    a, people = data["a"]
    b = data["b"][0]
    a_id, b_id = a.id, b.id
    counts = (_members(a_id), _members(b_id))
    with society_context(a_id):
        links = [f"/members/{m}" for m in db.session.scalars(select(Member.id))]
    login(client, people["sec"].email)
    for text in INJECTIONS:
        for url in ("/s/a/admin/members/", "/s/a/admin/dues/invoices"):
            response = client.get(url, query_string={"q": text})
            assert response.status_code == 200, (url, text)
            body = response.get_data(as_text=True)
            assert not any(link in body for link in links) and "乙会会员甲" not in body, (url, text)
            assert "会员0" not in body, (url, text)
    # the plain search still finds
    assert sum(link in client.get("/s/a/admin/members/", query_string={"q": "李华"}).get_data(as_text=True)
               for link in links) == 1
    assert (_members(a_id), _members(b_id)) == counts


def test_page_filters_and_sort_refuse_or_ignore_sql(app, client, session):
    data = _world()
    a, people = data["a"]
    login(client, people["sec"].email)
    codes = {}
    for text in INJECTIONS:
        for param in ("status", "class_code", "region", "sort", "front_line", "young", "page"):
            codes[("members", param, text)] = client.get("/s/a/admin/members/", query_string={param: text}).status_code
        for param in ("year", "state", "class_id", "page"):
            codes[("invoices", param, text)] = client.get("/s/a/admin/dues/invoices", query_string={param: text}).status_code
        codes[("reports", "year", text)] = client.get("/s/a/admin/dues/reports", query_string={"year": text}).status_code
    bad = {k: v for k, v in codes.items() if v not in (200, 400)}
    assert not bad, bad
    # a filter that cannot be read is refused, not guessed: the invoice year and state
    assert codes[("invoices", "year", INJECTIONS[0])] == 400 and codes[("invoices", "state", INJECTIONS[0])] == 400


def test_console_search_treats_text_as_data(app, client, session):
    _world()
    make_admin()
    login(client, "admin@kx.test")
    for text in INJECTIONS:
        for params in ({"q": text}, {"kind": text}, {"status": text}):
            response = client.get("/association/", query_string=params)
            assert response.status_code == 200, (params, text)
            # a search text matches no society; an unknown kind or status filters nothing
            assert ("测试学会a" in response.get_data(as_text=True)) == ("q" not in params), (params, text)


def test_api_filters_and_sort_are_validated(app, client, session):
    data = _world()
    a, people = data["a"]
    a_id = a.id
    headers = bearer(make_token(people["sec"], a, "read"))
    for text in INJECTIONS:
        response = client.get("/api/v1/societies/a/members", query_string={"q": text}, headers=headers)
        assert response.status_code == 200 and response.get_json()["total"] == 0, text
        for param in ("sort", "status", "page", "per_page", "front_line"):
            response = client.get("/api/v1/societies/a/members", query_string={param: text}, headers=headers)
            assert response.status_code == 422, (param, text)
            assert set(response.get_json()) == {"code", "message", "errors"}
        for param in ("year", "state", "class_id"):
            response = client.get("/api/v1/societies/a/invoices", query_string={param: text}, headers=headers)
            assert response.status_code in (200, 422), (param, text)
    assert client.get("/api/v1/societies/a/members", query_string={"q": "李华"}, headers=headers).get_json()["total"] == 1
    assert _members(a_id) == 3
