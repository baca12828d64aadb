"""Marshmallow schemas of the API edge: what a client may send, and what it gets back."""
import re

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from society_saas.decisions.models import Body, DecisionKind, DecisionState, Supervision
from society_saas.members.models import ApplicationKind, ApplicationStatus, MemberStatus, RequestStatus
from society_saas.members.services.records import EDUCATION, GENDERS, ID_TYPES, NATIONALITIES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _printable(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(_("Control characters are not allowed."))


class Text(fields.String):
    """A string without control characters (PostgreSQL refuses NUL), at most `max_length` long."""

    def __init__(self, max_length: int | None = None, **kwargs):
        given = kwargs.pop("validate", None) or []
        validators = list(given) if isinstance(given, (list, tuple)) else [given]
        if max_length:
            validators.append(validate.Length(max=max_length))
        validators.append(_printable)
        super().__init__(validate=validators, **kwargs)


def _count(**kw):
    return fields.Integer(validate=validate.Range(0, 1_000_000), **kw)


class PageArgs(Schema):
    """?page= and ?per_page= (pages of a stable order)."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class PageSchema(Schema):
    """One page of a list, with the total of all pages."""

    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


# --- member classes, members ---------------------------------------------------------------

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
    party_member = fields.Boolean(required=True, allow_none=True)
    organisation = fields.String(required=True, allow_none=True)
    credit_code = fields.String(required=True, allow_none=True)
    contact_person = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


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
    birth_date = fields.Date(allow_none=True)
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
    join_date = fields.Date(allow_none=True)


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


# --- governance ----------------------------------------------------------------------------

def _enum_value(attr):
    return fields.Function(lambda obj: getattr(getattr(obj, attr), "value", getattr(obj, attr)),
                           metadata={"type": "string"}, required=True)


class TermSchema(Schema):
    """A term (届) of an organ."""

    id = fields.UUID(required=True)
    organ_id = fields.UUID(required=True)
    number = fields.Integer(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class OrganSchema(Schema):
    """An organ of the society (council, standing council, supervisory board, branch...)."""

    id = fields.UUID(required=True)
    type = fields.Function(lambda o: o.type.value, metadata={"type": "string"}, required=True)
    name = fields.String(required=True)
    branch_subtype = fields.Function(lambda o: o.branch_subtype.value if o.branch_subtype else None,
                                     metadata={"type": "string", "nullable": True}, required=True)
    party_type = fields.Function(lambda o: o.party_type.value if o.party_type else None,
                                 metadata={"type": "string", "nullable": True}, required=True)
    active = fields.Boolean(required=True)
    note = fields.String(required=True, allow_none=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)


class PositionSchema(Schema):
    """A position held in a term."""

    id = fields.UUID(required=True)
    term_id = fields.UUID(required=True)
    role = fields.Function(lambda p: p.role.value, metadata={"type": "string"}, required=True)
    holder_name = fields.String(required=True)
    gender = fields.Function(lambda p: p.gender.value, metadata={"type": "string"}, required=True)
    birth_date = fields.Date(required=True)
    front_line = fields.Boolean(required=True)
    region = fields.Function(lambda p: p.region.value, metadata={"type": "string"}, required=True)
    member_id = fields.UUID(required=True, allow_none=True)
    employer = fields.String(required=True, allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)
    resigned_at = fields.Date(required=True, allow_none=True)
    appointment_decision_ref = fields.String(required=True, allow_none=True)


class MeetingSchema(Schema):
    """A meeting of an organ and its attendance figures."""

    id = fields.UUID(required=True)
    organ_id = fields.UUID(required=True)
    term_id = fields.UUID(required=True, allow_none=True)
    kind = fields.Function(lambda m: m.kind.value, metadata={"type": "string"}, required=True)
    form = fields.Function(lambda m: m.form.value, metadata={"type": "string"}, required=True)
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    agenda = fields.String(required=True, allow_none=True)
    members_count = fields.Integer(required=True)
    present_count = fields.Integer(required=True)
    proxy_count = fields.Integer(required=True)
    has_minutes = fields.Function(lambda m: bool(m.minutes_file), metadata={"type": "boolean"}, required=True)


class MeetingFilterArgs(Schema):
    """Meetings of one organ."""

    organ_id = fields.UUID()


# --- decisions -----------------------------------------------------------------------------

class DecisionEntrySchema(Schema):
    """One entry of the decision log's hash chain."""

    seq = fields.Integer(required=True)
    entry_type = fields.String(required=True)
    corrects_seq = fields.Integer(required=True, allow_none=True)
    recorded_at = fields.DateTime(required=True)
    recorded_by_label = fields.String(required=True)
    state = fields.String(required=True, allow_none=True)
    note = fields.String(required=True, allow_none=True)
    prev_hash = fields.String(required=True)
    hash = fields.String(required=True)


class DecisionSchema(Schema):
    """A 三重一大 decision as its entries currently describe it."""

    decision_id = fields.UUID(required=True)
    state = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, allow_none=True, attribute="current.kind")
    title = fields.String(required=True, allow_none=True, attribute="current.title")
    description = fields.String(required=True, allow_none=True, attribute="current.description")
    proposer = fields.String(required=True, allow_none=True, attribute="current.proposer")
    amount_fen = fields.Integer(required=True, allow_none=True, attribute="current.amount_fen")
    body = fields.String(required=True, allow_none=True, attribute="current.body")
    meeting_id = fields.UUID(required=True, allow_none=True, attribute="current.meeting_id")
    meeting_ref = fields.String(required=True, allow_none=True, attribute="current.meeting_ref")
    meeting_date = fields.Date(required=True, allow_none=True, attribute="current.meeting_date")
    members_total = fields.Integer(required=True, allow_none=True, attribute="current.members_total")
    present = fields.Integer(required=True, allow_none=True, attribute="current.present")
    votes_for = fields.Integer(required=True, allow_none=True, attribute="current.votes_for")
    votes_against = fields.Integer(required=True, allow_none=True, attribute="current.votes_against")
    votes_abstain = fields.Integer(required=True, allow_none=True, attribute="current.votes_abstain")
    result = fields.String(required=True, allow_none=True, attribute="current.result")
    report_to_association = fields.Boolean(required=True, allow_none=True, attribute="current.report_to_association")
    entries = fields.List(fields.Nested(DecisionEntrySchema), required=True)


class DecisionPageSchema(PageSchema):
    """A page of the decision register."""

    items = fields.List(fields.Nested(DecisionSchema), required=True)


class DecisionFilterArgs(PageArgs):
    """The register's filters."""

    kind = fields.String(validate=validate.OneOf([k.value for k in DecisionKind]))
    state = fields.String(validate=validate.OneOf([s.value for s in DecisionState]))
    body = fields.String(validate=validate.OneOf([b.value for b in Body]))
    year = fields.Integer(validate=validate.Range(1900, 2200))


class DecisionRecordSchema(Schema):
    """A decision to record; the same collective decision rules as the pages apply."""

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in DecisionKind]))
    title = Text(300, required=True)
    description = Text(5000)
    proposer = Text(200, required=True)
    amount_fen = fields.Integer(validate=validate.Range(1, 10**15))
    meeting_id = fields.UUID()
    body = fields.String(validate=validate.OneOf([b.value for b in Body]))
    meeting_ref = Text(200)
    meeting_date = fields.Date()
    members_total = _count()
    present = _count()
    recused = fields.List(Text(60), validate=validate.Length(max=1000))
    votes_for = _count(required=True)
    votes_against = _count()
    votes_abstain = _count()
    result = fields.String(required=True, validate=validate.OneOf(["adopted", "rejected"]))
    supervisors = fields.String(required=True, validate=validate.OneOf([s.value for s in Supervision]))
    party_organisation = fields.Boolean()
    party_prestudy = fields.Boolean(allow_none=True)
    report_to_association = fields.Boolean()


# --- association ---------------------------------------------------------------------------

class SocietySchema(Schema):
    """A society under the association."""

    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    short_name = fields.String(required=True)
    kind = fields.Function(lambda s: s.kind.value, metadata={"type": "string"}, required=True)
    status = fields.Function(lambda s: s.status.value, metadata={"type": "string"}, required=True)
    registration_no = fields.String(required=True, allow_none=True)
    supporting_unit = fields.String(required=True, allow_none=True)
    discipline = fields.String(required=True, allow_none=True)
    contact_name = fields.String(required=True, allow_none=True)
    contact_phone = fields.String(required=True, allow_none=True)
    contact_email = fields.String(required=True, allow_none=True)


class SocietyPageSchema(PageSchema):
    """A page of societies."""

    items = fields.List(fields.Nested(SocietySchema), required=True)
