"""The member's own view (a WeChat mini-program acting for the member): own record and own requests."""
from flask import g
from flask_smorest import abort

from society_saas.api.schemas import MemberRequestSchema, MemberSchema, RequestFileSchema
from society_saas.api.web import rule, society_blueprint
from society_saas.extensions import db
from society_saas.members import services
from society_saas.members.services import listing

bp = society_blueprint("api_portal", __name__, "/me", "The member's own record and requests.")


def _me():
    member = services.member_for_user(g.api_token.user)
    if member is None:
        abort(404)
    return member


@bp.get("")
@bp.response(200, MemberSchema)
@rule("society.portal")
def my_record():
    """The token owner's own member record."""
    return _me()


@bp.get("/requests")
@bp.response(200, MemberRequestSchema(many=True))
@rule("society.portal")
def my_requests():
    """The token owner's own requests and complaints, oldest first."""
    return listing.requests_of(_me())


@bp.post("/requests")
@bp.arguments(RequestFileSchema)
@bp.response(201, MemberRequestSchema)
@rule("society.portal", write=True)
def file_request(data):
    """File a request or complaint with the secretariat."""
    row = services.file_request(g.society, g.api_token.user, _me(), data)
    db.session.commit()
    return row
