"""The Society: the tenant, a global table."""
import enum
from datetime import datetime

from sqlalchemy import Enum, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import GlobalModel, UTCDateTime, json_type, utcnow


class SocietyKind(str, enum.Enum):
    """The kinds of organisation that can be a tenant (DOMAIN.md, "Who is who")."""

    society = "society"  # 学会
    association = "association"  # 协会
    research_society = "research_society"  # 研究会
    university_sta = "university_sta"  # 高校科协
    enterprise_sta = "enterprise_sta"  # 企业科协
    park_sta = "park_sta"  # 园区科协


class SocietyStatus(str, enum.Enum):
    """Whether a society may use the platform."""

    active = "active"
    suspended = "suspended"


class Society(GlobalModel):
    """A scientific society under the association; every tenant row points here."""

    __tablename__ = "society"

    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[SocietyKind] = mapped_column(Enum(SocietyKind, native_enum=False, length=30))
    registration_no: Mapped[str | None] = mapped_column(String(60))
    supporting_unit: Mapped[str | None] = mapped_column(String(200))
    discipline: Mapped[str | None] = mapped_column(String(100))
    consortium: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SocietyStatus] = mapped_column(
        Enum(SocietyStatus, native_enum=False, length=20), default=SocietyStatus.active
    )
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    # Charter settings, member classes, dues and branding from the tenants/ file.
    settings: Mapped[dict] = mapped_column(json_type(), default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # optimistic locking: two association staff editing the profile at once cannot overwrite each other
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:
        """True unless the association suspended the society."""
        return self.status == SocietyStatus.active

    def __repr__(self) -> str:
        return f"<Society {self.slug}>"

