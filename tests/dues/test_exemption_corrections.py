"""A treasurer's mistaken exemption or reduction (减免) can be put right: a reduction corrected either way below the
year's full dues, an exemption or reduction withdrawn with a reason (the invoice owes the full dues again, an invoice
the exemption voided is open again), through the invoice page, in Chinese, audited, and never across societies."""
import pytest
from sqlalchemy import func, select

from society_saas.core.audit import AuditEvent
from society_saas.core.errors import ServiceError
from society_saas.dues import services as dues
from society_saas.dues.models import DuesExemption, InvoiceState
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.conftest import login, post_form
from tests.dues.helpers import YEAR, billed_society, invoice_of


def _grant(society, member_id, kind="reduced", amount=None, reason="退休会员减缴"):
    member = db.session.get(Member, (society.id, member_id))
    return dues.grant_exemption(society, None, member, {"dues_year": YEAR, "kind": kind, "amount": amount,
                                                        "reason": reason})


def _exemptions() -> int:
    return db.session.scalar(select(func.count()).select_from(DuesExemption))


def test_a_reduction_is_corrected_up_or_down_below_the_full_dues(app, session):
    society, _people, (member_id,) = billed_society()
    with society_context(society.id):
        _grant(society, member_id, amount="100")
        assert invoice_of(member_id).amount_fen == 10000
        _grant(society, member_id, amount="150", reason="按新标准减缴")  # typed 100 by mistake: raised to 150
        invoice = invoice_of(member_id)
        assert (invoice.amount_fen, invoice.state) == (15000, InvoiceState.open)
        assert dues.exemption_of(invoice).reason == "按新标准减缴" and _exemptions() == 1
        with pytest.raises(ServiceError) as refused:
            _grant(society, member_id, amount="200")  # the full dues are no reduction
        assert refused.value.field == "amount" and "200.00" in refused.value.message
        assert invoice_of(member_id).amount_fen == 15000


def test_withdrawing_a_reduction_asks_the_full_dues_and_a_paid_invoice_owes_the_rest(app, session):
    society, _people, (member_id,) = billed_society()
    with society_context(society.id):
        _grant(society, member_id, amount="100")
        invoice = invoice_of(member_id)
        dues.record_payment(society, None, invoice, {"method": "cash", "amount": "100"})
        assert invoice.state == InvoiceState.paid
        dues.withdraw_exemption(society, None, invoice, {"reason": "不符合减缴条件"})
        invoice = invoice_of(member_id)
        assert (invoice.amount_fen, invoice.paid_fen, invoice.state) == (20000, 10000, InvoiceState.partly_paid)
        assert _exemptions() == 0
        logged = db.session.scalars(select(AuditEvent.after).where(AuditEvent.action == "exemption_withdrawn")).all()
        assert logged == [{"reason": "不符合减缴条件"}]


def test_withdrawing_a_full_exemption_opens_the_invoice_it_voided_but_not_one_voided_by_hand(app, session):
    society, _people, (first, second) = billed_society(members=2)
    with society_context(society.id):
        _grant(society, first, kind="exempt", reason="困难会员免缴")
        assert invoice_of(first).state == InvoiceState.void
        dues.withdraw_exemption(society, None, invoice_of(first), {"reason": "误操作"})
        invoice = invoice_of(first)
        assert (invoice.state, invoice.amount_fen, invoice.void_reason) == (InvoiceState.open, 20000, None)
        # an invoice voided by hand for its own reason stays void when a later exemption is withdrawn
        dues.void_invoice(society, None, invoice_of(second), {"reason": "会员已退会"})
        _grant(society, second, kind="exempt", reason="困难会员免缴")
        dues.withdraw_exemption(society, None, invoice_of(second), {"reason": "误操作"})
        assert (invoice_of(second).state, invoice_of(second).void_reason) == (InvoiceState.void, "会员已退会")


def test_a_withdrawal_without_a_reason_or_an_exemption_is_refused_and_changes_nothing(app, session):
    society, _people, (member_id,) = billed_society()
    with society_context(society.id):
        with pytest.raises(ServiceError) as refused:
            dues.withdraw_exemption(society, None, invoice_of(member_id), {"reason": "误操作"})
        assert refused.value.field == "reason" and "减免" in refused.value.message
        _grant(society, member_id, amount="100")
        with pytest.raises(ServiceError) as refused:
            dues.withdraw_exemption(society, None, invoice_of(member_id), {"reason": "  "})
        assert refused.value.field == "reason"
        assert (invoice_of(member_id).amount_fen, _exemptions()) == (10000, 1)


def test_the_invoice_page_withdraws_the_exemption_and_another_society_gets_404(app, client):
    society, people, (member_id,) = billed_society()
    with society_context(society.id):
        _grant(society, member_id, kind="exempt", reason="困难会员免缴")
        db.session.commit()
        invoice_id = invoice_of(member_id).id
    login(client, people["staff"].email)
    url = f"/s/{society.slug}/admin/dues/invoices/{invoice_id}"
    page = client.get(url).get_data(as_text=True)
    assert "困难会员免缴" in page and "撤销减免" in page
    refused = post_form(client, f"{url}/exemption/withdraw", {"reason": " "}, page=url)
    assert refused.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'id="withdraw-reason-err"' in page and "请填写原因。" in page.split('id="withdraw-reason-err"')[1][:200]
    with society_context(society.id):
        assert invoice_of(member_id).state == InvoiceState.void
    assert post_form(client, f"{url}/exemption/withdraw", {"reason": "误操作"}, page=url).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "减免已撤销，账单恢复为全额会费。" in page and "撤销减免" not in page
    with society_context(society.id):
        assert (invoice_of(member_id).state, invoice_of(member_id).amount_fen) == (InvoiceState.open, 20000)
    login(client, "sec@b.test")
    other = f"/s/b/admin/dues/invoices/{invoice_id}/exemption/withdraw"
    assert post_form(client, other, {"reason": "误操作"}, page="/s/b/admin/dues/").status_code == 404
