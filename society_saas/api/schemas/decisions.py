"""The decision register."""
from marshmallow import Schema, fields, validate

from society_saas.api.schemas.common import PageArgs, PageSchema, Text, _count
from society_saas.decisions.models import Body, DecisionKind, DecisionState, Supervision

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


class DecisionStateSchema(Schema):
    """Move an adopted decision on (the lifecycle rule applies)."""

    state = fields.String(required=True, validate=validate.OneOf(["in_progress", "completed"]))
    note = Text(5000)


class DecisionFollowUpSchema(Schema):
    """A note on how the decision is carried out."""

    note = Text(5000, required=True, validate=validate.Length(min=1))


class DecisionCorrectionSchema(DecisionRecordSchema):
    """A correction pointing at an earlier entry; record fields given replace the current ones and the collective
    decision rules are checked again. Nothing is edited: the correction is a new entry of the chain."""

    kind = fields.String(validate=validate.OneOf([k.value for k in DecisionKind]))
    title = Text(300)
    proposer = Text(200)
    votes_for = _count()
    result = fields.String(validate=validate.OneOf(["adopted", "rejected"]))
    supervisors = fields.String(validate=validate.OneOf([s.value for s in Supervision]))
    corrects_seq = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    note = Text(5000, required=True, validate=validate.Length(min=1))
