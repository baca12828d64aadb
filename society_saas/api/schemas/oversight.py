"""Activities, societies, the association's overview and assessment."""
from datetime import date

from marshmallow import Schema, fields, validate

from society_saas.api.schemas.common import PageArgs, PageSchema, Text
from society_saas.oversight.activities import MAX_DESCRIPTION, MAX_PARTICIPANTS
from society_saas.oversight.models import ActivityKind, FilingState


class ActivitySchema(Schema):
    """An activity of the society and its filing with the association."""

    id = fields.UUID(required=True)
    kind = fields.Enum(ActivityKind, by_value=True, required=True)
    title = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)
    venue = fields.String(required=True, allow_none=True)
    participants = fields.Integer(required=True, allow_none=True)
    description = fields.String(required=True, allow_none=True)
    in_association_name = fields.Boolean(required=True)
    filing_state = fields.Enum(FilingState, by_value=True, required=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    reviewed_at = fields.DateTime(required=True, allow_none=True)
    review_comment = fields.String(required=True, allow_none=True)


class ActivityFilterArgs(PageArgs):
    """Activities of one year, a page at a time."""

    year = fields.Integer(validate=validate.Range(1900, 2200))


class ActivityPageSchema(PageSchema):
    """A page of activities."""

    items = fields.List(fields.Nested(ActivitySchema), required=True)


class ActivityCreateSchema(Schema):
    """A new activity; one in the association's name starts as a draft to be filed."""

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ActivityKind]))
    title = Text(200, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date()
    venue = Text(200)
    participants = fields.Integer(validate=validate.Range(0, MAX_PARTICIPANTS))
    description = Text(MAX_DESCRIPTION)
    in_association_name = fields.Boolean()


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _part(name):
    return fields.Function(lambda row: _jsonable(row[name]), required=True,
                           metadata={"type": "object", "nullable": True, "additionalProperties": True})


class OverviewRowSchema(Schema):
    """One society's figures on the association's overview."""

    slug = fields.Function(lambda row: row["society"].slug, required=True, metadata={"type": "string"})
    name = fields.Function(lambda row: row["society"].name, required=True, metadata={"type": "string"})
    members = _part("members")
    renewal = _part("renewal")
    meetings = _part("meetings")
    composition = _part("composition")
    chain = _part("chain")
    reported_waiting = fields.Integer(required=True)
    open_requests = fields.Integer(required=True)
    activities = _part("activities")
    dues = _part("dues")


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


class SchemeSchema(Schema):
    """An assessment scheme (one per year)."""

    id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    state = fields.Function(lambda s: s.state.value, required=True, metadata={"type": "string"})
    self_report_due = fields.Date(required=True, allow_none=True)
    snapshot_on = fields.Date(required=True, allow_none=True)
    scoring_due = fields.Date(required=True, allow_none=True)
    finalised_at = fields.DateTime(required=True, allow_none=True)


class ResultSchema(Schema):
    """A society's finalised result in a scheme's ranking."""

    slug = fields.Function(lambda row: row[1].slug, required=True, metadata={"type": "string"})
    name = fields.Function(lambda row: row[1].name, required=True, metadata={"type": "string"})
    rank = fields.Function(lambda row: row[0].rank, required=True, metadata={"type": "integer"})
    total = fields.Function(lambda row: row[0].total, required=True, metadata={"type": "number"})
    grade = fields.Function(lambda row: row[0].grade, required=True, metadata={"type": "string"})
