"""Money received beyond an invoice's amount: held apart as the overpayment, never counted as collected,
shown to the treasurer to refund and to the member; the migration settles invoices paid before it."""
import io

from sqlalchemy import select, text, update

from society_saas.dues import services as dues
from society_saas.dues.models import Invoice, InvoiceState, Payment, PaymentState
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.payments import services as online
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.dues.helpers import YEAR, billed_society, invoice_of
from tests.dues.test_duplicate_payments import _checkout, _event, _paid
from tests.migration_support import downgraded_to


def _state(member_id):
    db.session.expire_all()
    invoice = invoice_of(member_id)
    collected = sum(r["collected_fen"] for r in dues.reports.collection_by_class(YEAR))
    return invoice.state, invoice.paid_fen, invoice.overpaid_fen, collected


def test_a_checkout_paid_after_a_transfer_counts_the_invoice_once_and_holds_the_excess(app, client, rq):
    """A member opened a checkout for the whole 200 yuan, the secretariat then recorded a 50-yuan transfer,
    and the member finished the checkout: 250 yuan came in for a 200-yuan invoice."""
    a, people, (member_id,) = billed_society(user_role="member")
    staff_email, member_email = people["staff"].email, people["member"].email
    with society_context(a.id):
        invoice = invoice_of(member_id)
        checkout = _checkout(a, invoice, 1)
        dues.record_payment(a, None, invoice, {"method": "bank_transfer", "amount": "50"})
        db.session.commit()
        assert _state(member_id) == (InvoiceState.partly_paid, 5000, 0, 5000)
        assert _paid(a, checkout, 1) == ["applied", "applied"]
        # paid once, in full; the 50 yuan beyond the amount is held, and no collection figure counts it
        assert _state(member_id) == (InvoiceState.paid, 20000, 5000, 20000)
        assert db.session.get(Payment, (a.id, checkout.id)).state == PaymentState.confirmed
        # the money that came in, by method, is what the statements show
        assert sorted((r["method"], r["net_fen"]) for r in dues.reports.by_method(YEAR)) == [
            ("bank_transfer", 5000), ("stripe_card", 20000)]
        assert [(inv.id, inv.overpaid_fen) for inv, _name in dues.overpaid_invoices()] == [(invoice.id, 5000)]
        invoice_id, checkout_id = invoice.id, checkout.id
    login(client, staff_email)
    page = client.get(f"/s/{a.slug}/admin/dues/?year={YEAR}").get_data(as_text=True)
    assert "有 1 张发票收款超过应缴金额，请退还多收部分" in page and f"/invoices/{invoice_id}" in page and "50.00" in page
    page = client.get(f"/s/{a.slug}/admin/dues/invoices/{invoice_id}").get_data(as_text=True)
    assert "多收（元）" in page and "超出应缴金额" in page
    # the refund form of the online payment offers the excess, not the whole payment
    refund_form = page[page.index(f"/payments/{checkout_id}/refund"):]
    assert 'value="50.00"' in refund_form[:refund_form.index("</form>")]
    member_client = app.test_client()
    login(member_client, member_email)
    page = member_client.get(f"/s/{a.slug}/me/dues/").get_data(as_text=True)
    assert "您比本期会费多缴了 50.00 元，学会将予以退还。" in page
    with society_context(a.id):
        # the treasurer refunds the 50 yuan on Stripe; its notice settles the overpayment
        charge = {"id": "ch_test_1", "object": "charge", "amount": 20000, "amount_refunded": 5000,
                  "payment_intent": "pi_test_1", "metadata": {}}
        assert online.record_event(a, _event(1, "charge.refunded", charge)) == "applied"
        db.session.commit()
        assert _state(member_id) == (InvoiceState.paid, 20000, 0, 20000)
        assert dues.overpaid_invoices() == []


def test_dues_reduced_below_what_was_paid_leave_the_difference_to_refund(app, rq):
    a, _people, (member_id,) = billed_society()
    with society_context(a.id):
        invoice = invoice_of(member_id)
        dues.record_payment(a, None, invoice, {"method": "cash", "amount": "150"})
        member = db.session.get(Member, (a.id, member_id))
        dues.grant_exemption(a, None, member, {"dues_year": YEAR, "kind": "reduced", "amount": "100",
                                               "reason": "困难减免"})
        db.session.commit()
        assert _state(member_id) == (InvoiceState.paid, 10000, 5000, 10000)
        # a partial cash refund of the excess settles it
        payment = db.session.scalars(select(Payment).where(Payment.invoice_id == invoice.id)).one()
        dues.refund(a, None, payment, {"reason": "退还多收", "amount": "50"})
        db.session.commit()
        assert _state(member_id) == (InvoiceState.paid, 10000, 0, 10000)


def test_the_migration_settles_invoices_paid_beyond_their_amount_and_its_downgrade_restores_them(app, db_backend):
    a, _people, (member_id, _other) = billed_society(members=2)
    with society_context(a.id):
        invoice = invoice_of(member_id)
        dues.record_payment(a, None, invoice, {"method": "cash", "amount": "200"})
        # an extra 30 yuan confirmed on the invoice, as before the overpayment was held apart
        db.session.add(Payment(society_id=a.id, invoice_id=invoice.id, member_id=member_id, method="cash",
                               amount_fen=3000, currency="CNY", state=PaymentState.confirmed))
        db.session.execute(update(Invoice).where(Invoice.id == invoice.id).values(paid_fen=23000, overpaid_fen=0))
        db.session.commit()
    with downgraded_to(app, "0002"), society_context(a.id):
        assert db.session.execute(text("SELECT paid_fen FROM dues_invoice WHERE paid_fen > amount_fen")).all() == [(23000,)]
    with society_context(a.id):
        assert _state(member_id) == (InvoiceState.paid, 20000, 3000, 20000)
        # the other member's invoice, never paid, is untouched
        assert [(inv.paid_fen, inv.overpaid_fen) for inv in db.session.scalars(select(Invoice))
                if inv.member_id != member_id] == [(0, 0)]


def test_a_transfer_confirmed_after_other_payments_is_recorded_and_its_excess_held(app, rq):
    """Vouchers are confirmed from the bank statement: the money came in. A transfer for the whole 200 yuan,
    confirmed after 150 yuan in cash, settles the invoice and holds 150; one confirmed after the invoice
    was paid in full is a duplicate, kept apart to refund."""
    a, _people, (first, second) = billed_society(members=2)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    with society_context(a.id):
        voucher = dues.submit_voucher(a, None, invoice_of(first), io.BytesIO(png), "转账.png")
        dues.record_payment(a, None, invoice_of(first), {"method": "cash", "amount": "150"})
        dues.confirm_voucher(a, None, voucher)
        db.session.commit()
        assert _state(first)[:3] == (InvoiceState.paid, 20000, 15000)
        assert voucher.state == PaymentState.confirmed

        late = dues.submit_voucher(a, None, invoice_of(second), io.BytesIO(png), "转账.png")
        dues.record_payment(a, None, invoice_of(second), {"method": "cash", "amount": "200"})
        dues.confirm_voucher(a, None, late)
        db.session.commit()
        assert late.state == PaymentState.duplicate
        assert (invoice_of(second).paid_fen, invoice_of(second).overpaid_fen) == (20000, 0)
        assert [p.id for p, _name, _year in dues.duplicate_payments()] == [late.id]


def test_a_transfer_for_an_invoice_voided_meanwhile_is_kept_apart_to_refund(app, rq):
    """The same rule as for an online payment: money that came in for an invoice that owes nothing any more
    counts toward nothing and waits for its refund."""
    a, _people, (member_id,) = billed_society()
    with society_context(a.id):
        voucher = dues.submit_voucher(a, None, invoice_of(member_id), io.BytesIO(b"%PDF-1.4 bank slip"), "回单.pdf")
        dues.void_invoice(a, None, invoice_of(member_id), {"reason": "会员已退会"})
        dues.confirm_voucher(a, None, voucher)
        db.session.commit()
        invoice = invoice_of(member_id)
        assert (invoice.state, invoice.paid_fen, invoice.overpaid_fen) == (InvoiceState.void, 0, 0)
        assert [p.id for p, _name, _year in dues.duplicate_payments()] == [voucher.id]
