"""Member classes, members, applications and member requests."""
from flask import g
from marshmallow import Schema, fields, post_dump, validate

from society_saas.api.schemas.common import PageArgs, PageSchema, Text, past_date
from society_saas.core.permissions import can
from society_saas.members.models import ApplicationKind, ApplicationStatus, MemberStatus, RequestStatus
from society_saas.members.services.records import EDUCATION, GENDERS, ID_TYPES, NATIONALITIES

class MemberClassSchema(Schema):
    """A class of membership."""

    id = fields.UUID(required=True)
    code = fields.String(required=True)
    name_zh = fields.String(required=True)
    name_en = fields.String(required=True)
    annual_dues_fen = fields.Integer(required=True)
    min_years = fields.Integer(required=True)
    requires_senior_title = fields.Boolean(required=True)
    elected = fields.Boolean(required=True)
    may_vote = fields.Boolean(required=True)
    may_stand = fields.Boolean(required=True)
    sort_order = fields.Integer(required=True)


class MemberSchema(Schema):
    """A member of the ledger; the ID number only masked."""

    id = fields.UUID(required=True)
    member_number = fields.String(required=True, allow_none=True)
    class_code = fields.String(required=True, attribute="member_class.code")
    status = fields.Enum(MemberStatus, by_value=True, required=True)
    join_date = fields.Date(required=True, allow_none=True)
    valid_until = fields.Date(required=True, allow_none=True)
    name = fields.String(required=True)
    gender = fields.String(required=True, allow_none=True)
    birth_date = fields.Date(required=True, allow_none=True)
    id_type = fields.String(required=True, allow_none=True)
    id_number_masked = fields.String(required=True, allow_none=True)
    mobile = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    work_unit = fields.String(required=True, allow_none=True)
    professional_title = fields.String(required=True, allow_none=True)
    senior_title = fields.Boolean(required=True)
    education = fields.String(required=True, allow_none=True)
    discipline = fields.String(required=True, allow_none=True)
    region = fields.String(required=True, allow_none=True)
    front_line = fields.Boolean(required=True)
    nationality = fields.String(required=True)
    party_member = fields.Boolean(required=True, allow_none=True,
                                  metadata={"description": "null unless the token belongs to the secretary-general or the member"})
    organisation = fields.String(required=True, allow_none=True)
    credit_code = fields.String(required=True, allow_none=True)
    contact_person = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)

    @post_dump(pass_original=True)
    def _restrict_party_membership(self, data, member, **_kw):
        # optional and restricted (DOMAIN.md): only the secretary-general and the member themself see it
        if not may_see_party_membership(member):
            data["party_member"] = None
        return data


def may_see_party_membership(member) -> bool:
    """Whether the token's owner may read (or set) this member's party membership."""
    user = g.api_token.user
    return (member is not None and member.user_id is not None and member.user_id == user.id) or \
        can(user, "members.sensitive", g.society)


class MemberPageSchema(PageSchema):
    """A page of the ledger."""

    items = fields.List(fields.Nested(MemberSchema), required=True)


class MemberFilterArgs(PageArgs):
    """The ledger's filters."""

    status = fields.String(validate=validate.OneOf([s.value for s in MemberStatus]))
    class_code = Text(20)
    q = Text(100)
    front_line = fields.Boolean()
    young = fields.Boolean()
    region = Text(100)
    sort = fields.String(validate=validate.OneOf(["number", "name", "join_date"]))


class MemberUpdateSchema(Schema):
    """Fields of a member's record a client may change (all optional)."""

    name = Text(200)
    gender = fields.String(allow_none=True, validate=validate.OneOf(GENDERS))
    birth_date = fields.Date(allow_none=True, validate=past_date)
    id_type = fields.String(allow_none=True, validate=validate.OneOf(ID_TYPES))
    id_number = Text(30, allow_none=True)
    mobile = Text(20, allow_none=True)
    email = Text(200, allow_none=True)
    work_unit = Text(200, allow_none=True)
    professional_title = Text(60, allow_none=True)
    senior_title = fields.Boolean()
    education = fields.String(allow_none=True, validate=validate.OneOf(EDUCATION))
    discipline = Text(100, allow_none=True)
    region = Text(100, allow_none=True)
    front_line = fields.Boolean()
    nationality = fields.String(validate=validate.OneOf(NATIONALITIES))
    party_member = fields.Boolean(allow_none=True)
    organisation = Text(200, allow_none=True)
    credit_code = Text(18, allow_none=True)
    contact_person = Text(100, allow_none=True)
    join_date = fields.Date(allow_none=True, validate=past_date)


class MemberCreateSchema(MemberUpdateSchema):
    """A new member of the ledger, in the class given by its code."""

    class_code = Text(20, required=True)
    name = Text(200, required=True)


class MemberStatusSchema(Schema):
    """A lifecycle action on a member."""

    status = fields.String(required=True, validate=validate.OneOf(
        ["grace", "lapsed", "resigned", "expelled", "deceased", "reinstate"]))
    reference = Text(200)
    note = Text(2000)


# --- applications, requests ----------------------------------------------------------------

class ApplicationSchema(Schema):
    """An application to join or to move up a class."""

    id = fields.UUID(required=True)
    kind = fields.Enum(ApplicationKind, by_value=True, required=True)
    status = fields.Enum(ApplicationStatus, by_value=True, required=True)
    applicant_name = fields.String(required=True)
    class_code = fields.String(required=True, attribute="member_class.code")
    member_id = fields.UUID(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)
    submitted_at = fields.DateTime(required=True)
    decided_at = fields.DateTime(required=True, allow_none=True)
    data = fields.Dict(required=True)


class ApplicationPageSchema(PageSchema):
    """A page of applications."""

    items = fields.List(fields.Nested(ApplicationSchema), required=True)


class ApplicationFilterArgs(PageArgs):
    """Applications by status ("open": submitted, under review or waiting for information)."""

    status = fields.String(validate=validate.OneOf(["open", *[s.value for s in ApplicationStatus]]))


class ApplicationDecisionSchema(Schema):
    """Take up, question, reject or approve an application."""

    action = fields.String(required=True, validate=validate.OneOf(["review", "more_info", "reject", "approve"]))
    reason = Text(2000)
    reference = Text(200)


class MemberRequestSchema(Schema):
    """A member's request or complaint and the reply."""

    id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    subject = fields.String(required=True)
    body = fields.String(required=True)
    status = fields.Enum(RequestStatus, by_value=True, required=True)
    reply = fields.String(required=True, allow_none=True)
    replied_at = fields.DateTime(required=True, allow_none=True)
    closed_at = fields.DateTime(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class MemberRequestPageSchema(PageSchema):
    """A page of member requests."""

    items = fields.List(fields.Nested(MemberRequestSchema), required=True)


class MemberRequestFilterArgs(PageArgs):
    """Requests by status."""

    status = fields.String(validate=validate.OneOf([s.value for s in RequestStatus]))


class RequestReplySchema(Schema):
    """The secretariat's answer to a member's request."""

    reply = Text(5000, required=True)


class RequestFileSchema(Schema):
    """A member's request or complaint to the secretariat."""

    subject = Text(200, required=True)
    body = Text(5000, required=True)
