"""Blueprints of the member area: the secretariat's ledger, the public application, the member portal."""
from society_saas.members.views import admin_extra, certificates, importing  # noqa: F401  (more routes on the admin blueprint)
from society_saas.members.views.admin import bp as admin_bp  # noqa: F401
from society_saas.members.views.portal import bp as portal_bp  # noqa: F401
from society_saas.members.views.public import bp as apply_bp  # noqa: F401
from society_saas.members.views.verify import bp as verify_bp  # noqa: F401

blueprints = (admin_bp, apply_bp, portal_bp, verify_bp)


def _my_membership() -> dict:
    """The signed-in person's record here and, without one, their open application to join (for the portal)."""
    from flask_login import current_user

    from society_saas.members import services

    member = services.member_for_user(current_user)
    pending = None
    if member is None and current_user.is_authenticated:
        pending = services.open_join_application(current_user.id)
    return {"member": member, "pending": pending}


def _as_datetime(value):
    """A time kept as ISO text (the application's questions and answers) as a datetime, naive meaning UTC."""
    from datetime import datetime, timezone

    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


portal_bp.add_app_template_global(_my_membership, "my_membership")
portal_bp.add_app_template_filter(_as_datetime, "as_datetime")
