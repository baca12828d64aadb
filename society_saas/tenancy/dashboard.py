"""The secretariat's start page: a few figures from every area, each one small set-based query."""
from sqlalchemy import func, select

from society_saas.decisions.chain import verify_chain
from society_saas.extensions import db
from society_saas.governance.services.renewals import renewal_overview, standing
from society_saas.members.models import ApplicationStatus, MemberApplication, MemberRequest, RequestStatus
from society_saas.members.services.stats import society_stats

PENDING = (ApplicationStatus.submitted, ApplicationStatus.under_review, ApplicationStatus.more_info)


def secretariat_summary(society) -> dict:
    """Members, pending applications, open requests, the council's renewal standing and the decision chain."""
    stats = society_stats()
    pending = db.session.scalar(select(func.count()).select_from(MemberApplication)
                                .where(MemberApplication.status.in_(PENDING)))
    open_requests = db.session.scalar(select(func.count()).select_from(MemberRequest)
                                      .where(MemberRequest.status == RequestStatus.open))
    council = next(iter(renewal_overview()), None)
    renewal = None
    if council is not None:
        _, term, current = council
        renewal = {"term": term, "standing": standing(term.ends_on, current)}
    return {"stats": stats, "pending_applications": pending or 0, "open_requests": open_requests or 0,
            "renewal": renewal, "chain": verify_chain(society)}


def joined_by_month_chart(stats: dict, months_label: str, joined_label: str) -> dict:
    """ECharts options for the members who joined in each month of this year."""
    months = list(range(1, 13))
    return {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [f"{m}{months_label}" for m in months]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": joined_label, "type": "bar", "data": [stats["joined_by_month"].get(m, 0) for m in months]}],
    }


def class_share_chart(stats: dict) -> dict:
    """ECharts options for current members by class."""
    data = [{"name": row["name"], "value": row["counts"].get("active", 0) + row["counts"].get("grace", 0)}
            for row in stats["by_class"].values()]
    return {"tooltip": {"trigger": "item"}, "series": [{"type": "pie", "radius": ["40%", "70%"], "data": data}]}
