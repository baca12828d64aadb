"""What the audit log's actions and object types are called in the reader's language (the stored values
stay the code's names, so the log reads the same whatever the language it was written in)."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"), "import": _l("Roster import"),
    "invoice_run": _l("Invoice run"), "read_full": _l("Full record read"), "charter": _l("Charter settings"),
    "certificates_printed": _l("Certificates printed"),
}
OBJECT_LABELS = {
    "Activity": _l("Activity"), "AssessmentIndicator": _l("Assessment indicator"),
    "AssessmentResult": _l("Assessment result"), "AssessmentScheme": _l("Assessment scheme"),
    "AssessmentScore": _l("Assessment score"), "AssessmentSelfReport": _l("Self-report"),
    "AssociationRole": _l("Association role"), "CompositionRule": _l("Composition rule"),
    "DuesExemption": _l("Dues exemption"), "DuesSchedule": _l("Dues schedule"), "Invoice": _l("Invoice"),
    "job": _l("Job"),
    "Meeting": _l("Meeting"), "MeetingAttendance": _l("Attendance"), "Member": _l("Member"),
    "MemberApplication": _l("Membership application"), "MemberClass": _l("Membership class"),
    "MemberEvent": _l("Member history"), "MemberRequest": _l("Member request"), "Organ": _l("Organ"),
    "Payment": _l("Payment"), "PaymentAccount": _l("Payment account"), "Position": _l("Position"),
    "Receipt": _l("Receipt"), "ReformTask": _l("Reform task"), "Renewal": _l("Renewal"),
    "Society": _l("Society"), "SocietyRole": _l("Society role"), "Term": _l("Term"),
    "WatchAction": _l("Watchlist action"), "WebhookSubscription": _l("Webhook"),
}


def action_label(action: str) -> str:
    """The action's name for the reader, or the stored value when it has none."""
    return str(ACTION_LABELS.get(action, action))


def object_label(object_type: str) -> str:
    """The object type's name for the reader, or the stored value when it has none."""
    return str(OBJECT_LABELS.get(object_type, object_type))
