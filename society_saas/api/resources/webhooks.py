"""Outgoing webhooks of one society: subscriptions and their delivery log."""
import uuid

from flask import g

from society_saas.api.schemas import PageArgs
from society_saas.api.schemas import (DeliveryPageSchema, DeliverySchema, WebhookCreateSchema, WebhookCreatedSchema,
                                           WebhookSchema)
from society_saas.api.web import rule, society_blueprint
from society_saas.api.webhooks import services
from society_saas.core.pagination import paginate
from society_saas.extensions import db

bp = society_blueprint("api_webhooks", __name__, "", "Outgoing webhooks (HMAC-signed, retried with backoff).")
# where the society's data is sent is the secretary-general's decision
ACTION = "society.roles.manage"


@bp.get("/webhooks")
@bp.response(200, WebhookSchema(many=True))
@rule(ACTION)
def list_webhooks():
    """The society's webhook subscriptions."""
    return services.list_subscriptions(g.society)


@bp.post("/webhooks")
@bp.arguments(WebhookCreateSchema)
@bp.response(201, WebhookCreatedSchema)
@rule(ACTION, write=True)
def create_webhook(data):
    """Subscribe an endpoint; the answer carries the signing secret, shown this once."""
    row, secret = services.subscribe(g.society, g.api_token.user, data)
    db.session.commit()
    return {**{k: getattr(row, k) for k in WebhookSchema().fields}, "secret": secret}


@bp.get("/webhooks/<uuid:webhook_id>")
@bp.response(200, WebhookSchema)
@rule(ACTION)
def get_webhook(webhook_id: uuid.UUID):
    """One subscription."""
    return services.get_subscription(g.society, webhook_id)


@bp.delete("/webhooks/<uuid:webhook_id>")
@bp.response(200, WebhookSchema)
@rule(ACTION, write=True)
def delete_webhook(webhook_id: uuid.UUID):
    """Stop sending to this endpoint (its delivery log is kept)."""
    row = services.unsubscribe(g.society, g.api_token.user, services.get_subscription(g.society, webhook_id))
    db.session.commit()
    return row


@bp.get("/webhooks/<uuid:webhook_id>/deliveries")
@bp.arguments(PageArgs, location="query")
@bp.response(200, DeliveryPageSchema)
@rule(ACTION)
def list_deliveries(args, webhook_id: uuid.UUID):
    """The delivery log of one subscription, newest first."""
    row = services.get_subscription(g.society, webhook_id)
    page = paginate(services.deliveries_query(g.society, row), args["page"], args["per_page"])
    return {"items": page.items, "total": page.total, "page": page.number, "per_page": page.per_page,
            "pages": page.pages}


@bp.post("/webhooks/<uuid:webhook_id>/deliveries/<uuid:delivery_id>/redeliver")
@bp.response(200, DeliverySchema)
@rule(ACTION, write=True)
def redeliver(webhook_id: uuid.UUID, delivery_id: uuid.UUID):
    """Send a delivery again at the next round (a failed one starts a fresh set of attempts)."""
    services.get_subscription(g.society, webhook_id)
    row = services.redeliver(g.society, g.api_token.user, delivery_id)
    if row.subscription_id != webhook_id:
        from flask_smorest import abort

        abort(404)
    db.session.commit()
    return row
