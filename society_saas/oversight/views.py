"""Console pages to list, create, edit, suspend and reactivate societies."""
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error, stale_form_message
from society_saas.core.i18n import plain_labels
from society_saas.extensions import db
from society_saas.oversight.web import association_blueprint
from society_saas.tenancy import services
from society_saas.tenancy.forms import KIND_LABELS, SocietyForm, SuspendForm
from society_saas.tenancy.models import Society
from society_saas.tenancy.web import require

bp = association_blueprint("association", __name__)


def _society_or_404(society_id: uuid.UUID) -> Society:
    society = db.session.get(Society, society_id)
    if society is None:
        abort(404)
    return society


PER_PAGE = 50


@bp.get("/")
def index():
    """Every society at a glance, filterable by kind, status, consortium and name: a page of them with their
    figures (a fixed number of queries reading only that page's societies), charts with ECharts."""
    from society_saas.oversight import queries
    from society_saas.oversight.activities import today

    societies = services.list_societies(request.args.get("kind"), request.args.get("status"), request.args.get("q"))
    consortium = request.args.get("consortium")
    if consortium:
        societies = [s for s in societies if s.consortium == consortium]
    on = today()
    page = queries.page_of(societies, request.args.get("page", 1, type=int), PER_PAGE)
    rows = queries.overview(page.items, on)
    charts = queries.chart_data(rows, queries.renewal_standings(societies, on))
    filters = {k: request.args.get(k) or None for k in ("q", "kind", "consortium", "status")}
    return render_template("association/index.html", page=page, kinds=plain_labels(KIND_LABELS), rows=rows,
                           charts=charts, consortia=queries.consortia(), filters=filters)


@bp.route("/societies/new", methods=["GET", "POST"])
def create():
    """Register a new society."""
    require("association.societies.manage")
    form = SocietyForm()
    if form.validate_on_submit():
        try:
            society = services.create_society(current_user, form.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc)
        else:
            db.session.commit()
            flash(_("The society “%(name)s” has been created.", name=society.name), "success")
            return redirect(url_for(".detail", society_id=society.id))
    return render_template("association/society_form.html", form=form, society=None)


@bp.get("/societies/<uuid:society_id>")
def detail(society_id):
    """One society's profile as the association sees it."""
    society = _society_or_404(society_id)
    return render_template("association/society_detail.html", society=society, kinds=KIND_LABELS,
                           suspend_form=SuspendForm())


@bp.route("/societies/<uuid:society_id>/edit", methods=["GET", "POST"])
def edit(society_id):
    """Edit a society's profile."""
    require("association.societies.manage")
    society = _society_or_404(society_id)
    form = SocietyForm(obj=society)
    if request.method == "GET":
        form.kind.data = society.kind.value
    if form.validate_on_submit() and form.version.data and str(form.version.data) != str(society.version):
        # saved by someone else since this form was shown: nothing is saved, the entries stay
        form.form_errors.append(stale_form_message())
        form.version.data = str(society.version)
        return render_template("association/society_form.html", form=form, society=society), 409
    if form.validate_on_submit():
        try:
            services.update_society(current_user, society, form.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".detail", society_id=society.id))
    return render_template("association/society_form.html", form=form, society=society)


@bp.post("/societies/<uuid:society_id>/suspend")
def suspend(society_id):
    """Suspend a society with a reason."""
    require("association.societies.manage")
    society = _society_or_404(society_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the suspension."), "error")
        return redirect(url_for(".detail", society_id=society.id))
    services.suspend_society(current_user, society, form.reason.data)
    db.session.commit()
    flash(_("The society has been suspended."), "success")
    return redirect(url_for(".detail", society_id=society.id))


@bp.post("/societies/<uuid:society_id>/reactivate")
def reactivate(society_id):
    """Lift a suspension."""
    require("association.societies.manage")
    society = _society_or_404(society_id)
    services.reactivate_society(current_user, society)
    db.session.commit()
    flash(_("The society is active again."), "success")
    return redirect(url_for(".detail", society_id=society.id))
