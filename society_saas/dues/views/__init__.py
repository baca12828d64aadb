"""Blueprints of the dues area: the secretariat's dues pages and the member's dues in the portal."""
from society_saas.dues.views.admin import bp as admin_bp
from society_saas.dues.views.portal import bp as portal_bp

blueprints = (admin_bp, portal_bp)
