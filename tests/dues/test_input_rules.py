"""The dues services refuse bad input by field and change nothing: reductions that raise a bill, amounts too large
to store, payments dated in the future or long before their year, schedule years and grace periods that are not
whole numbers, a second pending voucher; the invoice run is audited; one rule for what counts as due."""
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from society_saas.core.audit import AuditEvent
from society_saas.core.clock import today_cn
from society_saas.core.errors import ServiceError
from society_saas.dues import services as dues
from society_saas.dues.models import (DUE_STATES, DuesExemption, DuesSchedule, InvoiceState, Payment, PaymentState,
                                      Receipt)
from society_saas.dues.services.common import MAX_FEN, parse_fen
from society_saas.extensions import db
from society_saas.members.models import Member
from society_saas.oversight import queries
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, billed_society, dues_society, invoice_of, klass
from tests.factories import make_society

HUGE = "99999999999999999999"


def _refused(field: str, call, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        call(*args, **kwargs)
    assert refused.value.field == field and field in refused.value.errors, refused.value.errors
    db.session.rollback()
    return refused.value


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# 1. a reduction lowers the bill, and no amount overflows the database

def test_a_reduction_not_below_the_full_dues_is_refused_and_changes_nothing(app, rq):
    society, _people, ids = billed_society(members=1)
    with society_context(society.id):
        member = db.session.get(Member, (society.id, ids[0]))
        for amount in ("99999", "200", "200.00", 20000):
            error = _refused("amount", dues.grant_exemption, society, None, member,
                             {"dues_year": YEAR, "kind": "reduced", "amount": amount, "reason": "退休会员"})
            assert "200.00" in error.message
        assert invoice_of(ids[0]).amount_fen == 20000 and invoice_of(ids[0]).state == InvoiceState.open
        assert _count(DuesExemption) == 0
        dues.grant_exemption(society, None, member, {"dues_year": YEAR, "kind": "reduced", "amount": "150",
                                                     "reason": "退休会员"})
        db.session.commit()
        assert invoice_of(ids[0]).amount_fen == 15000
        # the bound stays the full dues, not the reduced amount: a reduction to 150 corrected to 180 is still one,
        # the full 200 is none
        _refused("amount", dues.grant_exemption, society, None, member,
                 {"dues_year": YEAR, "kind": "reduced", "amount": "200", "reason": "改为 200"})
        assert invoice_of(ids[0]).amount_fen == 15000
        dues.grant_exemption(society, None, member, {"dues_year": YEAR, "kind": "reduced", "amount": "180",
                                                     "reason": "改为 180"})
        assert invoice_of(ids[0]).amount_fen == 18000


def test_a_reduction_before_the_run_is_bounded_by_the_schedule(app, rq):
    society = make_society("a")
    ids = dues_society(society, members=1)["member_ids"]
    with society_context(society.id):
        member = db.session.get(Member, (society.id, ids[0]))
        _refused("amount", dues.grant_exemption, society, None, member,
                 {"dues_year": YEAR, "kind": "reduced", "amount": "250", "reason": "退休会员"})
        assert _count(DuesExemption) == 0


def test_a_reduction_granted_before_its_schedule_never_raises_the_run(app, rq):
    society = make_society("a")
    ids = dues_society(society, members=1)["member_ids"]
    later = YEAR + 1
    with society_context(society.id):
        member = db.session.get(Member, (society.id, ids[0]))
        # no schedule for next year yet: nothing to compare with, so it is kept as given...
        dues.grant_exemption(society, None, member, {"dues_year": later, "kind": "reduced", "amount": "300",
                                                     "reason": "预先减缴"})
        dues.schedule_from_classes(society, None, later)
        assert dues.preview_invoice_run(society, later)["total_fen"] == 20000
        assert dues.run_invoices(society, None, later) == 1
        db.session.commit()
        # ...but the run charges the schedule's 200 yuan, not the 300 of the "reduction"
        assert invoice_of(ids[0], later).amount_fen == 20000


@pytest.mark.parametrize("amount", [HUGE, "1" + "0" * 5000, "10000000.01", MAX_FEN + 1])
def test_an_amount_too_large_to_store_is_a_field_error_not_a_crash(app, rq, amount):
    with pytest.raises(ServiceError) as refused:
        parse_fen(amount)
    assert refused.value.field == "amount" and "10,000,000.00" in refused.value.message
    assert parse_fen("10000000") == MAX_FEN


def test_huge_amounts_are_refused_by_every_form_that_takes_one(app, rq):
    society, _people, ids = billed_society(members=1)
    with society_context(society.id):
        member = db.session.get(Member, (society.id, ids[0]))
        _refused("amount", dues.grant_exemption, society, None, member,
                 {"dues_year": YEAR, "kind": "reduced", "amount": HUGE, "reason": "减缴"})
        _refused("amount", dues.set_schedule, society, None,
                 {"dues_year": YEAR, "class_id": klass("member").id, "amount": HUGE})
        assert db.session.scalar(select(DuesSchedule.amount_fen).where(
            DuesSchedule.class_id == klass("member").id, DuesSchedule.dues_year == YEAR)) == 20000
        _refused("amount", dues.record_payment, society, None, invoice_of(ids[0]), {"amount": HUGE})
        assert _count(Payment) == 0 and _count(DuesExemption) == 0


# 3. a payment is received on a real day: not in the future, not years before its dues year

@pytest.mark.parametrize("paid_on", [date(2099, 1, 1), "2099-01-01", "future", date(YEAR - 2, 12, 31), "1900-01-01",
                                     "2026-02-30"])
def test_a_payment_dated_after_today_or_long_before_its_year_is_refused(app, rq, paid_on):
    society, _people, ids = billed_society(members=1)
    if paid_on == "future":
        paid_on = today_cn() + timedelta(days=1)
    with society_context(society.id):
        _refused("paid_on", dues.record_payment, society, None, invoice_of(ids[0]),
                 {"method": "cash", "amount": "200", "paid_on": paid_on})
        assert _count(Payment) == 0 and _count(Receipt) == 0
        assert invoice_of(ids[0]).state == InvoiceState.open


def test_a_payment_received_today_or_in_the_year_before_is_recorded(app, rq):
    society, _people, ids = billed_society(members=2)
    with society_context(society.id):
        dues.record_payment(society, None, invoice_of(ids[0]), {"amount": "200", "paid_on": today_cn()})
        early = dues.record_payment(society, None, invoice_of(ids[1]), {"amount": "200", "paid_on": f"{YEAR - 1}-01-01"})
        db.session.commit()
        assert early.paid_on == date(YEAR - 1, 1, 1) and _count(Receipt) == 2


def test_today_is_shanghais_day_not_the_servers(app, rq, monkeypatch):
    import society_saas.core.clock as clock

    class LateEveningUTC(datetime):
        @classmethod
        def now(cls, tz=None):  # 18:30 UTC on 3 December is 02:30 on 4 December in Shanghai
            return datetime(YEAR, 12, 3, 18, 30, tzinfo=timezone.utc).astimezone(tz)

    monkeypatch.setattr(clock, "datetime", LateEveningUTC)
    society, _people, ids = billed_society(members=2)
    with society_context(society.id):
        assert dues.record_payment(society, None, invoice_of(ids[0]), {"amount": "200", "paid_on": date(YEAR, 12, 4)})
        _refused("paid_on", dues.record_payment, society, None, invoice_of(ids[1]),
                 {"amount": "200", "paid_on": date(YEAR, 12, 5)})


# 4. a schedule's year and grace period are whole numbers, said so by field

@pytest.mark.parametrize("field, value", [("dues_year", "1e3"), ("dues_year", "2026.0"), ("dues_year", "abc"),
                                          ("dues_year", "1999"), ("grace_days", "1e3"), ("grace_days", "1.5"),
                                          ("grace_days", "三十"), ("grace_days", "-1"), ("grace_days", "367"),
                                          ("due_date", date(9999, 12, 31))])
def test_a_schedule_with_a_bad_year_grace_or_due_date_is_refused_by_field(app, rq, field, value):
    society = make_society("a")
    dues_society(society, members=0)
    with society_context(society.id):
        data = {"dues_year": str(YEAR), "class_id": klass("member").id, "amount": "333", "grace_days": "60", field: value}
        _refused(field, dues.set_schedule, society, None, data)
        amounts = set(db.session.scalars(select(DuesSchedule.amount_fen)))
        assert 33300 not in amounts  # nothing saved


def test_filling_a_year_from_the_classes_refuses_a_year_that_is_not_one(app, rq):
    society = make_society("a")
    dues_society(society, members=0)
    with society_context(society.id):
        before = _count(DuesSchedule)
        _refused("year", dues.schedule_from_classes, society, None, "1e3")
        assert _count(DuesSchedule) == before
        assert dues.schedule_from_classes(society, None, str(YEAR + 1)) > 0


# 5. one transfer voucher at a time per invoice

def test_a_second_voucher_while_one_is_pending_is_refused(app, rq):
    society, _people, ids = billed_society(members=1)
    with society_context(society.id):
        first = dues.submit_voucher(society, None, invoice_of(ids[0]), io.BytesIO(b"%PDF-1.4 slip"), "回单.pdf")
        db.session.commit()
        error = _refused("voucher", dues.submit_voucher, society, None, invoice_of(ids[0]),
                         io.BytesIO(b"%PDF-1.4 slip again"), "回单.pdf")
        assert "审核" in error.message
        assert db.session.scalars(select(Payment.id)).all() == [first.id]
        # once the secretariat has rejected it, the member may send another
        dues.reject_voucher(society, None, first, {"reason": "未查到到账"})
        second = dues.submit_voucher(society, None, invoice_of(ids[0]), io.BytesIO(b"%PDF-1.4 slip"), "回单2.pdf")
        db.session.commit()
        assert second.state == PaymentState.pending and _count(Payment) == 2


# 6. one rule for what counts as due: the society's page and the association's console agree

def test_the_console_and_the_dues_page_count_the_same_invoices_as_due(app, rq):
    society, _people, ids = billed_society(members=4)
    with society_context(society.id):
        for member_id in ids[:2]:
            dues.record_payment(society, None, invoice_of(member_id), {"amount": "200"})
        returned = dues.record_payment(society, None, invoice_of(ids[2]), {"amount": "200"})
        dues.refund(society, None, returned, {"reason": "会员退会，全额退回"})
        db.session.commit()
        assert invoice_of(ids[2]).state == InvoiceState.refunded
        (row,) = dues.reports.collection_by_class(YEAR)
    console = queries.dues_collected(YEAR, [society.id])[society.id]
    # two of the three invoices still due are paid; the refunded one is no longer due
    assert row["billed_fen"] == console["due_fen"] == 60000
    assert row["collected_fen"] == console["paid_fen"] == 40000
    assert console["rate"] == row["rate_permille"] / 10 == 66.6  # both round down: 100 % only when all is in
    assert InvoiceState.refunded not in DUE_STATES and InvoiceState.void not in DUE_STATES


# 7. the invoice run, one INSERT ... SELECT the ORM never sees, is in the audit log

def test_the_invoice_run_leaves_one_audit_event_with_who_the_year_and_how_many(app, rq):
    from tests.factories import two_societies

    society, people = two_societies()["a"]
    dues_society(society, members=3)
    staff = people["staff"]
    with society_context(society.id):
        assert dues.run_invoices(society, staff, YEAR) == 3
        assert dues.run_invoices(society, staff, YEAR) == 0
        db.session.commit()
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invoice_run")
                                    .order_by(AuditEvent.at, AuditEvent.id)).all()
    assert [(e.actor_id, e.actor_label, e.object_type, e.after) for e in events] == [
        (staff.id, staff.email, "Invoice", {"dues_year": YEAR, "created": 3}),
        (staff.id, staff.email, "Invoice", {"dues_year": YEAR, "created": 0}),
    ]
