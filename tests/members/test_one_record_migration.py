"""Migration 0005: ledgers that gave an account two records before the rule keep the one the portal showed
linked (a current record first, then the oldest), unlink the others with an audit event, and then refuse a
second record at the database; the downgrade links them again from those events."""
from datetime import timedelta

from sqlalchemy import func, select

from society_saas.core.audit import AuditEvent
from society_saas.core.db import utcnow
from society_saas.dues import services as dues
from society_saas.dues.models import Receipt
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import Member, MemberStatus
from society_saas.members.services.common import today_cn
from society_saas.members.services.records import record_of_account
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.dues.helpers import billed_society, invoice_of
from tests.factories import two_societies
from tests.members.helpers import VALID_IDS, person, with_classes
from tests.migration_support import downgraded_to


def _record(society, user, idx: int) -> Member:
    data = person(id_number=VALID_IDS[idx], email=user.email)
    return services.create_member(society, None, data, services.class_by_code(data.pop("class_code")), user=user)


def _second_record(society_id, class_id, user_id, number: str) -> None:
    """A newer, empty record of the account, as the old approval made it (possible only before 0005)."""
    db.session.add(Member(society_id=society_id, class_id=class_id, name="重复记录", user_id=user_id,
                          status=MemberStatus.active, member_number=number, join_date=today_cn(),
                          created_at=utcnow() + timedelta(minutes=1)))


def _links(ids) -> dict:
    return dict(db.session.execute(select(Member.id, Member.user_id).where(Member.id.in_(ids))).all())


def test_the_migration_unlinks_all_but_the_portals_record_and_the_downgrade_links_them_again(app, db_backend):
    data = two_societies()
    (a, people), b = data["a"], data["b"][0]
    member_id, staff_id = people["member"].id, people["staff"].id
    for society in (a, b):
        with_classes(society)
    with app.test_request_context("/"):
        with society_context(a.id):
            first = _record(a, people["member"], 0)
            resigned = _record(a, people["staff"], 1)
            services.resign(a, None, resigned)
            db.session.commit()
            first_id, resigned_id, class_id = first.id, resigned.id, first.class_id
        with society_context(b.id):
            elsewhere_id = _record(b, people["member"], 0).id  # the same account in another society
            db.session.commit()
    with downgraded_to(app, "0004"), society_context(a.id):
        _second_record(a.id, class_id, member_id, "CS000900")
        _second_record(a.id, class_id, staff_id, "CS000901")
        db.session.commit()
        later_id, newer_id = (db.session.scalar(select(Member.id).where(Member.member_number == n))
                              for n in ("CS000900", "CS000901"))
    ids = [first_id, later_id, resigned_id, newer_id]
    with society_context(a.id):
        # the older current record stays the member's; the resigned one gives way to the current one
        assert _links(ids) == {first_id: member_id, later_id: None, resigned_id: None, newer_id: staff_id}
        assert record_of_account(member_id).id == first_id
        events = db.session.execute(select(AuditEvent.object_id, AuditEvent.before, AuditEvent.actor_label)
                                    .where(AuditEvent.action == "account_unlinked")).all()
        assert sorted(events) == sorted([(str(later_id), {"user_id": str(member_id)}, "system"),
                                         (str(resigned_id), {"user_id": str(staff_id)}, "system")])
    with society_context(b.id):
        assert _links([elsewhere_id]) == {elsewhere_id: member_id}
    with downgraded_to(app, "0004"), society_context(a.id):
        assert _links(ids) == {first_id: member_id, later_id: member_id, resigned_id: staff_id, newer_id: staff_id}
    with society_context(a.id):
        assert db.session.scalar(select(func.count()).select_from(Member).where(Member.user_id.isnot(None))) == 2


def test_after_the_migration_a_member_sees_their_receipts_where_the_ledger_held_a_second_record(app, client,
                                                                                                 db_backend):
    """The reported case: after a second record was made, the portal showed it and the old receipt answered 404."""
    society, people, [member_id] = billed_society(members=1, user_role="member")
    society_id, user_id, email = society.id, people["member"].id, people["member"].email
    with app.test_request_context("/"), society_context(society_id):
        invoice = invoice_of(member_id)
        dues.record_payment(society, None, invoice, {"method": "cash", "amount_fen": invoice.amount_fen})
        db.session.commit()
        receipt_id, class_id = db.session.scalar(select(Receipt.id)), invoice.class_id
    with downgraded_to(app, "0004"), society_context(society_id):
        _second_record(society_id, class_id, user_id, "CS000291")
        db.session.commit()
    login(client, email)
    dues_page = client.get("/s/a/me/dues/").get_data(as_text=True)
    assert f"/s/a/me/dues/receipts/{receipt_id}.pdf" in dues_page
    receipt = client.get(f"/s/a/me/dues/receipts/{receipt_id}.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF-")
    assert "CS000291" not in client.get("/s/a/me/profile/").get_data(as_text=True)
