"""Renewals (换届) of a society's elected organs, and their history."""
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Enum, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from society_saas.core.db import TenantScoped, UTCDateTime, utcnow
from society_saas.governance.models.enums import RenewalStatus
from society_saas.governance.models.structure import Term


def _status_type() -> Enum:
    return Enum(RenewalStatus, native_enum=False, length=30)


class Renewal(TenantScoped):
    """The renewal of the organs whose term ends: plan, pre-review, assembly, filing or postponement."""

    __tablename__ = "renewal"
    __table_args__ = (
        UniqueConstraint("society_id", "term_id"),
        ForeignKeyConstraint(["society_id", "term_id"], ["term.society_id", "term.id"], ondelete="RESTRICT"),
    )

    term_id: Mapped[uuid.UUID] = mapped_column()  # the expiring council term
    status: Mapped[RenewalStatus] = mapped_column(_status_type(), default=RenewalStatus.preparing)
    plan_due_on: Mapped[date] = mapped_column(Date)  # six months before the term ends
    plan: Mapped[str | None] = mapped_column(Text)
    candidates: Mapped[str | None] = mapped_column(Text)  # candidate list, one per line
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_comment: Mapped[str | None] = mapped_column(Text)
    assembly_held_on: Mapped[date | None] = mapped_column(Date)
    results_due_on: Mapped[date | None] = mapped_column(Date)  # 30 working days after the assembly
    results_filed_on: Mapped[date | None] = mapped_column(Date)
    postponement_reason: Mapped[str | None] = mapped_column(Text)
    postponed_until: Mapped[date | None] = mapped_column(Date)  # the day an approved postponement runs to
    requested_until: Mapped[date | None] = mapped_column(Date)  # the day a postponement awaiting review asks for
    # the step the renewal had reached when the postponement was asked: a refusal returns it there
    status_before_request: Mapped[RenewalStatus | None] = mapped_column(_status_type())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    term: Mapped[Term] = relationship(
        viewonly=True,
        primaryjoin="and_(Term.society_id == foreign(Renewal.society_id), Term.id == foreign(Renewal.term_id))")


class RenewalEvent(TenantScoped):
    """One step of a renewal (submitted, returned with a comment, approved…), kept for the record."""

    __tablename__ = "renewal_event"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "renewal_id"], ["renewal.society_id", "renewal.id"], ondelete="CASCADE"),
        Index("ix_renewal_event_society_renewal", "society_id", "renewal_id"),
    )

    renewal_id: Mapped[uuid.UUID] = mapped_column()
    action: Mapped[str] = mapped_column(String(40))
    actor_label: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def at_local(self) -> datetime:
        """When it happened, in Asia/Shanghai (times are stored in UTC)."""
        return self.at.astimezone(ZoneInfo("Asia/Shanghai"))


class RenewalNotice(TenantScoped):
    """One renewal reminder (换届提醒) of one level for one council term: claimed once, so never sent twice."""

    __tablename__ = "renewal_notice"
    __table_args__ = (
        UniqueConstraint("society_id", "term_id", "level"),
        ForeignKeyConstraint(["society_id", "term_id"], ["term.society_id", "term.id"], ondelete="RESTRICT"),
    )
    __audited__ = False  # bookkeeping of the reminder command

    term_id: Mapped[uuid.UUID] = mapped_column()
    level: Mapped[str] = mapped_column(String(20))  # plan, 180, 90, 30, overdue, postponement_overdue
    status: Mapped[str] = mapped_column(String(20), default="claimed")  # claimed -> sent | failed
    to_addresses: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
