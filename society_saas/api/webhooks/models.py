"""A society's webhook subscriptions and the delivery log (the outbox)."""
import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import TenantScoped, UTCDateTime, json_type, utcnow

EVENTS = ("member.approved", "dues.paid", "decision.recorded")


class DeliveryState(str, enum.Enum):
    """Where a delivery stands."""

    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class WebhookSubscription(TenantScoped):
    """An endpoint of the society's own systems that wants some events."""

    __tablename__ = "webhook_subscription"

    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list] = mapped_column(json_type(), default=list)
    # the signing secret, encrypted at rest (it must be read back to sign)
    secret_encrypted: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column()


class WebhookDelivery(TenantScoped):
    """One event for one subscription: its payload and every attempt's outcome."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "subscription_id"], ["webhook_subscription.society_id", "webhook_subscription.id"],
                             ondelete="CASCADE"),
        Index("ix_webhook_delivery_due", "society_id", "state", "next_attempt_at"),
        Index("ix_webhook_delivery_subscription", "society_id", "subscription_id", "created_at"),
    )

    __audited__ = False  # the delivery log is itself the record

    subscription_id: Mapped[uuid.UUID] = mapped_column()
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(json_type())
    state: Mapped[DeliveryState] = mapped_column(Enum(DeliveryState, native_enum=False, length=20),
                                                 default=DeliveryState.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
