"""Member classes, members, applications and member requests of one society."""
import uuid

from flask import g
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy import select

from society_saas.api.schemas import (ApplicationDecisionSchema, ApplicationFilterArgs, ApplicationPageSchema,
                                      ApplicationSchema, MemberClassSchema, MemberCreateSchema, MemberFilterArgs,
                                      MemberPageSchema, MemberRequestFilterArgs, MemberRequestPageSchema,
                                      MemberRequestSchema, MemberSchema, MemberStatusSchema, MemberUpdateSchema)
from society_saas.api.schemas import RequestReplySchema
from society_saas.api.web import rule, society_blueprint
from society_saas.core.pagination import paginate
from society_saas.core.permissions import can
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.models import Member
from society_saas.members.services import listing

bp = society_blueprint("api_members", __name__, "", "Member classes, the member ledger, applications, requests.")

STATUS_VERBS = {"grace": services.mark_grace, "lapsed": services.mark_lapsed, "resigned": services.resign,
                "expelled": services.expel, "deceased": services.mark_deceased, "reinstate": services.reinstate}
REVIEW_VERBS = {"review": services.start_review, "more_info": services.request_more_info, "reject": services.reject,
                "approve": services.approve}


def _page(query, args) -> dict:
    page = paginate(query, args["page"], args["per_page"])
    return {"items": page.items, "total": page.total, "page": page.number, "per_page": page.per_page,
            "pages": page.pages}


def _actor():
    return g.api_token.user


def _refuse_party_membership(data: dict) -> None:
    # setting party membership is as restricted as reading it
    if "party_member" in data and not can(g.api_token.user, "members.sensitive", g.society):
        abort(403, message=_("Only the secretary-general may record party membership."))


def _commit(obj):
    db.session.commit()
    return obj


@bp.get("/member-classes")
@bp.response(200, MemberClassSchema(many=True))
@rule("society.admin")
def member_classes():
    """The society's classes of membership, in upgrade order."""
    return services.list_classes()


@bp.get("/members")
@bp.arguments(MemberFilterArgs, location="query")
@bp.response(200, MemberPageSchema)
@rule("members.manage")
def list_members(args):
    """The member ledger with its filters, one page at a time (ordered by number, then id)."""
    filters = {k: ("1" if v is True else "" if v is False else v) for k, v in args.items()}
    return _page(services.ledger_query(filters), args)


@bp.post("/members")
@bp.arguments(MemberCreateSchema)
@bp.response(201, MemberSchema)
@rule("members.manage", write=True)
def create_member(data):
    """Enter a member in the ledger (numbered, history started) in the class given by its code."""
    data = dict(data)
    _refuse_party_membership(data)
    member_class = services.class_by_code(data.pop("class_code"))
    return _commit(services.create_member(g.society, _actor(), data, member_class))


@bp.get("/members/<uuid:member_id>")
@bp.etag
@bp.response(200, MemberSchema)
@rule("members.manage")
def get_member(member_id: uuid.UUID):
    """One member; the ETag header is what an update must send back in If-Match."""
    return services.get_member(member_id)


@bp.patch("/members/<uuid:member_id>")
@bp.etag
@bp.arguments(MemberUpdateSchema)
@bp.response(200, MemberSchema)
@rule("members.manage", write=True)
def update_member(data, member_id: uuid.UUID):
    """Change a member's record; If-Match must carry the ETag read (428 without it, 412 when it changed since)."""
    # lock the row first, so two clients holding the same ETag cannot both pass the check (PostgreSQL)
    db.session.execute(select(Member.id).where(Member.id == member_id).with_for_update())
    _refuse_party_membership(data)
    member = services.get_member(member_id)
    bp.check_etag(member, MemberSchema)
    return _commit(services.update_member(g.society, _actor(), member, data))


@bp.post("/members/<uuid:member_id>/status")
@bp.arguments(MemberStatusSchema)
@bp.response(200, MemberSchema)
@rule("members.manage", write=True)
def change_status(data, member_id: uuid.UUID):
    """Move a member on in the lifecycle (grace, lapsed, resigned, expelled, deceased, reinstate)."""
    member = services.get_member(member_id)
    verb = STATUS_VERBS[data["status"]]
    return _commit(verb(g.society, _actor(), member, {k: v for k, v in data.items() if k != "status"}))


@bp.get("/applications")
@bp.arguments(ApplicationFilterArgs, location="query")
@bp.response(200, ApplicationPageSchema)
@rule("members.manage")
def list_applications(args):
    """Applications to join or move up a class, newest first."""
    return _page(listing.application_query(args.get("status")), args)


@bp.post("/applications")
@bp.arguments(MemberCreateSchema)
@bp.response(201, ApplicationSchema)
@rule("members.manage", write=True)
def submit_application(data):
    """File an application to join on an applicant's behalf (e.g. from the society's website or mini-program);
    the public form's checks apply (a class asking for years of membership, e.g. senior, is reached by moving up)."""
    # the application keeps its data as JSON: dates travel as ISO strings, as from the form
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    return _commit(services.submit_application(g.society, None, data))


@bp.get("/applications/<uuid:application_id>")
@bp.response(200, ApplicationSchema)
@rule("members.manage")
def get_application(application_id: uuid.UUID):
    """One application."""
    return listing.get_application(application_id)


@bp.post("/applications/<uuid:application_id>/decision")
@bp.arguments(ApplicationDecisionSchema)
@bp.response(200, ApplicationSchema)
@rule("members.manage", write=True)
def decide_application(data, application_id: uuid.UUID):
    """Take up, question, reject or approve an application, under the same rules as the pages."""
    row = listing.get_application(application_id)
    REVIEW_VERBS[data["action"]](g.society, _actor(), row, {k: v for k, v in data.items() if k != "action"})
    db.session.commit()
    return listing.get_application(application_id)


@bp.get("/member-requests")
@bp.arguments(MemberRequestFilterArgs, location="query")
@bp.response(200, MemberRequestPageSchema)
@rule("members.manage")
def list_requests(args):
    """Members' requests and complaints, oldest first."""
    return _page(listing.request_query(args.get("status")), args)


@bp.get("/member-requests/<uuid:request_id>")
@bp.response(200, MemberRequestSchema)
@rule("members.manage")
def get_request(request_id: uuid.UUID):
    """One member request."""
    return listing.get_request(request_id)


@bp.post("/member-requests/<uuid:request_id>/reply")
@bp.arguments(RequestReplySchema)
@bp.response(200, MemberRequestSchema)
@rule("members.manage", write=True)
def reply_request(data, request_id: uuid.UUID):
    """Answer a member's request (a closed one cannot be answered again)."""
    return _commit(services.reply_request(g.society, _actor(), listing.get_request(request_id), data))


@bp.post("/member-requests/<uuid:request_id>/close")
@bp.response(200, MemberRequestSchema)
@rule("members.manage", write=True)
def close_request(request_id: uuid.UUID):
    """Close a member's request."""
    return _commit(services.close_request(g.society, _actor(), listing.get_request(request_id)))
