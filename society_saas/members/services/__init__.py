"""Member verbs: `(society, actor, data)`, add and flush, never commit, never touch `request`."""
from society_saas.members.services.applications import (  # noqa: F401
    approve, check_eligibility, check_may_join, membership_years, open_join_application, open_to_newcomers,
    open_upgrade, reject, request_more_info, resubmit, start_review, submit_application, submit_upgrade,
)
from society_saas.members.services.classes import class_by_code, list_classes, provision_classes, update_class  # noqa: F401
from society_saas.members.services.lifecycle import (  # noqa: F401
    TRANSITIONS, change_class, expel, expire_memberships, mark_deceased, mark_grace, mark_lapsed, reclassify, reinstate,
    resign,
)
from society_saas.members.services.numbering import allocate_number, assign_number  # noqa: F401
from society_saas.members.services.records import (  # noqa: F401
    create_member, get_member, history, ledger_query, member_for_user, read_full_record, update_member, validate_member_data,
)
from society_saas.members.services.portal import (  # noqa: F401
    close_request, confirm_verified, file_request, my_data, reply_request, update_own_profile,
)
from society_saas.members.services.stats import society_indicators, society_stats  # noqa: F401
