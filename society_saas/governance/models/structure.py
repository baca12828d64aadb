"""Organs, their terms (届) and the positions held within a term."""
import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Enum, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from society_saas.core.db import TenantScoped
from society_saas.governance.models.enums import (
    BranchSubtype, ELECTED_ORGANS, Gender, OrganType, PartyType, PositionRole, Region,
)


def _enum(cls, length=30):
    return Enum(cls, native_enum=False, length=length)


class Organ(TenantScoped):
    """A body of the society: assembly, council, supervisory board, secretariat, a branch, the party organisation."""

    __tablename__ = "organ"
    __table_args__ = (UniqueConstraint("society_id", "name"),)

    type: Mapped[OrganType] = mapped_column(_enum(OrganType))
    name: Mapped[str] = mapped_column(String(200))
    branch_subtype: Mapped[BranchSubtype | None] = mapped_column(_enum(BranchSubtype))
    party_type: Mapped[PartyType | None] = mapped_column(_enum(PartyType, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)

    terms: Mapped[list["Term"]] = relationship(
        back_populates="organ", order_by="Term.number", viewonly=True,
        primaryjoin="and_(Organ.society_id == foreign(Term.society_id), Organ.id == foreign(Term.organ_id))")

    @property
    def is_elected(self) -> bool:
        """True for organs elected for a term (届)."""
        return self.type in ELECTED_ORGANS


class Term(TenantScoped):
    """One term (届) of an elected organ."""

    __tablename__ = "term"
    __table_args__ = (
        UniqueConstraint("society_id", "organ_id", "number"),
        ForeignKeyConstraint(["society_id", "organ_id"], ["organ.society_id", "organ.id"], ondelete="RESTRICT"),
    )

    organ_id: Mapped[uuid.UUID] = mapped_column()
    number: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    organ: Mapped[Organ] = relationship(
        back_populates="terms", viewonly=True,
        primaryjoin="and_(Organ.society_id == foreign(Term.society_id), Organ.id == foreign(Term.organ_id))")


class Position(TenantScoped):
    """A role held by a person within a term; attributes are a snapshot for the composition rules."""

    __tablename__ = "position"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "term_id"], ["term.society_id", "term.id"], ondelete="RESTRICT"),
        ForeignKeyConstraint(["society_id", "member_id"], ["member.society_id", "member.id"], ondelete="RESTRICT"),
        Index("ix_position_society_term", "society_id", "term_id"),
    )

    term_id: Mapped[uuid.UUID] = mapped_column()
    role: Mapped[PositionRole] = mapped_column(_enum(PositionRole))
    holder_name: Mapped[str] = mapped_column(String(60))
    gender: Mapped[Gender] = mapped_column(_enum(Gender, 10))
    birth_date: Mapped[date] = mapped_column(Date)
    front_line: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[Region] = mapped_column(_enum(Region, 10), default=Region.mainland)
    # The holder when they are a member of the society; otherwise a person outside the ledger.
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    employer: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    resigned_at: Mapped[date | None] = mapped_column(Date)
    # The council decision that appointed a secretary-general (decision log entry, as text for now).
    appointment_decision_ref: Mapped[str | None] = mapped_column(String(200))

    term: Mapped[Term] = relationship(
        viewonly=True,
        primaryjoin="and_(Term.society_id == foreign(Position.society_id), Term.id == foreign(Position.term_id))")

    def holder_key(self) -> tuple:
        """Identity of the holder across terms: the member, else name and birth date."""
        return ("m", self.member_id) if self.member_id else ("p", self.holder_name, self.birth_date)
