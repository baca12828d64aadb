"""Accounts: one per person, roles per society and for the association."""
import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import GlobalModel, TenantScoped, UTCDateTime


def new_session_token() -> str:
    """A random value that identifies one login session (one device's login)."""
    return secrets.token_urlsafe(32)


class SocietyRoleName(str, enum.Enum):
    """Roles a person can hold in one society (DESIGN.md, Requests and permissions)."""

    secretary_general = "secretary_general"
    secretariat_staff = "secretariat_staff"
    council_member = "council_member"
    supervisor = "supervisor"
    member = "member"


class AssociationRoleName(str, enum.Enum):
    """Roles a person can hold in the association (科协)."""

    administrator = "administrator"
    staff = "staff"
    assessor = "assessor"


class User(GlobalModel):
    """A person's single account, used in every society they belong to."""

    __tablename__ = "user_account"

    email: Mapped[str | None] = mapped_column(String(200), unique=True)
    mobile: Mapped[str | None] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # flask-login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """flask-login: a deactivated account cannot log in."""
        return self.active

    # The token of the login session this object was loaded for or started by (set by accounts.services).
    login_token = None

    def get_id(self) -> str:
        """flask-login: the cookie holds the login session's token, never the primary key."""
        if not self.login_token:
            raise RuntimeError("start a login session (accounts.services.start_session) before login_user")
        return self.login_token

    def __repr__(self) -> str:
        return f"<User {self.email or self.mobile}>"


class LoginSession(GlobalModel):
    """One device's login: the cookie carries its token, and the login lasts while the row exists.

    Logging out deletes this device's row, so a copy of its cookie is refused afterwards; "log out
    everywhere" and a password change or reset delete all of the user's rows.
    """

    __tablename__ = "login_session"
    __audited__ = False  # bookkeeping of logins, and the token must never reach the audit log

    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)


class AssociationRole(GlobalModel):
    """A role a user holds in the association."""

    __tablename__ = "association_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[AssociationRoleName] = mapped_column(Enum(AssociationRoleName, native_enum=False, length=30))


class SocietyRole(TenantScoped):
    """A role a user holds in one society."""

    __tablename__ = "society_role"
    __table_args__ = (UniqueConstraint("society_id", "user_id", "role"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[SocietyRoleName] = mapped_column(Enum(SocietyRoleName, native_enum=False, length=30))
