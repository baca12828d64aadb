"""The council's annual assessment of the secretary-general (秘书长履职考核)."""
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance.models import (
    AssessmentRating, Organ, OrganType, PositionRole, SecretaryGeneralAssessment,
)
from society_saas.governance.services.meetings import get_meeting
from society_saas.governance.services.structure import _enum, _required, get_position


def list_assessments(society, position) -> list[SecretaryGeneralAssessment]:
    """A secretary-general's assessments, latest year first."""
    return list(db.session.scalars(select(SecretaryGeneralAssessment)
                                   .where(SecretaryGeneralAssessment.position_id == position.id)
                                   .order_by(SecretaryGeneralAssessment.year.desc())))


def record_assessment(society, actor, data: dict) -> SecretaryGeneralAssessment:
    """Record a year's assessment; only the secretary-general is assessed, and only by a council meeting."""
    position = get_position(society, _required(data, "position_id"))
    if position.role != PositionRole.secretary_general:
        raise ServiceError(_("Only the secretary-general is assessed here."), field="position_id")
    meeting = get_meeting(society, _required(data, "meeting_id"))
    organ = db.session.get(Organ, (society.id, meeting.organ_id))
    if organ.type not in (OrganType.council, OrganType.standing_council):
        raise ServiceError(_("Assessment rule: the council assesses the secretary-general; choose a council "
                             "meeting."), field="meeting_id")
    year = _required(data, "year")
    if not isinstance(year, int) or not position.starts_on.year <= year <= meeting.held_on.year:
        raise ServiceError(_("The year must fall within the secretary-general's service and before the meeting."),
                           field="year")
    if db.session.scalar(select(SecretaryGeneralAssessment.id).where(
            SecretaryGeneralAssessment.position_id == position.id, SecretaryGeneralAssessment.year == year)):
        raise ServiceError(_("This year has already been assessed."), field="year")
    rating = _enum(AssessmentRating, _required(data, "rating"), "rating", lambda: _("Unknown rating."))
    assessment = SecretaryGeneralAssessment(position_id=position.id, meeting_id=meeting.id, year=year, rating=rating,
                                            comments=(data.get("comments") or "").strip() or None)
    db.session.add(assessment)
    db.session.flush()
    return assessment
