"""Governance services: verbs taking (society, actor, data); they add and flush, never commit."""
from society_saas.governance.services.charter import charter_settings  # noqa: F401
from society_saas.governance.services.structure import (  # noqa: F401
    add_position, create_organ, create_term, get_organ, get_position, get_term, list_organs, list_positions,
    resign_position, update_position, youth_committees,
)
from society_saas.governance.services.composition import (  # noqa: F401
    compliance, compliance_overview, preview_compliance, renewal_composition, roster_counts, save_rule, delete_rule, list_rules,
)
from society_saas.governance.services.meetings import create_meeting, get_meeting, list_meetings  # noqa: F401
from society_saas.governance.services.renewals import (  # noqa: F401
    decide_postponement, file_results, get_renewal, record_assembly, renewal_listing, renewal_overview,
    request_postponement, review_renewal, standing, start_renewal, submit_plan,
)
from society_saas.governance.services.assessments import list_assessments, record_assessment  # noqa: F401
