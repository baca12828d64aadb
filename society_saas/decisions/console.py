"""The association's view of the decision logs: reported matters to answer, and every chain verified."""
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import defer

from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.forms import errors_by_label
from society_saas.core.i18n import plain_labels
from society_saas.decisions import services
from society_saas.decisions.chain import verify_all_chains
from society_saas.decisions.forms import KIND_LABELS, RESPONSE_LABELS, STATE_LABELS, ResponseForm
from society_saas.extensions import db
from society_saas.oversight.web import association_blueprint
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society
from society_saas.tenancy.web import require

bp = association_blueprint("association_decisions", __name__, "/decisions")
PER_PAGE = 50


@bp.get("/")
def reports():
    """Matters the societies reported (重大事项请示报告), pending ones first."""
    status = request.args.get("status") or None
    # Every society's reports over the years run to thousands: one page of them, pending ones first.
    page = services.reported_matters_page(status, request.args.get("page", 1, type=int), PER_PAGE)
    return render_template("decisions/console_reports.html", page=page, status=status,
                           kinds=plain_labels(KIND_LABELS), states=plain_labels(STATE_LABELS),
                           responses=plain_labels(RESPONSE_LABELS), form=ResponseForm())


@bp.post("/<uuid:society_id>/<uuid:decision_id>/respond")
def respond(society_id: uuid.UUID, decision_id: uuid.UUID):
    """Acknowledge a reported matter or ask the society a question."""
    require("association.decisions.respond")
    society = db.session.get(Society, society_id)
    if society is None:
        abort(404)
    form = ResponseForm()
    if not form.validate_on_submit():
        flash(errors_by_label(form) or _("Choose acknowledge or ask a question."), "error")
        return redirect(url_for(".reports"))
    with society_context(society.id):
        try:
            services.respond_to_report(society, current_user, {**form.data, "decision_id": decision_id})
        except NotFoundError:
            abort(404)
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Your answer has been added to the society's decision log."), "success")
    return redirect(url_for(".reports"))


@bp.get("/verify")
def verify_all():
    """Verify every society's whole chain (three queries for all of them, whatever their number)."""
    societies = list(db.session.scalars(select(Society).options(defer(Society.settings)).order_by(Society.name)))
    with cross_society():
        reports = verify_all_chains(s.id for s in societies)
    return render_template("decisions/console_verify.html", results=[(s, reports[s.id]) for s in societies])
