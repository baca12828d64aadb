"""The invoice run: one set-based statement, previewable, idempotent; exemptions; voids."""
from datetime import date

import pytest
from sqlalchemy import event, func, select

from society_saas.core.errors import ServiceError
from society_saas.dues import services as dues
from society_saas.dues.models import Invoice, InvoiceState
from society_saas.extensions import db
from society_saas.members.models import MemberStatus
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, add_members, dues_society, invoice_of
from tests.factories import make_society


def _count(society):
    with society_context(society.id):
        return db.session.scalar(select(func.count()).select_from(Invoice))


def test_preview_then_run_is_one_statement_and_idempotent(app, session):
    a, b = make_society("a"), make_society("b")
    ids = dues_society(a, members=5)["member_ids"]
    dues_society(b, members=2)
    with society_context(a.id):
        add_members(a, 2, code="student", prefix="学生")
        add_members(a, 1, status=MemberStatus.resigned, prefix="退会")
        db.session.commit()
        preview = dues.preview_invoice_run(a, YEAR)
        assert preview["count"] == 7 and preview["total_fen"] == 5 * 20000 + 2 * 5000
        db.session.rollback()
        assert _count(a) == 0  # the preview made nothing
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            made = dues.run_invoices(a, None, YEAR)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.commit()
        assert made == 7
        inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
        # the invoices in one INSERT ... SELECT; the run's audit event is the only other row written
        invoice_inserts = [s for s in inserts if s.lstrip().upper().startswith("INSERT INTO DUES_INVOICE")]
        assert len(invoice_inserts) == 1 and "SELECT" in invoice_inserts[0].upper()
        assert [s for s in inserts if s not in invoice_inserts] == [s for s in inserts if "AUDIT_EVENT" in s.upper()]
        assert len(inserts) == 2
        assert dues.run_invoices(a, None, YEAR) == 0  # twice makes nothing new
        db.session.commit()
        invoice = invoice_of(ids[0])
        assert invoice.amount_fen == 20000 and isinstance(invoice.amount_fen, int)
        assert invoice.state == InvoiceState.open and invoice.due_date == date(YEAR, 3, 31)
        assert invoice.grace_until == date(YEAR, 4, 30)
        assert invoice.id.version == 7
    assert _count(a) == 7 and _count(b) == 0  # B untouched


def test_exemptions_and_reductions(app, rq):
    a = make_society("a")
    ids = dues_society(a, members=3)["member_ids"]
    with society_context(a.id):
        from society_saas.members.models import Member

        m0, m1 = (db.session.get(Member, (a.id, i)) for i in ids[:2])
        with pytest.raises(ServiceError):
            dues.grant_exemption(a, None, m0, {"dues_year": YEAR, "kind": "exempt", "reason": " "})
        dues.grant_exemption(a, None, m0, {"dues_year": YEAR, "kind": "exempt", "reason": "困难会员"})
        dues.grant_exemption(a, None, m1, {"dues_year": YEAR, "kind": "reduced", "amount": "50.50", "reason": "退休"})
        assert dues.run_invoices(a, None, YEAR) == 2
        db.session.commit()
        assert invoice_of(ids[0]) is None
        assert invoice_of(ids[1]).amount_fen == 5050


def test_void_needs_a_reason_and_no_payment(app, rq):
    a = make_society("a")
    ids = dues_society(a, members=2)["member_ids"]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        inv0, inv1 = invoice_of(ids[0]), invoice_of(ids[1])
        with pytest.raises(ServiceError):
            dues.void_invoice(a, None, inv0, {"reason": ""})
        dues.void_invoice(a, None, inv0, {"reason": "重复开具"})
        dues.record_payment(a, None, inv1, {"method": "cash", "amount": "10"})
        with pytest.raises(ServiceError):
            dues.void_invoice(a, None, inv1, {"reason": "x"})
        db.session.commit()
        assert inv0.state == InvoiceState.void and inv0.void_reason == "重复开具"
        assert dues.run_invoices(a, None, YEAR) == 0  # a void invoice still counts as made


def test_institutional_dues_and_exemptions_after_the_run(app, rq):
    from society_saas.core import audit
    from society_saas.core.audit import AuditEvent
    from society_saas.members.models import Member

    a = make_society("a")
    ids = dues_society(a, members=2)["member_ids"]
    audit.set_actor(None, "staff@a.test")
    with society_context(a.id):
        [institution] = add_members(a, 1, code="institutional", prefix="示例研究院")
        assert dues.run_invoices(a, None, YEAR) == 3
        assert invoice_of(institution.id).amount_fen == 500000  # the institutional class's own dues
        m0, m1 = (db.session.get(Member, (a.id, i)) for i in ids)
        dues.grant_exemption(a, None, m0, {"dues_year": YEAR, "kind": "exempt", "reason": "受灾困难会员"})
        dues.grant_exemption(a, None, m1, {"dues_year": YEAR, "kind": "reduced", "amount": "100", "reason": "退休会员减半"})
        db.session.commit()
        assert (invoice_of(ids[0]).state, invoice_of(ids[0]).void_reason) == (InvoiceState.void, "受灾困难会员")
        assert (invoice_of(ids[1]).amount_fen, invoice_of(ids[1]).state) == (10000, InvoiceState.open)
        voided = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Invoice",
                                                             AuditEvent.action == "update")).all()
        assert any((e.after or {}).get("void_reason") == "受灾困难会员" for e in voided)
    audit.clear_actor()


def test_fapiao_details_are_checked_and_kept(app, rq):
    a = make_society("a")
    ids = dues_society(a, members=1)["member_ids"]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        invoice = invoice_of(ids[0])
        for bad in ("123", "91110000-12345678X", "9" * 21):
            with pytest.raises(ServiceError) as exc:
                dues.set_fapiao(a, None, invoice, {"fapiao_title": "示例大学", "fapiao_tax_number": bad})
            assert exc.value.field == "fapiao_tax_number"
        dues.set_fapiao(a, None, invoice, {"fapiao_title": " 示例大学 ", "fapiao_tax_number": "91110000123456789x"})
        db.session.commit()
        assert (invoice.fapiao_title, invoice.fapiao_tax_number) == ("示例大学", "91110000123456789X")
