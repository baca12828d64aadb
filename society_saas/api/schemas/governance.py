"""Organs, terms, positions and meetings."""
from marshmallow import Schema, fields, validate

from society_saas.api.schemas.common import PageArgs, PageSchema, Text, past_date
from society_saas.governance.models.enums import (
    AttendanceStatus, Gender, MeetingForm, MeetingKind, PositionRole, Region,
)

def _enum_value(attr, **kw):
    """An enum attribute written as its value (`kw`: what the field also reads, validates or documents)."""
    return fields.Function(lambda obj: getattr(getattr(obj, attr), "value", getattr(obj, attr)),
                           **{"metadata": {"type": "string"}, "required": True, **kw})


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


class MeetingFilterArgs(PageArgs):
    """Meetings of one organ, a page at a time."""

    organ_id = fields.UUID()


class MeetingPageSchema(PageSchema):
    """A page of meetings."""

    items = fields.List(fields.Nested(MeetingSchema), required=True)


def _values(enum_cls):
    return [m.value for m in enum_cls]


class MeetingCreateSchema(Schema):
    """A meeting of an organ with its attendance figures."""

    organ_id = fields.UUID(required=True)
    term_id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(_values(MeetingKind)))
    form = fields.String(validate=validate.OneOf(_values(MeetingForm)))
    title = Text(200, required=True, validate=validate.Length(min=1))
    held_on = fields.Date(required=True)
    agenda = Text(5000)
    members_count = fields.Integer(required=True, validate=validate.Range(1, 100_000))
    present_count = fields.Integer(validate=validate.Range(0, 100_000))
    proxy_count = fields.Integer(validate=validate.Range(0, 100_000))


class PositionCreateSchema(Schema):
    """A person in a role within a term; every charter check applies."""

    role = fields.String(required=True, validate=validate.OneOf(_values(PositionRole)))
    holder_name = Text(60, required=True, validate=validate.Length(min=1))
    gender = fields.String(required=True, validate=validate.OneOf(_values(Gender)))
    birth_date = fields.Date(required=True, validate=past_date)
    front_line = fields.Boolean()
    region = fields.String(validate=validate.OneOf(_values(Region)))
    employer = Text(200)
    starts_on = fields.Date()
    ends_on = fields.Date()
    appointment_decision_ref = Text(200, metadata={"description": (
        "For the secretary-general: the decision_id of the council's adopted appointment (kind appointment, "
        "body council or standing_council) in the decision log, decided on or before starts_on.")})


class TermCreateSchema(Schema):
    """A new term (届) of an elected organ; its length is limited by the charter."""

    number = fields.Integer(required=True, validate=validate.Range(1, 1000))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(metadata={"description": "Defaults to the longest term the charter allows."})


class ResignationSchema(Schema):
    """The day a position's holder resigned; the position leaves the roster from that day."""

    resigned_at = fields.Date(required=True)


class AttendeeSchema(Schema):
    """One person on a meeting's attendance list."""

    name = Text(60, required=True, validate=validate.Length(min=1))
    status = _enum_value("status", deserialize=str, validate=validate.OneOf(_values(AttendanceStatus)),
                         metadata={"type": "string", "enum": _values(AttendanceStatus)})
    proxy_name = Text(60, allow_none=True)
    position_id = fields.UUID(allow_none=True, metadata={"description": "The position held, when on the roster."})


class AttendanceSchema(Schema):
    """A meeting's attendance list (empty until it is recorded)."""

    attendance = fields.List(fields.Nested(AttendeeSchema), required=True)


class AttendanceRecordSchema(Schema):
    """A meeting's whole attendance list; recording it replaces the list and recounts the meeting's figures."""

    attendance = fields.List(fields.Nested(AttendeeSchema), required=True,
                             validate=validate.Length(min=1, max=2000))
