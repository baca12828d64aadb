"""Builders of governance data for the tests."""
from datetime import date

from society_saas.extensions import db
from society_saas.governance import services as gov
from society_saas.tenancy.context import society_context


def council_with_term(society, start=date(2022, 1, 1), number=1, end=None):
    """A council organ and one term of it."""
    organ = gov.create_organ(society, None, {"type": "council", "name": "理事会"})
    term = gov.create_term(society, None, {"organ_id": organ.id, "number": number, "starts_on": start,
                                           "ends_on": end})
    return organ, term


def person(name, role="council_member", **kw):
    """Position data with sensible defaults."""
    data = {"role": role, "holder_name": name, "gender": "male", "birth_date": date(1975, 1, 1),
            "front_line": True, "region": "mainland"}
    data.update(kw)
    return data


def add(society, term, name, role="council_member", **kw):
    """Add a position to a term."""
    return gov.add_position(society, None, {"term_id": term.id, **person(name, role, **kw)})


def appointment(society, **over) -> str:
    """Record an adopted council appointment (重要干部任免) in the decision log; return its decision id."""
    from society_saas.decisions import services as decisions
    from tests.decisions.helpers import valid

    data = valid(kind="appointment", title="关于聘任秘书长的决定", meeting_date=date(2022, 1, 1))
    data.update(over)
    return str(decisions.record_decision(society, None, data).decision_id)


def commit():
    db.session.commit()


# The entries the platform route walk (tests/platform/test_route_walk.py) needs for this area.
ROUTES = {
    "governance.index": "society", "governance.meetings": "society", "governance.renewal": "society",
    "governance.organ": "object", "governance.term": "object", "governance.preview": "object",
    "governance.resign": "object", "governance.assessments": "object",
    "governance.upload_minutes": "object", "governance.minutes": "object", "governance.meeting": "object", "governance.renewal_start": "object", "governance.renewal_step": "object",
    "renewals.index": "console", "renewals.detail": "console", "renewals.rules": "console",
    "renewals.delete_rule": "console", "renewals.composition": "console",
}


def governance_fixture(society):
    """Organ, term, position and renewal ids of one society, for URL building."""
    with society_context(society.id):
        organ, term = council_with_term(society, start=date(2022, 1, 1))
        position = add(society, term, "某人")
        renewal = gov.start_renewal(society, None, {"term_id": term.id})
        meeting = gov.create_meeting(society, None, {"organ_id": organ.id, "title": "理事会", "held_on": date(2023, 1, 5),
                                                     "members_count": 3, "present_count": 3})
        meeting.minutes_file = "x/y.pdf"
        db.session.commit()
        return {"organ_id": organ.id, "term_id": term.id, "position_id": position.id, "renewal_id": renewal.id, "meeting_id": meeting.id,
                "step": "submit", "society_id": society.id}
