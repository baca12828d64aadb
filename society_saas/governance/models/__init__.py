"""Governance models, split by topic; import from here."""
from society_saas.governance.models.enums import (  # noqa: F401
    BranchSubtype, Comparison, CompositionAttribute, Gender, MeetingForm, MeetingKind, AttendanceStatus, OrganType,
    PartyType, PositionRole, Region, RenewalStatus, ELECTED_ORGANS, ROLE_ORGANS,
)
from society_saas.governance.models.structure import Organ, Position, Term  # noqa: F401
from society_saas.governance.models.meetings import Meeting, MeetingAttendance  # noqa: F401
from society_saas.governance.models.renewals import Renewal, RenewalEvent, RenewalNotice  # noqa: F401
from society_saas.governance.models.rules import CompositionRule  # noqa: F401
from society_saas.governance.models.assessments import AssessmentRating, SecretaryGeneralAssessment  # noqa: F401
