"""The association's renewal list: each society's latest council term, overdue first, with its renewal."""
from datetime import timedelta

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.models import RenewalStatus
from society_saas.governance.services.renewals import today
from society_saas.tenancy.context import cross_society, society_context
from tests.factories import two_societies
from tests.governance.helpers import council_with_term


def test_latest_council_terms_overdue_first_with_their_renewal(app):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    on = today()
    with app.test_request_context():
        with society_context(a.id):
            organ, _ = council_with_term(a, start=on - timedelta(days=8 * 365), number=1,
                                         end=on - timedelta(days=4 * 365 + 1))
            current = gov.create_term(a, None, {"organ_id": organ.id, "number": 2,
                                                "starts_on": on - timedelta(days=4 * 365),
                                                "ends_on": on + timedelta(days=365)})
            renewal = gov.start_renewal(a, None, {"term_id": current.id})
            db.session.commit()
        with society_context(b.id):
            council_with_term(b, start=on - timedelta(days=4 * 365), number=3, end=on - timedelta(days=3))
            db.session.commit()
        with cross_society():
            items = gov.renewal_listing(on)
    assert [(sid, number, standing) for sid, _name, number, _ends, _rid, _status, standing in items] == [
        (b.id, 3, "overdue"), (a.id, 2, "on_time")]
    assert items[0][4:6] == (None, None) and items[0][1] == b.name
    assert items[1][4:6] == (renewal.id, RenewalStatus.preparing)
