"""Meetings of any organ, with their attendance."""
import uuid
from datetime import date
from fractions import Fraction

from sqlalchemy import Date, Enum, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from society_saas.core.db import TenantScoped
from society_saas.governance.models.enums import AttendanceStatus, MeetingForm, MeetingKind
from society_saas.governance.models.structure import Organ, Term


class Meeting(TenantScoped):
    """A meeting of an organ; the decision log points here by (society_id, meeting_id)."""

    __tablename__ = "meeting"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "organ_id"], ["organ.society_id", "organ.id"], ondelete="RESTRICT"),
        ForeignKeyConstraint(["society_id", "term_id"], ["term.society_id", "term.id"], ondelete="RESTRICT"),
        Index("ix_meeting_society_organ_held", "society_id", "organ_id", "held_on"),
    )

    organ_id: Mapped[uuid.UUID] = mapped_column()
    term_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[MeetingKind] = mapped_column(Enum(MeetingKind, native_enum=False, length=20),
                                              default=MeetingKind.regular)
    form: Mapped[MeetingForm] = mapped_column(Enum(MeetingForm, native_enum=False, length=20),
                                              default=MeetingForm.in_person)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    agenda: Mapped[str | None] = mapped_column(Text)
    members_count: Mapped[int] = mapped_column(Integer)  # members of the organ entitled to attend
    present_count: Mapped[int] = mapped_column(Integer, default=0)  # in person or online
    proxy_count: Mapped[int] = mapped_column(Integer, default=0)  # by proxy, where the charter allows
    minutes_file: Mapped[str | None] = mapped_column(String(200))  # stored name in the file storage

    organ: Mapped[Organ] = relationship(
        viewonly=True,
        primaryjoin="and_(Organ.society_id == foreign(Meeting.society_id), Organ.id == foreign(Meeting.organ_id))")
    term: Mapped[Term | None] = relationship(
        viewonly=True,
        primaryjoin="and_(Term.society_id == foreign(Meeting.society_id), Term.id == foreign(Meeting.term_id))")

    def is_quorate(self, quorum: Fraction, count_proxies: bool = False) -> bool:
        """True when those present reach the quorum (e.g. 2/3 of the members); exact, no floats."""
        present = self.present_count + (self.proxy_count if count_proxies else 0)
        return self.members_count > 0 and Fraction(present, self.members_count) >= quorum


class MeetingAttendance(TenantScoped):
    """One person's attendance at a meeting."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (
        ForeignKeyConstraint(["society_id", "meeting_id"], ["meeting.society_id", "meeting.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["society_id", "position_id"], ["position.society_id", "position.id"],
                             ondelete="RESTRICT"),
        Index("ix_meeting_attendance_society_meeting", "society_id", "meeting_id"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column()
    position_id: Mapped[uuid.UUID | None] = mapped_column()
    name: Mapped[str] = mapped_column(String(60))
    status: Mapped[AttendanceStatus] = mapped_column(Enum(AttendanceStatus, native_enum=False, length=10))
    proxy_name: Mapped[str | None] = mapped_column(String(60))
