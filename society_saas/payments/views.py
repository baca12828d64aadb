"""Stripe's webhook for a society, and the secretary-general's Stripe settings."""
import json

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, widgets
from wtforms.validators import Optional

import stripe

from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.extensions import csrf, db, limiter
from society_saas.payments import services
from society_saas.tenancy.web import require, society_blueprint

webhook_bp = society_blueprint("stripe_webhook", __name__, "public", "/stripe")
csrf.exempt(webhook_bp)  # Stripe signs its requests; there is no browser session to forge
settings_bp = society_blueprint("payment_settings", __name__, "admin", "/payments")


@webhook_bp.post("/webhook")
@limiter.exempt
def webhook():
    """Verify Stripe's signature, record the event once and apply it in one transaction; answer at once."""
    payload = request.get_data(cache=False)
    try:
        services.verify_event(payload, request.headers.get("Stripe-Signature"))
    except (ValueError, stripe.SignatureVerificationError):
        return jsonify(error="invalid signature"), 400
    try:
        outcome = services.record_event(g.society, json.loads(payload))  # the verified bytes, as plain JSON
    except services.StripeUnavailable:
        db.session.rollback()
        return jsonify(error="payment service unavailable"), 503  # nothing recorded: Stripe delivers it again
    db.session.commit()
    return jsonify(received=True, outcome=outcome)


class StripeSettingsForm(FlaskForm):
    """The society's Stripe keys; secret fields are never shown back."""

    secret_key = PasswordField(_l("Secret key"), validators=[Optional()])
    webhook_secret = PasswordField(_l("Webhook signing secret"), validators=[Optional()])
    publishable_key = StringField(_l("Publishable key"), validators=[Optional()])
    connected_account_id = StringField(_l("Connected account id"), validators=[Optional()])
    methods = SelectMultipleField(_l("Payment methods"), choices=[("card", _l("Card")), ("alipay", _l("Alipay")),
                                                             ("wechat_pay", _l("WeChat Pay"))],
                                  option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False))


@settings_bp.route("/stripe", methods=["GET", "POST"])
def stripe_settings():
    """The secretary-general enters the society's Stripe keys (stored encrypted)."""
    require("dues.payment_settings")
    acct = services.account()
    form = StripeSettingsForm(data={"publishable_key": acct.publishable_key if acct else "",
                                    "connected_account_id": acct.connected_account_id if acct else "",
                                    "methods": acct.methods if acct else ["card"]})
    if form.validate_on_submit():
        try:
            services.save_account(g.society, current_user, {k: getattr(form, k).data for k in
                                                            ("secret_key", "webhook_secret", "publishable_key",
                                                             "connected_account_id", "methods")})
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="secret_key")
        else:
            db.session.commit()
            flash(_("The payment settings have been saved."), "success")
            return redirect(url_for(".stripe_settings"))
    return render_template("dues/stripe_settings.html", form=form, acct=acct, configured=services.is_configured(),
                           webhook_url=url_for("stripe_webhook.webhook", _external=True))
