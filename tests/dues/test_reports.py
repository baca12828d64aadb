"""The dues reports: who is listed in the arrears."""
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
