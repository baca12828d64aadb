"""Payments fixtures: society A with dues, its Stripe keys, and the local Stripe stand-in."""
from types import SimpleNamespace

import pytest

from society_saas.dues import services as dues
from society_saas.extensions import db
from society_saas.payments import services as online
from society_saas.tenancy.context import society_context
from tests.dues.helpers import YEAR, dues_society
from tests.factories import two_societies
from tests.payments.stripe_standin import StripeStandIn

WEBHOOK_SECRET = "whsec_test_standin_secret"


@pytest.fixture
def standin():
    server = StripeStandIn(WEBHOOK_SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def shop(app, client, session, standin):
    """Society A (and B) with invoices; A's Stripe keys point at the stand-in; events go to A's webhook."""
    data = two_societies()
    a, people = data["a"]
    b, people_b = data["b"]
    ids = dues_society(a, members=3, user=people["member"])["member_ids"]
    dues_society(b, members=1, user=people_b["member"])
    app.config["STRIPE_API_BASE"] = standin.base
    with app.test_request_context("/"):
        for society in (a, b):
            with society_context(society.id):
                online.save_account(society, None, {"secret_key": "sk_test_standin", "webhook_secret": WEBHOOK_SECRET,
                                                    "methods": ["card", "alipay", "wechat_pay"]})
                dues.run_invoices(society, None, YEAR)
                db.session.commit()
    slug = a.slug
    standin.deliver = lambda payload, headers: client.post(f"/s/{slug}/stripe/webhook", data=payload, headers=headers)
    plain = lambda s: SimpleNamespace(id=s.id, slug=s.slug)  # noqa: E731  (requests close the test's session)
    return {"a": plain(a), "b": plain(b), "people": {k: SimpleNamespace(id=u.id, email=u.email) for k, u in people.items()},
            "member_ids": ids}
