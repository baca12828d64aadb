"""The association's filings list comes a page at a time, with the filter kept in the pager."""
from datetime import date

from society_saas.extensions import db
from society_saas.oversight import activities
from society_saas.oversight.models import Activity, FilingState
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.factories import make_admin, two_societies


def test_filings_are_paged(client, session):
    a = two_societies()["a"][0]
    with society_context(a.id):
        for day in (1, 2, 3):
            db.session.add(Activity(kind="academic_conference", title=f"报备活动{day}", starts_on=date(2026, 5, day),
                                    ends_on=date(2026, 5, day), in_association_name=True,
                                    filing_state=FilingState.submitted))
        db.session.commit()
    first, second = activities.filings_page("submitted", 1, per_page=2), activities.filings_page("submitted", 2, per_page=2)
    assert (first.total, first.pages) == (3, 2)
    assert [a.title for a, _s in first.items + second.items] == ["报备活动1", "报备活动2", "报备活动3"]
    make_admin()
    login(client, "admin@kx.test")
    page = client.get("/association/filings/?state=submitted").get_data(as_text=True)
    assert all(f"报备活动{d}" in page for d in (1, 2, 3))
