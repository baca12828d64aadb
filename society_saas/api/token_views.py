"""The token page: a signed-in user creates (secret shown once) and revokes personal access tokens."""
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from society_saas.api import tokens
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")
ASSOCIATION = "-association-"


class TokenForm(FlaskForm):
    """A new token: name, where it works, read or write, how long."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    target = SelectField(_l("For"), validators=[DataRequired()])
    scope = SelectField(_l("Access"), choices=[("read", _l("Read only")), ("write", _l("Read and write"))])
    days = IntegerField(_l("Valid for (days)"), default=90, validators=[InputRequired(), NumberRange(1, tokens.MAX_DAYS)])  # 0 is a number, not a blank


class RevokeForm(FlaskForm):
    """Revoke a token (the CSRF token is the only field)."""


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """The user's tokens and the form for a new one; a new token's secret is shown on this answer only."""
    targets = tokens.token_targets(current_user)
    form = TokenForm()
    form.target.choices = [(ASSOCIATION if t is None else t.slug, _("The association") if t is None else t.name)
                           for t in targets]
    secret = None
    if form.validate_on_submit():
        by_slug = {(ASSOCIATION if t is None else t.slug): t for t in targets}
        try:
            _token, secret = tokens.create_token(current_user, {
                "name": form.name.data, "society": by_slug.get(form.target.data), "scope": form.scope.data,
                "days": form.days.data})
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc)
        else:
            db.session.commit()
    return render_template("api/tokens.html", form=form, secret=secret, rows=tokens.list_tokens(current_user),
                           revoke_form=RevokeForm(), targets={t.id: t for t in targets if t is not None})


@bp.post("/<uuid:token_id>/revoke")
@login_required
def revoke(token_id: uuid.UUID):
    """Revoke one of the user's own tokens; another person's token is not found."""
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        tokens.revoke_token(current_user, token_id)
    except NotFoundError:
        abort(404)
    db.session.commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for(".index"))
