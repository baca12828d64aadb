"""Audit log pages: one per society for its staff, one for the association."""
from flask import Blueprint, render_template, request
from sqlalchemy import select

from society_saas.core.audit import AuditEvent, PlatformAuditEvent
from society_saas.core.audit_labels import action_label, object_label
from society_saas.core.pagination import paginate
from society_saas.extensions import db
from society_saas.tenancy.context import cross_society
from society_saas.tenancy.models import Society
from society_saas.tenancy.web import require, society_blueprint
from society_saas.oversight.web import association_blueprint

society_bp = society_blueprint("audit", __name__, "admin", "/audit")
association_bp = association_blueprint("association_audit", __name__, "/audit")
# globals, not page variables: the rows macro is imported without the page's context
society_bp.add_app_template_global(action_label, "audit_action")
society_bp.add_app_template_global(object_label, "audit_object")


@society_bp.get("/")
def society_log():
    """The society's audit log, newest first, filterable by object type."""
    require("society.audit.view")
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if request.args.get("type"):
        query = query.where(AuditEvent.object_type == request.args["type"])
    page = paginate(query, request.args.get("page", 1, type=int))
    return render_template("audit/society.html", page=page)


@association_bp.get("/")
def association_log():
    """The association's own log, and every society's log read through the cross-society context."""
    require("association.audit.view")
    scope = request.args.get("scope", "platform")
    number = request.args.get("page", 1, type=int)
    if scope == "societies":
        with cross_society():
            query = (select(AuditEvent, Society.short_name).join(Society, Society.id == AuditEvent.society_id)
                     .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
            page = paginate(query, number, tuples=True)
    else:
        page = paginate(select(PlatformAuditEvent).order_by(PlatformAuditEvent.at.desc(), PlatformAuditEvent.id.desc()), number)
    return render_template("audit/association.html", page=page, scope=scope)
