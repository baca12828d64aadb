"""The secretary-general's annual performance assessment (秘书长履职考核), recorded by the council."""
import enum
import uuid

from sqlalchemy import Enum, ForeignKeyConstraint, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import TenantScoped


class AssessmentRating(str, enum.Enum):
    """The grades of an annual assessment."""

    excellent = "excellent"  # 优秀
    competent = "competent"  # 称职
    basically_competent = "basically_competent"  # 基本称职
    incompetent = "incompetent"  # 不称职


class SecretaryGeneralAssessment(TenantScoped):
    """One year's assessment of a secretary-general, decided at a council meeting."""

    __tablename__ = "sg_assessment"
    __table_args__ = (
        UniqueConstraint("society_id", "position_id", "year"),
        ForeignKeyConstraint(["society_id", "position_id"], ["position.society_id", "position.id"],
                             ondelete="RESTRICT"),
        ForeignKeyConstraint(["society_id", "meeting_id"], ["meeting.society_id", "meeting.id"], ondelete="RESTRICT"),
    )

    position_id: Mapped[uuid.UUID] = mapped_column()
    meeting_id: Mapped[uuid.UUID] = mapped_column()
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[AssessmentRating] = mapped_column(Enum(AssessmentRating, native_enum=False, length=30))
    comments: Mapped[str | None] = mapped_column(Text)
