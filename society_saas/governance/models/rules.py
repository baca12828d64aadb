"""Composition rules (代表性) the association sets for every society's bodies: a global table."""
from fractions import Fraction

from sqlalchemy import Boolean, CheckConstraint, Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import GlobalModel
from society_saas.governance.models.enums import Comparison, CompositionAttribute, OrganType


class CompositionRule(GlobalModel):
    """E.g. council, front_line, >=, 7/10: the share of front-line workers on every council is at least 70%."""

    __tablename__ = "composition_rule"
    __table_args__ = (
        CheckConstraint("threshold_den > 0 AND threshold_num >= 0 AND threshold_num <= threshold_den",
                        name="threshold_fraction"),
    )

    body: Mapped[OrganType] = mapped_column(Enum(OrganType, native_enum=False, length=30))
    attribute: Mapped[CompositionAttribute] = mapped_column(Enum(CompositionAttribute, native_enum=False, length=20))
    comparison: Mapped[Comparison] = mapped_column(Enum(Comparison, native_enum=False, length=5))
    threshold_num: Mapped[int] = mapped_column(Integer)
    threshold_den: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def threshold(self) -> Fraction:
        """The threshold as an exact fraction."""
        return Fraction(self.threshold_num, self.threshold_den)
