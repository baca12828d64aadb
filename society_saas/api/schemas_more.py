"""Schemas of dues, activities and the association's overview (schemas.py holds the rest)."""
from datetime import date

from marshmallow import Schema, fields, validate

from society_saas.api.schemas import PageArgs, PageSchema, Text
from society_saas.dues.models import InvoiceState, PaymentMethod, PaymentState
from society_saas.governance.models.enums import Gender, MeetingForm, MeetingKind, PositionRole, Region
from society_saas.oversight.models import ActivityKind, FilingState


class PaymentSchema(Schema):
    """A payment towards an invoice."""

    id = fields.UUID(required=True)
    method = fields.Enum(PaymentMethod, by_value=True, required=True)
    amount_fen = fields.Integer(required=True)
    refunded_fen = fields.Integer(required=True)
    currency = fields.String(required=True)
    state = fields.Enum(PaymentState, by_value=True, required=True)
    reference = fields.String(required=True, allow_none=True)
    paid_on = fields.Date(required=True, allow_none=True)
    confirmed_at = fields.DateTime(required=True, allow_none=True)


class InvoiceSchema(Schema):
    """A member's dues invoice for one year; money in fen."""

    id = fields.UUID(required=True)
    member_id = fields.UUID(required=True)
    class_id = fields.UUID(required=True)
    dues_year = fields.Integer(required=True)
    amount_fen = fields.Integer(required=True)
    paid_fen = fields.Integer(required=True)
    currency = fields.String(required=True)
    state = fields.Enum(InvoiceState, by_value=True, required=True)
    due_date = fields.Date(required=True)
    grace_until = fields.Date(required=True)
    void_reason = fields.String(required=True, allow_none=True)


class InvoiceRowSchema(InvoiceSchema):
    """An invoice in the list, with the member's name and number."""

    member_name = fields.String(required=True)
    member_number = fields.String(required=True, allow_none=True)


class InvoiceDetailSchema(InvoiceSchema):
    """An invoice with its payments."""

    payments = fields.List(fields.Nested(PaymentSchema), required=True)


class InvoicePageSchema(PageSchema):
    """A page of invoices."""

    items = fields.List(fields.Nested(InvoiceRowSchema), required=True)


class InvoiceFilterArgs(PageArgs):
    """The invoice list's filters."""

    year = fields.Integer(validate=validate.Range(2000, 2200))
    state = fields.String(validate=validate.OneOf([s.value for s in InvoiceState]))
    class_id = fields.UUID()
    q = Text(100)


class PaymentRecordSchema(Schema):
    """Money received offline (cash, bank transfer, other), confirmed at once; partial amounts allowed."""

    method = fields.String(load_default="bank_transfer", validate=validate.OneOf(["bank_transfer", "cash", "other"]))
    amount_fen = fields.Integer(required=True, validate=validate.Range(1, 10**9))
    reference = Text(200)
    paid_on = fields.Date(validate=lambda d: d <= date.today())


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


class ActivityFilterArgs(Schema):
    """Activities of one year."""

    year = fields.Integer(validate=validate.Range(1900, 2200))


class ActivityCreateSchema(Schema):
    """A new activity; one in the association's name starts as a draft to be filed."""

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ActivityKind]))
    title = Text(200, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date()
    venue = Text(200)
    participants = fields.Integer(validate=validate.Range(0, 10_000_000))
    description = Text(5000)
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


class WebhookSchema(Schema):
    """A webhook subscription (its secret is never shown again)."""

    id = fields.UUID(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)


class WebhookCreatedSchema(WebhookSchema):
    """A new subscription with its signing secret, shown this once."""

    secret = fields.String(required=True)


class WebhookCreateSchema(Schema):
    """Subscribe an endpoint to events (member.approved, dues.paid, decision.recorded)."""

    url = Text(500, required=True, validate=validate.URL(schemes={"http", "https"}, require_tld=False))
    events = fields.List(fields.String(validate=validate.OneOf(["member.approved", "dues.paid", "decision.recorded"])),
                         required=True, validate=validate.Length(min=1, max=3))


class DeliverySchema(Schema):
    """One delivery of an event and how its attempts went."""

    id = fields.UUID(required=True)
    event = fields.String(required=True)
    payload = fields.Dict(required=True)
    state = fields.Function(lambda d: d.state.value, required=True, metadata={"type": "string"})
    attempts = fields.Integer(required=True)
    next_attempt_at = fields.DateTime(required=True)
    last_status = fields.Integer(required=True, allow_none=True)
    last_error = fields.String(required=True, allow_none=True)
    delivered_at = fields.DateTime(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class DeliveryPageSchema(PageSchema):
    """A page of the delivery log."""

    items = fields.List(fields.Nested(DeliverySchema), required=True)


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
    birth_date = fields.Date(required=True)
    front_line = fields.Boolean()
    region = fields.String(validate=validate.OneOf(_values(Region)))
    employer = Text(200)
    starts_on = fields.Date()
    ends_on = fields.Date()
    appointment_decision_ref = Text(200)


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


class RequestReplySchema(Schema):
    """The secretariat's answer to a member's request."""

    reply = Text(5000, required=True)
