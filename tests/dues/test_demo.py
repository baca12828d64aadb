"""The demo has a few hundred members per society in every class and status, a few years of dues history with
every method and state, and preparing it twice adds nothing."""
from sqlalchemy import func, select

from society_saas.demo import prepare_demo
from society_saas.dues.models import Invoice, Payment, Receipt
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from society_saas.tenancy.models import Society


def test_demo_dues_history(app, session):
    prepare_demo(app)
    society_id = db.session.scalar(select(Society.id).where(Society.slug == "cs"))
    with society_context(society_id):
        states = set(db.session.scalars(select(Invoice.state).distinct()))
        methods = set(db.session.scalars(select(Payment.method).distinct()))
        payment_states = set(db.session.scalars(select(Payment.state).distinct()))
        years = set(db.session.scalars(select(Invoice.dues_year).distinct()))
        counts = (db.session.scalar(select(func.count()).select_from(Invoice)),
                  db.session.scalar(select(func.count()).select_from(Receipt)))
    assert {s.value for s in states} == {"open", "paid", "partly_paid", "void", "refunded"}
    assert {m.value for m in methods} == {"stripe_card", "alipay", "wechat_pay", "bank_transfer", "cash", "other"}
    assert {"pending", "confirmed", "rejected", "refunded"} <= {s.value for s in payment_states}
    assert len(years) == 3
    for slug in ("cs", "med", "agri"):
        _assert_demo_members(slug)
    prepare_demo(app)
    with society_context(society_id):
        assert (db.session.scalar(select(func.count()).select_from(Invoice)),
                db.session.scalar(select(func.count()).select_from(Receipt))) == counts


def _assert_demo_members(slug: str) -> None:
    from society_saas.members.models import ApplicationStatus, Member, MemberApplication, MemberClass, MemberEvent, MemberStatus

    society_id = db.session.scalar(select(Society.id).where(Society.slug == slug))
    with society_context(society_id):
        total = db.session.scalar(select(func.count()).select_from(Member))
        classes = set(db.session.scalars(select(MemberClass.code).join(
            Member, (Member.society_id == MemberClass.society_id) & (Member.class_id == MemberClass.id)).distinct()))
        statuses = set(db.session.scalars(select(Member.status).distinct()))
        expulsions = db.session.scalars(select(MemberEvent.reference).where(MemberEvent.kind == "expelled")).all()
        elected = db.session.scalars(select(MemberEvent.reference).where(MemberEvent.kind == "class_changed",
                                                                         MemberEvent.to_class == "fellow")).all()
        applications = set(db.session.scalars(select(MemberApplication.status).distinct()))
    assert 200 <= total <= 500, (slug, total)
    assert classes == {"student", "member", "senior", "fellow", "institutional"}, (slug, classes)
    assert statuses == set(MemberStatus), (slug, statuses)
    assert expulsions and all("决议" in r for r in expulsions)
    assert elected and all("理事会决议" in r for r in elected)
    assert {ApplicationStatus.submitted, ApplicationStatus.under_review, ApplicationStatus.more_info,
            ApplicationStatus.rejected} <= applications
