"""The method the payer actually used (card, Alipay, WeChat Pay) is recorded and printed on the receipt.

Stripe's `payment_method_types` is the list the payer was offered, the same for every payment; the method
used is only on the PaymentIntent's charge and PaymentMethod, which event payloads name by id.
"""
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from society_saas.dues.models import InvoiceState, PaymentMethod, PaymentState, Receipt, StripeEvent
from society_saas.dues.services.receipts import receipt_context
from society_saas.extensions import db
from tests.payments.test_stripe import _society, _start_checkout, _state

OFFERED = ["card", "alipay", "wechat_pay"]


def _intent_retrieves(standin) -> list[dict]:
    return [params for verb, path, params in standin.requests if verb == "GET" and path.startswith("/v1/payment_intents/")]


def _receipt_text(client, shop, tmp_path) -> tuple[str, str]:
    """(the receipt's method label, the text of its PDF as the member downloads it; "" without pdftotext)"""
    from society_saas.tenancy.context import society_context

    with society_context(shop["a"].id):
        receipt = db.session.scalar(select(Receipt))
        label = receipt_context(receipt)["method"]
    pdf = client.get(f"/s/{shop['a'].slug}/me/dues/receipts/{receipt.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return label, ""
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return label, "".join(text.split())


@pytest.mark.parametrize(("method", "recorded", "receipt_label", "portal_label"), [
    ("card", PaymentMethod.stripe_card, "在线支付（银行卡）", "银行卡（在线）"),
    ("alipay", PaymentMethod.alipay, "支付宝", "支付宝"),
    ("wechat_pay", PaymentMethod.wechat_pay, "微信支付", "微信支付"),
])
def test_the_method_paid_with_is_recorded_and_on_the_receipt(app, client, shop, standin, tmp_path, method, recorded,
                                                              receipt_label, portal_label):
    invoice, sid = _start_checkout(client, shop)
    completed, succeeded = standin.pay(sid, method=method)
    # as on Stripe: every payload lists all three offered methods and names the charge by id only
    assert completed["data"]["object"]["payment_method_types"] == OFFERED
    assert succeeded["data"]["object"]["payment_method_types"] == OFFERED
    assert isinstance(succeeded["data"]["object"]["latest_charge"], str)
    invoice, payments, receipts, _events, _m = _state(shop)
    assert invoice.state == InvoiceState.paid and receipts == 1
    assert [(p.state, p.method) for p in payments] == [(PaymentState.confirmed, recorded)]
    # the first event asked Stripe once, with the charge and PaymentMethod expanded; the second needed nothing
    assert _intent_retrieves(standin) == [{"expand": ["latest_charge", "payment_method"]}]
    label, pdf_text = _receipt_text(client, shop, tmp_path)
    assert label == receipt_label
    if pdf_text:
        assert receipt_label in pdf_text
        assert all(other not in pdf_text for other in ("在线支付（银行卡）", "支付宝", "微信支付") if other != receipt_label)
    page = client.get(f"/s/{shop['a'].slug}/me/dues/").get_data(as_text=True)
    assert f"{portal_label} · 200.00" in page


def test_an_event_that_carries_the_method_needs_no_call(app, client, shop, standin):
    """A PaymentIntent rendered in an API version before 2022-11-15 embeds its charges: nothing to ask Stripe."""
    invoice, sid = _start_checkout(client, shop)
    completed, succeeded = standin.pay(sid, method="wechat_pay", send=False)
    intent = succeeded["data"]["object"]
    charge = standin.charges.pop(intent.pop("latest_charge"))  # gone from the stand-in: a retrieve would fail
    intent["charges"] = {"object": "list", "data": [charge], "has_more": False}
    assert standin.send(succeeded).get_json()["outcome"] == "applied"
    assert standin.send(completed).get_json()["outcome"] == "applied"  # already received: nothing to ask either
    _invoice, payments, receipts, _e, _m = _state(shop)
    assert [(p.state, p.method) for p in payments] == [(PaymentState.confirmed, PaymentMethod.wechat_pay)]
    assert receipts == 1 and _intent_retrieves(standin) == []


def test_a_society_offering_one_method_needs_no_call(app, client, shop, standin):
    from society_saas.payments import services as online
    from society_saas.tenancy.context import society_context

    with app.test_request_context("/"), society_context(shop["a"].id):
        online.save_account(_society(shop["a"].id), None, {"methods": ["alipay"]})
        db.session.commit()
    invoice, sid = _start_checkout(client, shop)
    assert standin.requests[0][2]["payment_method_types"] == ["alipay"]
    standin.pay(sid, method="alipay")
    _invoice, payments, _r, _e, _m = _state(shop)
    assert [p.method for p in payments] == [PaymentMethod.alipay] and _intent_retrieves(standin) == []


def test_a_method_type_we_do_not_know_is_recorded_as_other(app, client, shop, standin, tmp_path):
    invoice, sid = _start_checkout(client, shop)
    standin.sessions[sid]["payment_method_types"].append("paynow")  # a type Stripe offered that we have no method for
    responses = [standin.send(e) for e in standin.pay(sid, method="paynow", send=False)]
    assert [r.status_code for r in responses] == [200, 200]
    invoice, payments, receipts, _e, _m = _state(shop)
    assert invoice.state == InvoiceState.paid and receipts == 1
    assert [(p.state, p.method) for p in payments] == [(PaymentState.confirmed, PaymentMethod.other)]
    assert _receipt_text(client, shop, tmp_path)[0] == "其他"


def test_when_stripe_cannot_say_the_event_is_refused_and_applied_when_sent_again(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    events = standin.pay(sid, method="alipay", send=False)
    standin.down = True
    assert [standin.send(e).status_code for e in events] == [503, 503]
    invoice, payments, receipts, recorded, _m = _state(shop)
    assert invoice.state == InvoiceState.open and recorded == 0 and receipts == 0
    assert [p.state for p in payments] == [PaymentState.pending]
    standin.down = False
    assert [standin.send(e).get_json()["outcome"] for e in events] == ["applied", "applied"]  # Stripe's redelivery
    invoice, payments, receipts, recorded, _m = _state(shop)
    assert [(p.state, p.method) for p in payments] == [(PaymentState.confirmed, PaymentMethod.alipay)]
    assert invoice.state == InvoiceState.paid and receipts == 1 and recorded == 2


def test_a_parked_event_stripe_cannot_complete_does_not_hold_up_the_others(app, client, shop, standin):
    """An async payment: the session completes unpaid and links the PaymentIntent, whose success came first and
    was parked. Stripe being down leaves that one parked; the session's own event still applies."""
    from society_saas.tenancy.context import society_context

    invoice, sid = _start_checkout(client, shop)
    completed, succeeded = standin.pay(sid, method="wechat_pay", send=False)
    succeeded["data"]["object"]["metadata"] = {}  # nothing names our payment until the session links the intent
    assert standin.send(succeeded).get_json()["outcome"] == "parked"
    unpaid = standin.event("checkout.session.completed", {**completed["data"]["object"], "payment_status": "unpaid"})
    standin.down = True
    assert standin.send(unpaid).get_json()["outcome"] == "applied"
    _invoice, payments, _r, _e, _m = _state(shop)
    intent_id = completed["data"]["object"]["payment_intent"]
    assert [(p.state, p.provider_payment_ref) for p in payments] == [(PaymentState.pending, intent_id)]
    standin.down = False
    paid = standin.event("checkout.session.async_payment_succeeded", completed["data"]["object"])
    assert standin.send(paid).get_json()["outcome"] == "applied"
    invoice, payments, receipts, _e, _m = _state(shop)
    assert [(p.state, p.method) for p in payments] == [(PaymentState.confirmed, PaymentMethod.wechat_pay)]
    assert invoice.state == InvoiceState.paid and receipts == 1
    with society_context(shop["a"].id):
        assert db.session.scalar(select(func.count()).select_from(StripeEvent).where(StripeEvent.applied.is_(False))) == 0
