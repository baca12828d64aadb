"""The renewal page: an earlier council term, followed by a newer one, reads as renewed, never overdue."""
import re
from datetime import date, timedelta

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.governance.services.renewals import today
from society_saas.tenancy.context import society_context
from tests.conftest import login
from tests.factories import two_societies
from tests.governance.helpers import council_with_term


def test_an_earlier_term_is_renewed_and_only_the_current_one_is_due(app, client):
    data = two_societies()
    society, people = data["a"]
    start = today() - timedelta(days=5 * 365)
    with app.test_request_context(), society_context(society.id):
        organ, old = council_with_term(society, start=start - timedelta(days=5 * 365), number=4,
                                       end=start - timedelta(days=1))
        gov.create_term(society, None, {"organ_id": organ.id, "number": 5, "starts_on": start,
                                        "ends_on": today() - timedelta(days=10)})
        db.session.commit()
    login(client, people["sec"].email)
    page = client.get("/s/a/admin/governance/renewal").get_data(as_text=True)
    sections = re.findall(r'<section class="card">(.*?)</section>', page, re.S)
    assert len(sections) == 2
    current, earlier = sections
    assert "第5届" in current and "逾期" in current and "任期已届满，尚未完成换届。" in current
    assert "第4届" in earlier and "已完成换届" in earlier
    assert "逾期" not in earlier and "尚未完成换届" not in earlier and "启动换届筹备" not in earlier
