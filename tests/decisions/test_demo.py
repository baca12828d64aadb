"""The demo decisions: every kind, several years, a reported matter, an intact signed chain; idempotent."""
from sqlalchemy import select

from society_saas.decisions import services
from society_saas.decisions.demo import seed_decisions
from society_saas.decisions.models import DecisionEntry
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.decisions.helpers import actor, society_with_charter
from tests.factories import make_admin


def test_demo_decisions_are_valid_and_seeded_once(session):
    s = society_with_charter()
    who = actor()
    make_admin("admin@kx.demo")
    with society_context(s.id):
        assert seed_decisions(s, who) == 7
        db.session.commit()
        assert seed_decisions(s, who) == 0
        db.session.commit()
        decisions = services.list_decisions(s)
        assert {d.current.kind for d in decisions} == {"major_decision", "appointment", "major_project", "large_fund_use"}
        assert len({d.current.meeting_date.year for d in decisions}) >= 3
        assert {d.state for d in decisions} >= {"completed", "in_progress", "adopted", "rejected"}
        reported = services.reported_matters()
        assert {i["status"] for i in reported} == {"pending", "acknowledged"}
        assert services.verify_chain(s).ok and services.checkpoints(s)
        assert len(db.session.scalars(select(DecisionEntry)).all()) == 17
