"""List queries of applications and member requests in a stable order (used by the REST API)."""
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.errors import NotFoundError
from society_saas.core.skipscan import distinct_values
from society_saas.extensions import db
from society_saas.members.models import ApplicationStatus, Member, MemberApplication, MemberRequest, RequestStatus
from society_saas.tenancy.context import current_society_id

OPEN = (ApplicationStatus.submitted, ApplicationStatus.under_review, ApplicationStatus.more_info)


def application_query(status: str | None = None):
    """Applications of the current society, newest first; "open" means not yet decided."""
    query = select(MemberApplication).order_by(MemberApplication.submitted_at.desc(), MemberApplication.id.desc())
    if status == "open":
        query = query.where(MemberApplication.status.in_(OPEN))
    elif status in ApplicationStatus.__members__:
        query = query.where(MemberApplication.status == ApplicationStatus(status))
    return query


def get_application(application_id) -> MemberApplication:
    """One application of the current society, or NotFoundError."""
    row = db.session.scalar(select(MemberApplication).where(MemberApplication.id == application_id))
    if row is None:
        raise NotFoundError(_("No such application."))
    return row


def request_query(status: str | None = None):
    """Member requests of the current society, oldest first."""
    query = select(MemberRequest).order_by(MemberRequest.created_at, MemberRequest.id)
    if status in RequestStatus.__members__:
        query = query.where(MemberRequest.status == RequestStatus(status))
    return query


def get_request(request_id) -> MemberRequest:
    """One member request of the current society, or NotFoundError."""
    row = db.session.scalar(select(MemberRequest).where(MemberRequest.id == request_id))
    if row is None:
        raise NotFoundError(_("No such request."))
    return row


def requests_of(member) -> list[MemberRequest]:
    """One member's own requests, oldest first."""
    return list(db.session.scalars(select(MemberRequest).where(MemberRequest.member_id == member.id)
                                   .order_by(MemberRequest.created_at, MemberRequest.id)))


def regions() -> list[str]:
    """The regions members of the current society are in, for the ledger's filter (one query)."""
    return distinct_values(Member.region, Member.society_id == current_society_id(), above="")
