"""Through the real forms: bad input on the dues pages is refused with its message beside the field (what was typed
kept), changes nothing and never answers 500; a resubmitted refund acts once; the member's voucher form waits for
the pending one; the invoice run is audited in the name of who ran it; the console's rate is the dues page's."""
import html
import io
import re

from sqlalchemy import func, select

from society_saas.core.audit import AuditEvent
from society_saas.dues import services as dues
from society_saas.dues.models import DuesExemption, DuesSchedule, Payment, PaymentState, Receipt
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.dues.helpers import YEAR, billed_society, dues_society, invoice_of
from tests.factories import make_admin, two_societies


def _count(society, model) -> int:
    with society_context(society.id):
        return db.session.scalar(select(func.count()).select_from(model))


def _form(page: str, action: str) -> str:
    """The HTML of the page's form posting to `action`."""
    match = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S)
    assert match, action
    return match.group(1)


def _value(form: str, name: str) -> str:
    match = re.search(r'name="%s"[^>]*value="([^"]*)"' % name, form)
    assert match, name
    return html.unescape(match.group(1))


def _field_refused(page: str, form: str, field: str, message: str) -> None:
    """The page shows the message in the flash and beside the field, which is marked invalid."""
    assert page.count(message) >= 2, message
    assert f'aria-describedby="{form}-{field}-err"' in page and f'id="{form}-{field}-err"' in page


def _staff_on_invoice(client, members: int = 1):
    society, people, ids = billed_society(members=members)
    login(client, people["staff"].email)
    with society_context(society.id):
        invoice = invoice_of(ids[0])
    return society, people, ids, f"/s/{society.slug}/admin/dues/invoices/{invoice.id}"


def test_a_reduction_above_the_bill_or_too_large_is_refused_beside_the_amount(app, client, session):
    society, _people, ids, url = _staff_on_invoice(client)
    token = csrf_token(client, url)
    for amount, message in (("99999", "减缴后的金额须低于本年度全额会费 200.00 元。"),
                            ("99999999999999999999", "金额不能超过 10,000,000.00 元。")):
        response = client.post(f"{url}/exemption", data={"csrf_token": token, "kind": "reduced", "amount": amount,
                                                         "reason": "退休会员减缴"})
        assert response.status_code == 302
        page = client.get(url).get_data(as_text=True)
        _field_refused(page, "exemption", "amount", message)
        assert _value(_form(page, f"{url}/exemption"), "amount") == amount  # what was typed comes back
        assert "元（退休会员减缴）" not in page
        with society_context(society.id):
            assert invoice_of(ids[0]).amount_fen == 20000
        assert _count(society, DuesExemption) == 0
    # shown once: the next visit is a clean form
    assert "exemption-amount-err" not in client.get(url).get_data(as_text=True)


def test_a_refund_submitted_twice_is_recorded_once(app, client, session):
    society, _people, ids, url = _staff_on_invoice(client)
    with society_context(society.id):
        payment = dues.record_payment(society, None, invoice_of(ids[0]), {"method": "cash", "amount": "200"})
        db.session.commit()
        payment_id = payment.id
    page = client.get(url).get_data(as_text=True)
    action = f"/s/{society.slug}/admin/dues/payments/{payment_id}/refund"
    form = _form(page, action)
    data = {"csrf_token": _value(form, "csrf_token"), "once_token": _value(form, "once_token"),
            "reason": "会员多缴，退回", "amount": "50"}
    first = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    again = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    assert "退款已登记。" in first
    assert "该表单此前已提交，本次未重复处理。" in again
    with society_context(society.id):
        db.session.expire_all()
        assert db.session.get(Payment, (society.id, payment_id)).refunded_fen == 5000
        assert invoice_of(ids[0]).paid_fen == 15000
    # a refused refund gives its token back: the same page may be corrected and sent
    fresh = _form(client.get(url).get_data(as_text=True), action)
    bad = {"csrf_token": _value(fresh, "csrf_token"), "once_token": _value(fresh, "once_token"), "reason": "再退",
           "amount": "999"}
    assert client.post(action, data=bad).status_code == 302
    _field_refused(client.get(url).get_data(as_text=True), f"refund-{payment_id}", "amount",
                   "退款金额超过该笔缴费的剩余金额。")
    assert client.post(action, data={**bad, "amount": "10"}).status_code == 302
    with society_context(society.id):
        db.session.expire_all()
        assert db.session.get(Payment, (society.id, payment_id)).refunded_fen == 6000


def test_a_payment_dated_in_the_future_is_refused_beside_the_date(app, client, session):
    society, _people, ids, url = _staff_on_invoice(client)
    page = client.get(url).get_data(as_text=True)
    form = _form(page, f"{url}/payments")
    assert 'max="' in form  # the browser already offers no later day
    data = {"csrf_token": _value(form, "csrf_token"), "once_token": _value(form, "once_token"), "method": "cash",
            "amount": "200", "paid_on": "2099-01-01"}
    assert client.post(f"{url}/payments", data=data).status_code == 302
    page = client.get(url).get_data(as_text=True)
    _field_refused(page, "payment", "paid_on", "到账日期不能晚于今天")
    assert _value(_form(page, f"{url}/payments"), "paid_on") == "2099-01-01"
    assert _count(society, Payment) == 0 and _count(society, Receipt) == 0
    bad_format = {**data, "once_token": _value(_form(page, f"{url}/payments"), "once_token"), "paid_on": "2026-13-01"}
    assert client.post(f"{url}/payments", data=bad_format).status_code == 302
    _field_refused(client.get(url).get_data(as_text=True), "payment", "paid_on", "到账日期请按 YYYY-MM-DD 格式填写。")
    assert _count(society, Payment) == 0


def test_the_schedule_form_refuses_a_year_or_grace_that_is_not_a_whole_number(app, client, session):
    data = two_societies()
    society, people = data["a"]
    dues_society(society, members=0)
    login(client, people["staff"].email)
    url = f"/s/{society.slug}/admin/dues/schedules"
    with society_context(society.id):
        class_id = str(db.session.scalar(select(DuesSchedule.class_id).limit(1)))
        before = sorted((s.class_id, s.dues_year, s.amount_fen, s.grace_days)
                        for s in db.session.scalars(select(DuesSchedule)))
    token = csrf_token(client, url)
    cases = (({"dues_year": "1e3", "grace_days": "30"}, "schedule", "dues_year", "请填写 2000 至 2100 之间的会费年度。"),
             ({"dues_year": str(YEAR), "grace_days": "abc"}, "schedule", "grace_days",
              "宽限期应为 0 至 366 之间的整数天数。"),
             ({"dues_year": str(YEAR), "grace_days": "7.5"}, "schedule", "grace_days",
              "宽限期应为 0 至 366 之间的整数天数。"),
             ({"from_classes": "1", "year": "1e3"}, "from_classes", "year", "请填写 2000 至 2100 之间的会费年度。"))
    for sent, form, field, message in cases:
        response = client.post(url, data={"csrf_token": token, "class_id": class_id, "amount": "333", **sent})
        assert response.status_code == 302, sent
        page = client.get(url).get_data(as_text=True)
        _field_refused(page, form, field, message)
        assert f'value="{sent.get(field)}"' in page
    with society_context(society.id):
        after = sorted((s.class_id, s.dues_year, s.amount_fen, s.grace_days)
                       for s in db.session.scalars(select(DuesSchedule)))
    assert after == before


def test_the_member_cannot_send_a_second_voucher_while_one_awaits_review(app, client, session):
    society, people, ids = billed_society(members=1, user_role="member")
    with society_context(society.id):
        invoice_id = invoice_of(ids[0]).id
    login(client, people["member"].email)
    portal = f"/s/{society.slug}/me/dues/"
    action = f"{portal}{invoice_id}/voucher"
    page = client.get(portal).get_data(as_text=True)
    token = csrf_token(client, portal)
    assert f'action="{action}"' in page
    upload = {"csrf_token": token, "reference": "网银 1", "voucher": (io.BytesIO(b"%PDF-1.4 slip"), "回单.pdf")}
    assert client.post(action, data=upload, content_type="multipart/form-data").status_code == 302
    page = client.get(portal).get_data(as_text=True)
    assert f'action="{action}"' not in page  # the form gives way to a note while the voucher waits
    assert "您的转账凭证正在等待秘书处审核；如被驳回，可重新上传。" in page
    # the page shown before (or a double click) still posts: refused, nothing stored
    again = {"csrf_token": token, "reference": "网银 1", "voucher": (io.BytesIO(b"%PDF-1.4 slip"), "回单.pdf")}
    refused = client.post(action, data=again, content_type="multipart/form-data", follow_redirects=True)
    assert refused.status_code == 200
    assert "该会费账单已有转账凭证等待秘书处审核，请勿重复上传。" in refused.get_data(as_text=True)
    with society_context(society.id):
        payments = db.session.scalars(select(Payment)).all()
        assert [p.state for p in payments] == [PaymentState.pending]
        dues.reject_voucher(society, None, payments[0], {"reason": "金额不符"})
        db.session.commit()
    assert f'action="{action}"' in client.get(portal).get_data(as_text=True)  # rejected: it may be sent again


def test_the_invoice_run_from_its_page_is_audited_in_the_name_of_who_ran_it(app, client, session):
    data = two_societies()
    society, people = data["a"]
    dues_society(society, members=3)
    login(client, people["staff"].email)
    url = f"/s/{society.slug}/admin/dues/run?year={YEAR}"
    page = client.get(url).get_data(as_text=True)  # its one form posts to the page itself
    response = client.post(f"/s/{society.slug}/admin/dues/run", data={
        "csrf_token": _value(page, "csrf_token"), "once_token": _value(page, "once_token"), "year": YEAR})
    assert response.status_code == 302
    with society_context(society.id):
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invoice_run")).all()
    assert event.actor_id == people["staff"].id and event.actor_label == people["staff"].email
    assert event.after == {"dues_year": YEAR, "created": 3}


def test_the_console_shows_the_collection_rate_of_the_societys_dues_page(app, client, session):
    society, people, ids = billed_society(members=4)
    with society_context(society.id):
        for member_id in ids[:2]:
            dues.record_payment(society, None, invoice_of(member_id), {"amount": "200"})
        returned = dues.record_payment(society, None, invoice_of(ids[2]), {"amount": "200"})
        dues.refund(society, None, returned, {"reason": "全额退回"})
        db.session.commit()
    login(client, people["staff"].email)
    dues_page = client.get(f"/s/{society.slug}/admin/dues/?year={YEAR}").get_data(as_text=True)
    assert "66.6%" in dues_page
    client.get("/logout")
    make_admin()
    login(client, "admin@kx.test")
    figures = client.get(f"/association/societies/{society.id}/figures").get_data(as_text=True)
    assert re.search(r'id="dues">[^<]*</dt><dd>66\.6%</dd>', figures), figures[figures.find('id="dues"') - 50:][:200]
