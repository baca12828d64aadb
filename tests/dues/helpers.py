"""Builders for dues tests: a society with classes, members and schedules."""
from datetime import date

from sqlalchemy import select

from society_saas.core import jobs
from society_saas.dues import services as dues
from society_saas.dues.models import Invoice
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberStatus
from society_saas.tenancy.context import society_context
from tests.members.helpers import with_classes

YEAR = 2026


def klass(code: str) -> MemberClass:
    """A class of the current society by code."""
    return db.session.scalar(select(MemberClass).where(MemberClass.code == code))


def add_members(society, n: int, code: str = "member", status=MemberStatus.active, user=None, prefix="会员") -> list[Member]:
    """n plain ledger rows (no id numbers needed for dues), flushed."""
    k = klass(code)
    rows = [Member(society_id=society.id, class_id=k.id, name=f"{prefix}{i}", status=status,
                   email=f"m{i}-{code}-{society.slug}@example.cn",
                   user_id=getattr(user, "id", None) if i == 0 else None)
            for i in range(n)]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def dues_society(society, members: int = 3, year: int = YEAR, user=None, due=None) -> dict:
    """Classes from tenants/cs.toml, `members` ordinary members (the first linked to `user`), schedules (due
    `due`, by default 31 March of the year), committed."""
    with_classes(society)
    with society_context(society.id):
        rows = add_members(society, members, user=user)
        dues.schedule_from_classes(society, None, year, due=due or date(year, 3, 31), grace_days=30)
        db.session.commit()
        return {"member_ids": [m.id for m in rows]}


def billed_society(members: int = 1, user_role: str | None = None) -> tuple:
    """Society a of two_societies with `members` members (the first linked to the account of `user_role`)
    and this year's invoices run, committed: (society, its people, the member ids)."""
    from tests.factories import two_societies

    society, people = two_societies()["a"]
    user = people[user_role] if user_role else None
    member_ids = dues_society(society, members=members, user=user)["member_ids"]
    with society_context(society.id):
        dues.run_invoices(society, None, YEAR)
        db.session.commit()
    return society, people, member_ids


def invoice_of(member_id, year: int = YEAR) -> Invoice:
    """The member's invoice for the year."""
    return db.session.scalar(select(Invoice).where(Invoice.member_id == member_id, Invoice.dues_year == year))


def dues_fixture(society) -> dict:
    """One schedule, invoice, payment (pending voucher) and receipt in the society, for the route walk."""
    from society_saas.dues.models import Payment, PaymentState, Receipt
    import io

    with society_context(society.id):
        if db.session.scalar(select(Invoice.id)) is None:
            if db.session.scalar(select(MemberClass.id)) is None:
                with_classes(society)
            add_members(society, 2)
            dues.schedule_from_classes(society, None, YEAR)
            dues.run_invoices(society, None, YEAR)
            first, second = db.session.scalars(select(Invoice).order_by(Invoice.id)).all()[:2]
            dues.record_payment(society, None, first, {"method": "cash", "amount": "100"})
            dues.submit_voucher(society, None, second, io.BytesIO(b"%PDF-1.4 test"), "v.pdf")
            jobs.enqueue(society, None, "dues.invoice_run", {"year": YEAR})
            db.session.commit()
        payment = db.session.scalar(select(Payment).where(Payment.state == PaymentState.pending))
        receipt = db.session.scalar(select(Receipt))
        invoice = db.session.scalar(select(Invoice))
        from society_saas.dues.models import DuesSchedule

        schedule = db.session.scalar(select(DuesSchedule))
        return {"invoice_id": invoice.id, "payment_id": payment.id, "receipt_id": receipt.id,
                "schedule_id": schedule.id, "job_id": db.session.scalar(select(jobs.Job.id))}


def _fixture_id(name):
    return lambda b: dues_fixture(b)[name]


# The entries the platform route walk (tests/platform/test_route_walk.py) needs for this area.
DUES_ROUTES = {
    "dues.index": "society", "dues.schedules": "society", "dues.invoice_run": "society", "dues.invoices": "society",
    "dues.vouchers": "society", "dues.reports": "society", "dues.export_arrears": "society",
    "dues.export_payments": "society", "dues.job": "object", "dues.invoice": "object", "dues.record_payment": "object",
    "dues.void": "object", "dues.fapiao": "object", "dues.exemption": "object", "dues.withdraw_exemption": "object",
    "dues.voucher": "object", "dues.review": "object", "dues.refund": "object", "dues.receipt": "object",
    "my_dues.index": "society", "my_dues.pay": "object", "my_dues.voucher": "object", "my_dues.fapiao": "object",
    "my_dues.receipt": "object", "payment_settings.stripe_settings": "society", "stripe_webhook.webhook": "public",
}
DUES_OBJECT_IDS = {"invoice_id": _fixture_id("invoice_id"), "payment_id": _fixture_id("payment_id"),
                   "receipt_id": _fixture_id("receipt_id"), "job_id": _fixture_id("job_id")}
