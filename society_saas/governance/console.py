"""Association console pages under /association/renewals/: every society's renewal, pre-review, rules."""
import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.core.i18n import plain_labels
from society_saas.extensions import db
from society_saas.governance import forms as f
from society_saas.governance import services as gov
from society_saas.governance.models import CompositionRule, RenewalEvent, Term
from society_saas.governance.services.renewals import standing
from society_saas.oversight.web import association_blueprint
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society
from society_saas.tenancy.web import require

bp = association_blueprint("renewals", __name__, "/renewals")

@bp.get("/")
def index():
    """Every society's current council term and renewal, overdue first (read across societies)."""
    with cross_society():
        items = gov.renewal_listing()
    return render_template("association/renewals.html", items=items, term_label=_("Term %(n)d"),
                           status_labels=plain_labels(f.STATUS_LABELS), standing_labels=plain_labels(f.STANDING_LABELS))


def _society(society_id: uuid.UUID) -> Society:
    society = db.session.get(Society, society_id)
    if society is None:
        abort(404)
    return society


def _review_form(renewal):
    form = f.ReviewForm()
    if renewal.status.value == "postponement_requested":
        form.decision.choices = [("approve", _("Approve the postponement")), ("refuse", _("Refuse the postponement"))]
    else:
        form.decision.choices = [("approve", _("Approve the plan")), ("return", _("Return with comments"))]
    return form


@bp.route("/<uuid:society_id>/<uuid:renewal_id>", methods=["GET", "POST"])
def detail(society_id, renewal_id):
    """One society's renewal: plan, candidates, history, and the pre-review decision."""
    society = _society(society_id)
    # Writing goes to the society's own rows, so this runs inside its context, not the cross-society one.
    with society_context(society.id):
        renewal = gov.get_renewal(society, renewal_id)
        term = db.session.get(Term, (society.id, renewal.term_id))
        form = _review_form(renewal)
        if form.validate_on_submit():
            require("association.renewals.review")
            verb = gov.decide_postponement if renewal.status.value == "postponement_requested" else gov.review_renewal
            try:
                verb(society, current_user, renewal, form.data)
            except NotFoundError:
                raise
            except ServiceError as exc:
                db.session.rollback()
                apply_service_error(form, exc, "comment")
            else:
                db.session.commit()
                flash(_("The decision has been recorded."), "success")
                return redirect(url_for(".detail", society_id=society.id, renewal_id=renewal.id))
        events = db.session.scalars(select(RenewalEvent).where(RenewalEvent.renewal_id == renewal.id)
                                    .order_by(RenewalEvent.at)).all()
        return render_template("association/renewals_detail.html", society=society, renewal=renewal, term=term,
                               form=form, events=events, status_labels=f.STATUS_LABELS,
                               standing=standing(term.ends_on, renewal), standing_labels=f.STANDING_LABELS,
                               event_labels=f.EVENT_LABELS, comps=gov.renewal_composition(society, term),
                               attribute_labels=f.ATTRIBUTE_LABELS, youth=gov.youth_committees(society))


@bp.route("/rules", methods=["GET", "POST"])
def rules():
    """The composition rules every society's bodies are checked against."""
    form = f.RuleForm()
    if form.validate_on_submit():
        require("association.rules.manage")
        try:
            gov.save_rule(current_user, form.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, "threshold")
        else:
            db.session.commit()
            flash(_("The rule has been saved."), "success")
            return redirect(url_for(".rules"))
    return render_template("association/renewals_rules.html", rules=gov.list_rules(), form=form,
                           body_labels=f.ORGAN_LABELS, attribute_labels=f.ATTRIBUTE_LABELS)


@bp.post("/rules/<uuid:rule_id>/delete")
def delete_rule(rule_id):
    """Remove a composition rule."""
    require("association.rules.manage")
    rule = db.session.get(CompositionRule, rule_id)
    if rule is None:
        abort(404)
    gov.delete_rule(current_user, rule)
    db.session.commit()
    flash(_("The rule has been removed."), "success")
    return redirect(url_for(".rules"))


@bp.get("/composition")
def composition():
    """Every society's bodies against the composition rules, counted in one query across societies."""
    from society_saas.governance.services.composition import RuleResult
    from society_saas.governance.services.renewals import today

    with cross_society():
        rows = gov.compliance_overview(today())
    rules = gov.list_rules(active_only=True)
    societies = {s.id: s for s in db.session.scalars(select(Society))}
    items = []
    for society_id, organ_type, term, counts in rows:
        if society_id not in societies:
            continue
        results = [RuleResult(rule, counts[rule.attribute.value], counts["total"]) for rule in rules
                   if rule.body == organ_type]
        items.append((societies[society_id], organ_type, term, counts, results))
    items.sort(key=lambda item: (all(r.ok for r in item[4]), item[0].name))
    return render_template("association/renewals_composition.html", items=items, body_labels=f.ORGAN_LABELS,
                           attribute_labels=f.ATTRIBUTE_LABELS)
