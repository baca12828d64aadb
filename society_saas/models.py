"""Imports every area's models so the metadata knows all tables (migrations, Citus, tests)."""
from society_saas.accounts.models import AssociationRole, SocietyRole, User  # noqa: F401
from society_saas.core.audit import AuditEvent, PlatformAuditEvent  # noqa: F401
from society_saas.tenancy.models import Society  # noqa: F401
from society_saas.members.models import Member, MemberApplication, MemberClass, MemberEvent, MemberNumberSequence, MemberRequest  # noqa: F401
from society_saas.decisions.models import DecisionCheckpoint, DecisionEntry  # noqa: F401
from society_saas.governance.models import CompositionRule, Meeting, MeetingAttendance, Organ, Position, Renewal, RenewalEvent, SecretaryGeneralAssessment, Term  # noqa: F401
from society_saas.api.models import ApiToken  # noqa: F401
