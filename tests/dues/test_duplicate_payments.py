"""Money received online for an invoice that is already paid: kept apart to be refunded, never counted twice."""
from sqlalchemy import func, select

from society_saas.dues import services as dues
from society_saas.dues.models import InvoiceState, Payment, PaymentMethod, PaymentState, Receipt
from society_saas.extensions import db
from society_saas.payments import services as online
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.dues.helpers import YEAR, billed_society, invoice_of


def _checkout(society, invoice, n: int) -> Payment:
    """A checkout started for what the invoice owes, as start_checkout leaves it before the payer pays."""
    payment = Payment(society_id=society.id, invoice_id=invoice.id, member_id=invoice.member_id,
                      method=PaymentMethod.stripe_card, amount_fen=invoice.amount_fen - invoice.paid_fen,
                      currency=invoice.currency, provider_ref=f"cs_test_{n}")
    db.session.add(payment)
    db.session.commit()
    return payment


def _event(n: int, type_: str, obj: dict) -> dict:
    return {"id": f"evt_{type_}_{n}", "object": "event", "created": 1_700_000_000 + n, "type": type_,
            "data": {"object": obj}}


def _paid(society, payment: Payment, n: int) -> list[str]:
    """Stripe's two success events for a checkout, recorded as the webhook does."""
    meta = {"payment_id": str(payment.id), "invoice_id": str(payment.invoice_id), "society_id": str(society.id)}
    session = {"id": payment.provider_ref, "object": "checkout.session", "status": "complete", "payment_status": "paid",
               "amount_total": payment.amount_fen, "payment_intent": f"pi_test_{n}", "payment_method_types": ["card"],
               "metadata": meta}
    intent = {"id": f"pi_test_{n}", "object": "payment_intent", "amount": payment.amount_fen,
              "amount_received": payment.amount_fen, "status": "succeeded", "metadata": meta,
              "payment_method_types": ["card"]}
    outcomes = [online.record_event(society, _event(n, "checkout.session.completed", session)),
                online.record_event(society, _event(n, "payment_intent.succeeded", intent))]
    db.session.commit()
    return outcomes


def _totals(society, member_id):
    db.session.expire_all()
    invoice = invoice_of(member_id)
    collected = sum(r["collected_fen"] for r in dues.reports.collection_by_class(YEAR))
    received = sum(r["net_fen"] for r in dues.reports.by_method(YEAR))
    receipts = db.session.scalar(select(func.count()).select_from(Receipt))
    return invoice.state, invoice.paid_fen, collected, received, receipts


def test_a_second_online_payment_is_a_duplicate_to_refund(app, client, rq):
    """Two tabs: both checkouts are paid. The first settles the invoice; the second is recorded as a duplicate
    that the treasurer sees and refunds, and no total counts it."""
    a, people, (member_id,) = billed_society()
    with society_context(a.id):
        invoice = invoice_of(member_id)
        first, second = _checkout(a, invoice, 1), _checkout(a, invoice, 2)
        assert _paid(a, first, 1) == ["applied", "applied"]
        assert _totals(a, member_id) == (InvoiceState.paid, 20000, 20000, 20000, 1)
        assert _paid(a, second, 2) == ["applied", "applied"]
        assert _totals(a, member_id) == (InvoiceState.paid, 20000, 20000, 20000, 1)
        db.session.expire_all()
        assert db.session.get(Payment, (a.id, first.id)).state == PaymentState.confirmed
        duplicate = db.session.get(Payment, (a.id, second.id))
        assert duplicate.state == PaymentState.duplicate and duplicate.provider_payment_ref == "pi_test_2"
        assert [p.id for p, _name, _year in dues.duplicate_payments()] == [second.id]
        invoice_id, first_id, second_id = invoice.id, first.id, second.id
    login(client, people["staff"].email)
    page = client.get(f"/s/{a.slug}/admin/dues/?year={YEAR}").get_data(as_text=True)
    assert "已付款发票" in page and f"/invoices/{invoice_id}" in page
    page = client.get(f"/s/{a.slug}/admin/dues/invoices/{invoice_id}").get_data(as_text=True)
    assert "重复付款，待退款" in page
    assert f"/payments/{second_id}/refund" in page and f"/payments/{first_id}/refund" in page
    with society_context(a.id):
        # Stripe reports the refund: the duplicate is settled, the invoice stays paid once
        charge = {"id": "ch_test_2", "object": "charge", "amount": 20000, "amount_refunded": 20000,
                  "payment_intent": "pi_test_2", "metadata": {}}
        assert online.record_event(a, _event(2, "charge.refunded", charge)) == "applied"
        db.session.commit()
        assert _totals(a, member_id) == (InvoiceState.paid, 20000, 20000, 20000, 1)
        assert db.session.get(Payment, (a.id, second_id)).state == PaymentState.refunded
        assert dues.duplicate_payments() == []


def test_online_payment_after_cash_is_a_duplicate(app, rq):
    """The member paid cash at the office while a checkout was open, then finished the checkout."""
    a, _people, (member_id,) = billed_society()
    with society_context(a.id):
        invoice = invoice_of(member_id)
        online_payment = _checkout(a, invoice, 1)
        dues.record_payment(a, None, invoice, {"method": "cash", "amount": "200"})
        db.session.commit()
        _paid(a, online_payment, 1)
        assert _totals(a, member_id) == (InvoiceState.paid, 20000, 20000, 20000, 1)
        db.session.expire_all()
        assert db.session.get(Payment, (a.id, online_payment.id)).state == PaymentState.duplicate
        assert [r["method"] for r in dues.reports.by_method(YEAR)] == ["cash"]
