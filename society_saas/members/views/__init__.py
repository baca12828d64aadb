"""Blueprints of the member area: the secretariat's ledger, the public application, the member portal."""
from society_saas.members.views import admin_extra, importing  # noqa: F401  (more routes on the admin blueprint)
from society_saas.members.views.admin import bp as admin_bp  # noqa: F401
from society_saas.members.views.portal import bp as portal_bp  # noqa: F401
from society_saas.members.views.public import bp as apply_bp  # noqa: F401
from society_saas.members.views.verify import bp as verify_bp  # noqa: F401

blueprints = (admin_bp, apply_bp, portal_bp, verify_bp)
