"""Imports every area's models so the metadata knows all tables (migrations, Citus, tests)."""
from society_saas.accounts.models import AssociationRole, LoginSession, SocietyRole, User  # noqa: F401
from society_saas.core.audit import AuditEvent, PlatformAuditEvent  # noqa: F401
from society_saas.tenancy.models import Society  # noqa: F401
from society_saas.members.models import Member, MemberApplication, MemberClass, MemberEvent, MemberNumberSequence, MemberRequest  # noqa: F401
from society_saas.decisions.models import DecisionCheckpoint, DecisionEntry  # noqa: F401
from society_saas.governance.models import CompositionRule, Meeting, MeetingAttendance, Organ, Position, Renewal, RenewalEvent, SecretaryGeneralAssessment, Term  # noqa: F401
from society_saas.api.models import ApiToken  # noqa: F401
from society_saas.api.webhooks.models import WebhookDelivery, WebhookSubscription  # noqa: F401
from society_saas.oversight.models import Activity, AssessmentResult, AssessmentScheme, AssessorAssignment, AssessorScore, Indicator, MetricSnapshot, ReformTask, SelfReport, WatchAction  # noqa: F401
from society_saas.core.jobs import Job  # noqa: F401
from society_saas.core.once import FormSubmission  # noqa: F401
from society_saas.dues.models import DuesExemption, DuesSchedule, Invoice, Payment, Receipt, ReceiptCounter, ReminderSent, StripeEvent  # noqa: F401
from society_saas.payments.models import PaymentAccount  # noqa: F401
