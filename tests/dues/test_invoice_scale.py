"""The invoice run for 20,000 members is one INSERT ... SELECT (the bench's invoice_run_20k times it)."""
from sqlalchemy import event, func, insert, select

from society_saas.core.db import new_id, utcnow
from society_saas.dues import services as dues
from society_saas.dues.models import Invoice
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society, klass
from tests.factories import make_society

N = 20_000


def test_invoice_run_for_20000_members_is_one_statement(app, session):
    a = make_society("a")
    dues_society(a, members=0)
    with society_context(a.id):
        class_id, now = klass("member").id, utcnow()
        db.session.execute(insert(Member), [
            {"society_id": a.id, "id": new_id(), "created_at": now, "class_id": class_id, "name": f"会员{i}",
             "status": "active", "nationality": "mainland", "reverify_fields": [], "senior_title": False,
             "front_line": False} for i in range(N)])
        db.session.commit()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            made = dues.run_invoices(a, None, YEAR)
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert made == N
        # one set-based INSERT of the invoices, and the run's one audit event beside it
        assert len([s for s in statements if "INSERT INTO DUES_INVOICE" in s.upper()]) == 1
        assert len([s for s in statements if "INSERT" in s.upper()]) == 2
        assert db.session.scalar(select(func.count()).select_from(Invoice)) == N
        assert db.session.scalar(select(func.sum(Invoice.amount_fen))) == N * 20000
        assert dues.run_invoices(a, None, YEAR) == 0
