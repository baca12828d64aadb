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


def test_a_term_entered_ahead_of_time_does_not_hide_the_overdue_renewal_of_the_current_one(app):
    """Term 5 ended ten days ago without a renewal; the secretariat has already entered term 6, starting next
    month. Until term 6 starts, term 5 is the current one: its renewal is overdue (the renewal list and the
    society's own dashboard alike). A society whose only term has not started yet is listed by that term."""
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    on = today()
    with app.test_request_context():
        with society_context(a.id):
            organ, _ = council_with_term(a, start=on - timedelta(days=5 * 365), number=5, end=on - timedelta(days=10))
            gov.create_term(a, None, {"organ_id": organ.id, "number": 6, "starts_on": on + timedelta(days=30),
                                      "ends_on": on + timedelta(days=30 + 5 * 365)})
            db.session.commit()
            [(sid, term, renewal)] = gov.renewal_overview()
            assert (sid, term.number, renewal) == (a.id, 5, None)
        with society_context(b.id):
            council_with_term(b, start=on + timedelta(days=60), number=1, end=on + timedelta(days=60 + 5 * 365))
            db.session.commit()
        with cross_society():
            items = gov.renewal_listing(on)
    assert [(sid, number, standing) for sid, _name, number, _ends, _rid, _status, standing in items] == [
        (a.id, 5, "overdue"), (b.id, 1, "on_time")]
