"""Webhook subscriptions and their delivery log."""
from marshmallow import Schema, fields, validate

from society_saas.api.schemas.common import PageSchema, Text


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
