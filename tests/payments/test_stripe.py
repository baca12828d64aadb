"""Stripe Checkout and the webhook, against the local stand-in: signatures, replays, order of events."""
import json

from sqlalchemy import func, select

from society_saas.dues.models import InvoiceState, Payment, PaymentMethod, PaymentState, Receipt, StripeEvent
from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.tenancy.context import society_context
from tests.conftest import csrf_token, login
from tests.dues.helpers import YEAR, invoice_of
from tests.payments.stripe_standin import sign


def _society(society_id):
    from society_saas.tenancy.models import Society

    return db.session.get(Society, society_id)


def _start_checkout(client, shop):
    a = shop["a"]
    login(client, shop["people"]["member"].email)
    with society_context(a.id):
        invoice = invoice_of(shop["member_ids"][0])
    token = csrf_token(client, f"/s/{a.slug}/me/dues/")
    response = client.post(f"/s/{a.slug}/me/dues/{invoice.id}/pay", data={"csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return invoice, response.headers["Location"].rsplit("/", 1)[-1]


def _state(shop):
    with society_context(shop["a"].id):
        db.session.expire_all()
        invoice = invoice_of(shop["member_ids"][0])
        payments = db.session.scalars(select(Payment).where(Payment.invoice_id == invoice.id)).all()
        receipts = db.session.scalar(select(func.count()).select_from(Receipt))
        events = db.session.scalar(select(func.count()).select_from(StripeEvent))
        member = db.session.scalar(select(Member).where(Member.id == invoice.member_id))
        return invoice, payments, receipts, events, member


def test_checkout_pay_and_webhook(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    created = standin.requests[0][2]
    assert created["line_items"][0]["price_data"]["unit_amount"] == "20000"  # fen, an integer
    assert created["line_items"][0]["price_data"]["currency"] == "cny"
    assert created["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    responses = [standin.send(e) for e in standin.pay(sid, method="alipay", send=False)]
    assert all(r.status_code == 200 for r in responses)
    invoice, payments, receipts, events, member = _state(shop)
    assert invoice.state == InvoiceState.paid and invoice.paid_fen == 20000
    assert len(payments) == 1 and payments[0].state == PaymentState.confirmed
    assert payments[0].method == PaymentMethod.alipay and payments[0].provider_payment_ref.startswith("pi_")
    assert receipts == 1 and events == 2
    assert member.valid_until.year == YEAR and member.status == MemberStatus.active


def test_idempotency_key_on_create(app, client, shop, standin):
    _start_checkout(client, shop)
    key = next(iter(standin.idempotent))
    assert key.startswith("checkout-")


def test_forged_signature_is_refused(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    completed = standin.pay(sid, send=False)[0]
    payload = json.dumps(completed)
    forged = sign(payload, "whsec_not_the_societys")
    response = client.post(f"/s/{shop['a'].slug}/stripe/webhook", data=payload, headers={"Stripe-Signature": forged})
    assert response.status_code == 400
    stale = sign(payload, standin.webhook_secret, timestamp=1_000_000_000)  # a replay from long ago
    assert client.post(f"/s/{shop['a'].slug}/stripe/webhook", data=payload, headers={"Stripe-Signature": stale}).status_code == 400
    tampered = payload.replace('"paid"', '"unpaid"')
    header = sign(payload, standin.webhook_secret)
    assert client.post(f"/s/{shop['a'].slug}/stripe/webhook", data=tampered, headers={"Stripe-Signature": header}).status_code == 400
    invoice, payments, receipts, events, _m = _state(shop)
    assert invoice.state == InvoiceState.open and events == 0 and receipts == 0


def test_signature_of_another_society_is_refused(app, client, shop, standin):
    """B's webhook address only accepts events signed with B's secret; A's event there changes nothing in B."""
    from society_saas.payments import services as online

    with app.test_request_context("/"), society_context(shop["b"].id):
        online.save_account(_society(shop["b"].id), None, {"webhook_secret": "whsec_b_only"})
        db.session.commit()
    invoice, sid = _start_checkout(client, shop)
    payload = json.dumps(standin.pay(sid, send=False)[0])
    response = client.post(f"/s/{shop['b'].slug}/stripe/webhook", data=payload,
                           headers={"Stripe-Signature": sign(payload, standin.webhook_secret)})
    assert response.status_code == 400


def test_replayed_event_changes_nothing(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    completed, succeeded = standin.pay(sid, send=False)
    assert standin.send(completed).get_json()["outcome"] == "applied"
    before = _state(shop)
    for _ in range(3):
        response = standin.send(completed)  # Stripe retries: same event id, fresh signature
        assert response.status_code == 200 and response.get_json()["outcome"] == "duplicate"
    after = _state(shop)
    assert (after[0].paid_fen, after[2], after[3]) == (before[0].paid_fen, before[2], before[3]) == (20000, 1, 1)
    assert standin.send(succeeded).get_json()["outcome"] == "applied"  # a different event about the same payment
    assert _state(shop)[2] == 1  # still one receipt


def test_out_of_order_events_end_in_the_right_state(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    completed, succeeded = standin.pay(sid, send=False)
    standin.sessions[sid]["_refunded"] = 20000
    refunded = standin.charge_refunded(sid)
    # Stripe delivers the refund first, then the success events in reverse order.
    assert standin.send(refunded).get_json()["outcome"] == "parked"
    assert standin.send(succeeded).get_json()["outcome"] == "applied"
    assert standin.send(completed).get_json()["outcome"] == "applied"
    invoice, payments, receipts, events, _m = _state(shop)
    assert payments[0].state == PaymentState.refunded and payments[0].refunded_fen == 20000
    assert invoice.state == InvoiceState.refunded and invoice.paid_fen == 0
    assert events == 3 and receipts == 1
    with society_context(shop["a"].id):
        assert db.session.scalar(select(func.count()).select_from(StripeEvent).where(StripeEvent.applied.is_(False))) == 0


def _paid_online_then_secretary(client, shop, standin) -> tuple[str, str, str]:
    """The member pays a checkout in full; the secretary-general signs in. (checkout session id, the
    invoice's page, the payment's refund address)"""
    invoice, sid = _start_checkout(client, shop)
    for e in standin.pay(sid, send=False):
        standin.send(e)
    client.get("/logout")
    login(client, shop["people"]["sec"].email)
    with society_context(shop["a"].id):
        payment = db.session.scalar(select(Payment))
    admin = f"/s/{shop['a'].slug}/admin/dues"
    return sid, f"{admin}/invoices/{invoice.id}", f"{admin}/payments/{payment.id}/refund"


def test_refund_from_the_secretariat_goes_through_stripe(app, client, shop, standin):
    sid, page, url = _paid_online_then_secretary(client, shop, standin)
    response = client.post(url, data={"csrf_token": csrf_token(client, page), "reason": "会员重复缴费"})
    assert response.status_code == 302
    assert standin.requests[-1][1] == "/v1/refunds" and standin.requests[-1][2]["amount"] == "20000"
    assert sorted(k.split("-")[0] for k in standin.idempotent) == ["checkout", "refund"]  # a key on every create
    # Stripe's charge.refunded arrives afterwards and changes nothing more.
    standin.send(standin.charge_refunded(sid))
    invoice, payments, receipts, events, _m = _state(shop)
    assert payments[0].state == PaymentState.refunded and payments[0].refund_reason == "会员重复缴费"
    assert invoice.state == InvoiceState.refunded


def test_part_of_an_online_payment_is_refunded_through_stripe(app, client, shop, standin):
    _sid, page, url = _paid_online_then_secretary(client, shop, standin)
    too_much = client.post(url, data={"csrf_token": csrf_token(client, page), "reason": "退还", "amount": "200.01"})
    assert too_much.status_code == 302 and "/v1/refunds" not in [r[1] for r in standin.requests]
    response = client.post(url, data={"csrf_token": csrf_token(client, page), "reason": "退还多缴部分", "amount": "50"})
    assert response.status_code == 302
    assert standin.requests[-1][1] == "/v1/refunds" and standin.requests[-1][2]["amount"] == "5000"
    invoice, payments, _receipts, _events, _m = _state(shop)
    assert (payments[0].state, payments[0].refunded_fen) == (PaymentState.confirmed, 5000)
    assert (invoice.state, invoice.paid_fen) == (InvoiceState.partly_paid, 15000)


def test_paying_twice_returns_to_the_open_session(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    token = csrf_token(client, f"/s/{shop['a'].slug}/me/dues/")
    again = client.post(f"/s/{shop['a'].slug}/me/dues/{invoice.id}/pay", data={"csrf_token": token})
    assert again.status_code == 303 and again.headers["Location"].rsplit("/", 1)[-1] == sid
    assert [r[1] for r in standin.requests].count("/v1/checkout/sessions") == 1  # no second session
    _invoice, payments, _r, _e, _m = _state(shop)
    assert [p.state for p in payments] == [PaymentState.pending]
    # once Stripe has expired it, the next attempt starts a fresh session and the old payment is cancelled
    standin.sessions[sid]["status"] = "expired"
    third = client.post(f"/s/{shop['a'].slug}/me/dues/{invoice.id}/pay", data={"csrf_token": token})
    assert third.status_code == 303 and third.headers["Location"].rsplit("/", 1)[-1] != sid
    _invoice, payments, _r, _e, _m = _state(shop)
    assert sorted(p.state.value for p in payments) == ["cancelled", "pending"]


def test_a_session_stripe_no_longer_knows_is_cancelled_and_a_late_payment_still_lands(app, client, shop, standin):
    invoice, sid = _start_checkout(client, shop)
    token = csrf_token(client, f"/s/{shop['a'].slug}/me/dues/")
    pay_again = lambda: client.post(f"/s/{shop['a'].slug}/me/dues/{invoice.id}/pay", data={"csrf_token": token})  # noqa: E731
    standin.down = True  # Stripe does not answer: nothing is known, so the checkout stays under way
    assert pay_again().status_code != 303
    assert [p.state for p in _state(shop)[1]] == [PaymentState.pending]
    standin.down = False
    old = standin.sessions.pop(sid)  # the society changed its keys: Stripe knows no such session under them
    again = pay_again()
    assert again.status_code == 303 and again.headers["Location"].rsplit("/", 1)[-1] != sid
    _invoice, payments, _r, _e, _m = _state(shop)
    assert sorted(p.state.value for p in payments) == ["cancelled", "pending"]
    standin.sessions[sid] = old  # ...yet the payer had paid the old one in another tab: its webhook records it
    for event in standin.pay(sid, send=False):
        assert standin.send(event).status_code == 200
    invoice_now, payments, _r, _e, _m = _state(shop)
    assert invoice_now.state == InvoiceState.paid
    assert sorted(p.state.value for p in payments) == ["confirmed", "pending"]


def test_a_society_on_a_connected_account_is_charged_on_that_account(app, client, shop, standin):
    from society_saas.payments import services as online
    from society_saas.payments.models import PaymentAccount

    app.config["STRIPE_PLATFORM_KEY"] = "sk_test_platform"
    with app.test_request_context("/"), society_context(shop["a"].id):
        online.save_account(_society(shop["a"].id), None, {"connected_account_id": "acct_1SocietyA"})
        db.session.scalar(select(PaymentAccount)).secret_key_encrypted = None  # no own keys: the platform's
        db.session.commit()
    invoice, sid = _start_checkout(client, shop)
    assert standin.accounts == ["acct_1SocietyA"]
    for event in standin.pay(sid, send=False):
        assert standin.send(event).status_code == 200  # still verified with the society's signing secret
    assert _state(shop)[0].state == InvoiceState.paid
