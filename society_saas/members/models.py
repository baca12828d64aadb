"""Member classes, the member ledger, its history, numbering, and applications."""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, Enum, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from society_saas.core.db import TenantScoped, UTCDateTime, json_type, utcnow


def _enum(cls, length: int = 20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class MemberStatus(str, enum.Enum):
    """Where a member stands in the lifecycle."""

    active = "active"
    grace = "grace"
    lapsed = "lapsed"
    resigned = "resigned"
    expelled = "expelled"
    deceased = "deceased"


class ApplicationStatus(str, enum.Enum):
    """Where an application stands."""

    submitted = "submitted"
    under_review = "under_review"
    more_info = "more_info"
    approved = "approved"
    rejected = "rejected"


class ApplicationKind(str, enum.Enum):
    """Joining the society, or moving a member to a higher class."""

    join = "join"
    upgrade = "upgrade"


class MemberClass(TenantScoped):
    """One class of membership of a society, with its dues, eligibility and rights."""

    __tablename__ = "member_class"
    __table_args__ = (UniqueConstraint("society_id", "code"),)

    code: Mapped[str] = mapped_column(String(20))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    annual_dues_fen: Mapped[int] = mapped_column(Integer, default=0)
    min_years: Mapped[int] = mapped_column(Integer, default=0)
    requires_senior_title: Mapped[bool] = mapped_column(Boolean, default=False)
    elected: Mapped[bool] = mapped_column(Boolean, default=False)
    may_vote: Mapped[bool] = mapped_column(Boolean, default=True)
    may_stand: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_institutional(self) -> bool:
        """Institutional members are organisations, not people."""
        return self.code == "institutional"

    def label(self, language: str = "zh_CN") -> str:
        """The class's name in the given language."""
        return self.name_zh if language == "zh_CN" else self.name_en


class MemberNumberSequence(TenantScoped):
    """The society's member number scheme: a prefix and a counter that only ever grows."""

    __tablename__ = "member_number_sequence"
    __table_args__ = (UniqueConstraint("society_id", "prefix"),)

    prefix: Mapped[str] = mapped_column(String(8))
    counter: Mapped[int] = mapped_column(Integer, default=0)
    width: Mapped[int] = mapped_column(Integer, default=6)


class Member(TenantScoped):
    """One entry of the society's member ledger: a person or an institution."""

    __tablename__ = "member"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "class_id"], ["member_class.society_id", "member_class.id"]),
        UniqueConstraint("society_id", "member_number"),
        UniqueConstraint("society_id", "id_number_index"),
        # the ledger's counts and the secretariat's figures (status, class, front line, age, joined) from
        # the index alone, without reading the rows
        Index("ix_member_society_status", "society_id", "status", "class_id",
              postgresql_include=["front_line", "birth_date", "join_date"]),
        Index("ix_member_society_class", "society_id", "class_id"),
        Index("ix_member_society_name", "society_id", "name"),
        Index("uq_member_society_user", "society_id", "user_id", unique=True),  # one record per account
        Index("ix_member_society_region", "society_id", "region"),  # the ledger's region list and filter
        # the ledger's "newest first" sort pages by index instead of sorting the society (issue 9 bench)
        Index("ix_member_society_join_date", "society_id", "join_date"),
    )

    member_number: Mapped[str | None] = mapped_column(String(30))
    class_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[MemberStatus] = mapped_column(_enum(MemberStatus), default=MemberStatus.active)
    join_date: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    # a person (for institutional members: the organisation's name)
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(10))
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_type: Mapped[str | None] = mapped_column(String(20))
    id_number_encrypted: Mapped[str | None] = mapped_column(Text)
    id_number_index: Mapped[str | None] = mapped_column(String(64))
    id_number_masked: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    work_unit: Mapped[str | None] = mapped_column(String(200))
    professional_title: Mapped[str | None] = mapped_column(String(60))
    senior_title: Mapped[bool] = mapped_column(Boolean, default=False)
    education: Mapped[str | None] = mapped_column(String(30))
    discipline: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    front_line: Mapped[bool] = mapped_column(Boolean, default=False)
    nationality: Mapped[str] = mapped_column(String(20), default="mainland")
    party_member: Mapped[bool | None] = mapped_column(Boolean)

    # institutional members
    organisation: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    contact_person: Mapped[str | None] = mapped_column(String(100))
    # fields the member changed in the portal that the secretariat has not re-verified yet
    reverify_fields: Mapped[list] = mapped_column(json_type(), default=list)
    # optimistic locking: every ORM UPDATE checks and bumps it, so two staff saving the same record
    # cannot silently overwrite each other (the edit form also carries the version it showed)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    member_class: Mapped[MemberClass] = relationship(lazy="joined", viewonly=True)

    __mapper_args__ = {"version_id_col": version}


class MemberEvent(TenantScoped):
    """One change in a member's history; never updated or deleted."""

    __tablename__ = "member_event"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"]),
        Index("ix_member_event_member", "society_id", "member_id", "at"),
        Index("ix_member_event_at", "society_id", "at"),  # this year's departures on the secretariat's home
        {"info": {"append_only": True}},
    )

    member_id: Mapped[uuid.UUID] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    from_class: Mapped[str | None] = mapped_column(String(20))
    to_class: Mapped[str | None] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class MemberApplication(TenantScoped):
    """An application to join, or to move up a class, and its review."""

    __tablename__ = "member_application"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "class_id"], ["member_class.society_id", "member_class.id"]),
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"]),
        Index("ix_member_application_status", "society_id", "status"),
        Index("ix_member_application_user", "society_id", "applicant_user_id"),
    )

    kind: Mapped[ApplicationKind] = mapped_column(_enum(ApplicationKind), default=ApplicationKind.join)
    status: Mapped[ApplicationStatus] = mapped_column(_enum(ApplicationStatus), default=ApplicationStatus.submitted)
    applicant_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    applicant_name: Mapped[str] = mapped_column(String(200))
    class_id: Mapped[uuid.UUID] = mapped_column()
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    data: Mapped[dict] = mapped_column(json_type(), default=dict)
    attachments: Mapped[list] = mapped_column(json_type(), default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    # optimistic locking: two staff reviewing the same application at once cannot both decide it
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    member_class: Mapped[MemberClass] = relationship(lazy="joined", viewonly=True)

    __mapper_args__ = {"version_id_col": version}


class RequestStatus(str, enum.Enum):
    """Where a member's request or complaint stands."""

    open = "open"
    answered = "answered"
    closed = "closed"


class MemberRequest(TenantScoped):
    """A member's request or complaint (诉求反映) and the secretariat's reply."""

    __tablename__ = "member_request"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"]),
        Index("ix_member_request_status", "society_id", "status"),
        Index("ix_member_request_member", "society_id", "member_id"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column()
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.open)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_by: Mapped[uuid.UUID | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
