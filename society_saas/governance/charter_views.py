"""The secretariat's page for the charter settings every governance and decision check uses."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Optional

from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import db
from society_saas.governance.forms import CHARTER_LABELS
from society_saas.governance.services.charter import DEFAULTS
from society_saas.tenancy.charter import charter_of, update_charter
from society_saas.tenancy.web import require, society_blueprint

bp = society_blueprint("charter", __name__, "admin", "/governance/charter")
NUMBERS = ("term_max_years", "max_consecutive_terms", "max_age_at_office", "council_meetings_per_year",
           "standing_council_interval_months", "quorum", "majority")


class CharterForm(FlaskForm):
    """The charter's numbers, left blank where the model charter's default applies, and the basis of the change."""

    term_max_years = StringField(CHARTER_LABELS["term_max_years"], validators=[Optional()])
    max_consecutive_terms = StringField(CHARTER_LABELS["max_consecutive_terms"], validators=[Optional()])
    max_age_at_office = StringField(CHARTER_LABELS["max_age_at_office"], validators=[Optional()])
    council_meetings_per_year = StringField(CHARTER_LABELS["council_meetings_per_year"], validators=[Optional()])
    standing_council_interval_months = StringField(CHARTER_LABELS["standing_council_interval_months"],
                                                   validators=[Optional()])
    quorum = StringField(CHARTER_LABELS["quorum"], validators=[Optional()])
    majority = StringField(CHARTER_LABELS["majority"], validators=[Optional()])
    large_fund_threshold = StringField(CHARTER_LABELS["large_fund_threshold_fen"], validators=[Optional()])
    proxy_allowed = BooleanField(CHARTER_LABELS["proxy_allowed"])
    basis = StringField(_l("Adopted by (assembly, date, approval)"), validators=[Optional()])


def _filled(form: CharterForm, charter: dict) -> None:
    for name in NUMBERS:
        if name in charter:
            form[name].data = str(charter[name])
    if charter.get("large_fund_threshold_fen"):
        form.large_fund_threshold.data = f"{charter['large_fund_threshold_fen'] / 100:.2f}"
    form.proxy_allowed.data = bool(charter.get("proxy_allowed"))


@bp.route("/", methods=["GET", "POST"])
def edit():
    """Show and change the charter settings; a refused value is shown on its field and nothing changes."""
    require("society.charter.manage")
    form = CharterForm()
    if request.method == "GET":
        _filled(form, charter_of(g.society))
    elif form.validate_on_submit():
        try:
            update_charter(current_user, g.society, form.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="basis")
        else:
            db.session.commit()
            flash(_("The charter settings have been saved; every check uses them from now on."), "success")
            return redirect(url_for("governance.index"))
    return render_template("governance/charter.html", form=form, defaults=DEFAULTS)
