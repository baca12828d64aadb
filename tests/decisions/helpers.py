"""Builders for decision-log tests."""
from datetime import date

from society_saas.decisions import services
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.factories import make_society, make_user


def valid(**over) -> dict:
    """A decision that meets every rule under the default charter (2/3 quorum, 2/3 majority)."""
    data = dict(kind="major_decision", title="关于调整学会内设机构的决定", description="设立青年工作委员会。",
                proposer="秘书长 王晓明", body="council", meeting_ref="第九届理事会第三次会议",
                meeting_date=date(2026, 3, 15), members_total=30, present=21, recused=[], votes_for=14,
                votes_against=5, votes_abstain=2, result="adopted", supervisors="present",
                party_organisation=True, party_prestudy="yes")
    data.update(over)
    return data


def society_with_charter(slug="a", **charter):
    """A society whose settings carry the given charter values."""
    society = make_society(slug)
    society.settings = {"charter": {"quorum": "2/3", "majority": "2/3", "large_fund_threshold_fen": 10_000_000,
                                    **charter}}
    db.session.commit()
    return society


def record(society, actor=None, **over):
    """Record and commit a valid decision."""
    with society_context(society.id):
        entry = services.record_decision(society, actor, valid(**over))
        db.session.commit()
        return entry


def actor():
    """A staff account."""
    return make_user("sec@a.test", "王晓明")
