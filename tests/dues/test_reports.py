"""The dues reports: who is listed in the arrears, which years there are, how many invoices a list has."""
import pytest
from sqlalchemy import select

from society_saas.dues import services as dues
from society_saas.extensions import db
from society_saas.members.models import Member, MemberStatus
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society
from tests.factories import make_society


def test_arrears_leave_out_members_who_have_left(app, rq):
    """Resigned, expelled and deceased members are no longer chased; grace and lapsed members still are."""
    a = make_society("a")
    ids = dues_society(a, members=6)["member_ids"]
    statuses = [MemberStatus.active, MemberStatus.grace, MemberStatus.lapsed, MemberStatus.resigned,
                MemberStatus.expelled, MemberStatus.deceased]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        for member_id, status in zip(ids, statuses):
            db.session.get(Member, (a.id, member_id)).status = status
        db.session.commit()
        names = {m.id: m.name for m in db.session.scalars(select(Member))}
        listed = [row[0] for row in db.session.execute(dues.reports.arrears(YEAR))]
        assert sorted(listed) == sorted(names[i] for i in ids[:3])
        assert sorted(row[0] for row in db.session.execute(dues.reports.arrears())) == sorted(listed)


def test_years_newest_first_and_only_this_societys(app, rq):
    """The dues years come from the society's own invoices, newest first, each once."""
    a, b = make_society("a"), make_society("b")
    for year in (2024, 2026, 2025):
        dues_society(a, members=2, year=year)
        with society_context(a.id):
            dues.run_invoices(a, None, year)
            db.session.commit()
    dues_society(b, members=1, year=2023)
    with society_context(b.id):
        dues.run_invoices(b, None, 2023)
        db.session.commit()
    with society_context(a.id):
        assert dues.reports.years() == [2026, 2025, 2024]
    with society_context(b.id):
        assert dues.reports.years() == [2023]


def test_invoice_list_counts_what_it_lists(app, rq):
    """The list's total (counted without its joins) equals its rows, for every filter, name search included."""
    from society_saas.core.pagination import paginate
    from society_saas.dues.models import InvoiceState

    a = make_society("a")
    ids = dues_society(a, members=5)["member_ids"]
    with society_context(a.id):
        dues.run_invoices(a, None, YEAR)
        db.session.get(Member, (a.id, ids[0])).name = "王_五%"
        db.session.commit()
        for filters in ({}, {"year": str(YEAR)}, {"state": InvoiceState.open.value}, {"q": "会员"}, {"q": "王_"},
                        {"q": "%"}, {"q": "无此人"}):
            page = paginate(dues.invoices_query(filters), 1, per_page=50, tuples=True,
                            count_query=dues.invoices_count_query(filters))
            assert page.total == len(page.items), filters
        assert paginate(dues.invoices_count_query({"q": "%"})).total == 1  # a literal %, not "anything"


@pytest.mark.parametrize("share, reach", [(10**9, 4), (0, 1), (0, 4)])
def test_invoice_pages_list_what_the_query_lists(app, rq, monkeypatch, share, reach):
    """Page after page (each year sorted whole, or read along the member names, filling up or falling back),
    the invoice list shows the query's rows in its order, each once, with the query's total."""
    from society_saas.dues.models import Invoice, InvoiceState
    from society_saas.dues.services import invoicing

    monkeypatch.setattr(invoicing, "WALK_SHARE", share)
    monkeypatch.setattr(invoicing, "WALK_REACH", reach)
    a = make_society("a")
    for year in (YEAR - 1, YEAR):
        dues_society(a, members=4, year=year)
        with society_context(a.id):
            dues.run_invoices(a, None, year)
            db.session.commit()
    with society_context(a.id):
        members = db.session.scalars(select(Member).order_by(Member.name)).all()
        members[1].name = members[2].name  # one name twice: a tie the pages must not split badly
        members[5].status = MemberStatus.resigned
        paid = db.session.scalars(select(Invoice).order_by(Invoice.id)).all()[::3]
        for inv in paid:
            inv.state = InvoiceState.paid
        db.session.commit()
        for filters in ({}, {"year": str(YEAR)}, {"state": InvoiceState.open.value}, {"q": "会员"},
                        {"state": InvoiceState.void.value}):
            expected = db.session.execute(dues.invoices_query(filters)).tuples().all()
            for per_page in (1, 3, 50):
                pages = [dues.invoice_page(filters, n, per_page) for n in range(1, len(expected) // per_page + 3)]
                shown = [row for page in pages for row in page.items]
                assert {p.total for p in pages} == {len(expected)}, filters
                assert sorted(inv.id for inv, *_ in shown) == sorted(inv.id for inv, *_ in expected), filters
                assert [(inv.dues_year, name) for inv, name, *_ in shown] == \
                    [(inv.dues_year, name) for inv, name, *_ in expected], filters
                assert shown == sorted(shown, key=lambda r: (-r[0].dues_year, r[1], r[0].member_id))
