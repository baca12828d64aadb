"""Dates that cannot be: a payment received in the future or years before its dues year, a member born or joined
in the future, a council member born in the future. The API answers 422 JSON naming the field and writes nothing
(marshmallow 4 ignores a validator returning False, so each such rule raises)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from society_saas.core.clock import today_cn
from society_saas.dues.models import Invoice, Payment, Receipt
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.api.helpers import bearer, count_rows, make_token, refused, world
from tests.dues.helpers import YEAR, dues_fixture




@pytest.fixture
def open_invoice(app, session):
    data, ids, _admin = world()
    a = data["a"][0]
    dues_fixture(a)
    with society_context(a.id):
        invoice = next(i for i in db.session.scalars(select(Invoice)) if i.paid_fen == 0)
        invoice_id = invoice.id
    return a.id, invoice_id, bearer(make_token(data["a"][1]["staff"], a, "write"))


@pytest.mark.parametrize("paid_on", ["2999-01-01", "tomorrow", f"{YEAR - 2}-12-31", "1900-01-01"])
def test_a_payment_dated_after_today_or_long_before_its_year_is_422_naming_paid_on(client, open_invoice, paid_on):
    a, invoice_id, h = open_invoice
    if paid_on == "tomorrow":
        paid_on = (today_cn() + timedelta(days=1)).isoformat()
    payments, receipts = count_rows(a, Payment), count_rows(a, Receipt)
    response = client.post(f"/api/v1/societies/a/invoices/{invoice_id}/payments",
                           json={"amount_fen": 1, "paid_on": paid_on}, headers=h)
    body = refused(response, "paid_on")
    assert "到账日期" in body["errors"]["paid_on"][0]
    assert (count_rows(a, Payment), count_rows(a, Receipt)) == (payments, receipts)


def test_a_payment_received_today_is_recorded(client, open_invoice):
    a, invoice_id, h = open_invoice
    response = client.post(f"/api/v1/societies/a/invoices/{invoice_id}/payments",
                           json={"amount_fen": 1, "paid_on": today_cn().isoformat()}, headers=h)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["paid_on"] == today_cn().isoformat()


@pytest.mark.parametrize("field, value", [("birth_date", "9999-01-01"), ("join_date", "9999-01-01"),
                                          ("birth_date", "tomorrow"), ("birth_date", "1850-06-01")])
def test_a_member_born_or_joined_in_the_future_is_422_naming_the_field(app, client, session, field, value):
    data, ids, _admin = world()
    if value == "tomorrow":
        value = (today_cn() + timedelta(days=1)).isoformat()
    a = data["a"][0]
    a_id = a.id
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    url = f"/api/v1/societies/a/members/{ids['a']['member_id']}"
    before = client.get(url, headers=h)
    refused(client.patch(url, json={field: value}, headers={**h, "If-Match": before.headers["ETag"]}), field)
    assert client.get(url, headers=h).get_json()[field] == before.get_json()[field]
    members = count_rows(a_id, Member)
    refused(client.post("/api/v1/societies/a/members", json={"class_code": "member", "name": "未来会员",
                                                              "mobile": "13800000099", field: value}, headers=h), field)
    assert count_rows(a_id, Member) == members
    ok = client.patch(url, json={field: "1980-05-01"}, headers={**h, "If-Match": before.headers["ETag"]})
    assert ok.status_code == 200 and ok.get_json()[field] == "1980-05-01"


def test_a_council_member_born_in_the_future_is_422_naming_birth_date(app, client, session):
    from tests.governance.helpers import council_with_term

    data, ids, _admin = world()
    a = data["a"][0]
    with society_context(a.id):
        _organ, term = council_with_term(a)
        db.session.commit()
    h = bearer(make_token(data["a"][1]["sec"], a, "write"))
    url = f"/api/v1/societies/a/terms/{term.id}/positions"
    refused(client.post(url, json={"role": "council_member", "holder_name": "张三", "gender": "male",
                                    "birth_date": "9999-01-01"}, headers=h), "birth_date")
    assert client.get(url, headers=h).get_json() == []
