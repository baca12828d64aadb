"""Personal access tokens of the REST API (a global table: a token may belong to the association)."""
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from society_saas.accounts.models import User
from society_saas.core.db import GlobalModel, UTCDateTime, utcnow


class ApiToken(GlobalModel):
    """A user's token for one society (or, with no society, for the association), read or write."""

    __tablename__ = "api_token"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # sha256 of the secret; the secret itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    # the society the token works in, NULL for the association; not named society_id because a global
    # (Citus reference) table must not look like a tenant table (tests/platform/test_citus.py)
    for_society_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("society.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10), default="read")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined", viewonly=True)

    @property
    def writable(self) -> bool:
        """True for a read-write token."""
        return self.scope == "write"

    @property
    def expired(self) -> bool:
        """True once the expiry has passed."""
        return self.expires_at <= utcnow()
