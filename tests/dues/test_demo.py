"""The demo has a few years of dues history with every method and state, and preparing it twice adds nothing."""
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
    prepare_demo(app)
    with society_context(society_id):
        assert (db.session.scalar(select(func.count()).select_from(Invoice)),
                db.session.scalar(select(func.count()).select_from(Receipt))) == counts
