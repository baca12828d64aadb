"""A society's own Stripe account: keys stored encrypted, entered by the secretary-general."""
from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core import audit
from society_saas.core.db import TenantScoped, json_type

# The encrypted keys never enter the audit log, not even encrypted.
audit.REDACTED.update({"secret_key_encrypted", "webhook_secret_encrypted"})


class PaymentAccount(TenantScoped):
    """The society's Stripe keys (Fernet-encrypted) or connected account, and the methods it offers."""

    __tablename__ = "payment_account"
    __table_args__ = (UniqueConstraint("society_id", "provider"),)

    provider: Mapped[str] = mapped_column(String(20), default="stripe")
    secret_key_encrypted: Mapped[str | None] = mapped_column(Text)
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    publishable_key: Mapped[str | None] = mapped_column(String(255))
    connected_account_id: Mapped[str | None] = mapped_column(String(255))
    methods: Mapped[list] = mapped_column(json_type(), default=lambda: ["card"])
