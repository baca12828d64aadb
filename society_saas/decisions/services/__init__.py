"""Verbs of the decision log (take society, actor, data; add and flush; never commit).

rules.py holds the collective decision rules, log.py appends to the chain and folds decisions back,
reports.py the matters reported to the association."""
from society_saas.decisions.chain import verify_chain  # noqa: F401
from society_saas.decisions.services.log import (  # noqa: F401
    RECORD_FIELDS, TRANSITIONS, Decision, add_correction, add_follow_up, attachment, change_state, checkpoints,
    get_decision, list_decisions, record_decision, sign_checkpoint)
from society_saas.decisions.services.reports import (  # noqa: F401
    RESPONSES, reported_matters, reported_matters_page, respond_to_report)
from society_saas.decisions.services.rules import (  # noqa: F401
    charter, check_record, fund_threshold, has_party_organisation, majority, meeting_choices, quorum)
