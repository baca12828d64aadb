"""The home page, a society's public page, and the entry pages of the secretariat and the portal."""
from flask import Blueprint, g, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core.permissions import society_roles
from society_saas.extensions import db
from society_saas.tenancy import dashboard
from society_saas.tenancy.models import Society, SocietyStatus
from society_saas.tenancy.web import society_blueprint

home_bp = Blueprint("home", __name__)
public_bp = society_blueprint("society", __name__, "public")
admin_bp = society_blueprint("admin", __name__, "admin")
portal_bp = society_blueprint("portal", __name__, "portal")


@home_bp.get("/")
def index():
    """The list of active societies, where a scientist finds one to join."""
    # the three columns the cards show, not whole societies (their settings are JSON to decode)
    societies = db.session.execute(select(Society.slug, Society.name, Society.discipline)
                                   .where(Society.status == SocietyStatus.active).order_by(Society.name)).all()
    return render_template("home/index.html", societies=societies)


@public_bp.get("/")
def public_page():
    """A society's public page."""
    return render_template("society/public.html", society=g.society)


@admin_bp.get("/")
def admin_home():
    """The secretariat's start page: figures, the renewal standing and the decision chain."""
    summary = dashboard.secretariat_summary(g.society)
    charts = {"joined": dashboard.joined_by_month_chart(summary["stats"], _("month"), _("Joined")),
              "classes": dashboard.class_share_chart(summary["stats"])}
    return render_template("admin/home.html", society=g.society, summary=summary, charts=charts)


@portal_bp.get("/")
def portal_home():
    """The member's start page."""
    roles = society_roles(current_user, g.society.id)
    return render_template("portal/home.html", society=g.society, roles=roles)
