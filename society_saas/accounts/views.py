"""Login, logout, password reset and change, language switch."""
import smtplib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from society_saas.accounts import services
from society_saas.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from society_saas.core.errors import ServiceError
from society_saas.core.forms import apply_service_error
from society_saas.core.mail import send_mail
from society_saas.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only follow a local path after login; anything else goes home (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Show the login form and log the person in."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.identifier.data, form.password.data)
        except ServiceError as exc:
            db.session.commit()  # keep the failure count
            if isinstance(exc, services.AccountLocked):
                _send_lockout_notice(exc.user, exc.minutes)
            form.password.errors.append(exc.message)
        else:
            services.start_session(user)
            db.session.commit()
            session.clear()  # a fresh session at login: no fixation
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


def _send_lockout_notice(user, minutes: int) -> None:
    """Tell the owner that repeated failures locked the account, and how to get back in."""
    if not user.email:
        return
    try:
        send_mail(user.email, _("Your account has been locked"),
                  _("There were too many failed attempts to log in to your account, so it is locked for %(n)d minutes. "
                    "If this was not you, someone may be guessing your password: reset it here:\n%(link)s",
                    n=minutes, link=url_for("accounts.forgot_password", _external=True)))
    except (OSError, smtplib.SMTPException):  # the lock holds even when the mail server is down
        current_app.logger.warning("lockout notice to user %s not sent", user.id, exc_info=True)


@bp.post("/logout")
def logout():
    """Log out on this device: its login session ends on the server, so a copied cookie is refused too."""
    if current_user.is_authenticated:
        services.end_session(current_user.login_token)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of this account on every device."""
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been logged out on every device."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Mail a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.email:
            link = url_for("accounts.reset_password", token=services.make_reset_token(user), _external=True)
            send_mail(user.email, _("Reset your password"),
                      _("Open this link within one hour to choose a new password:\n%(link)s", link=link))
        flash(_("If the address belongs to an account, a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Choose a new password from an emailed link."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="password")
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other device is logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_error(form, exc, default_field="password")
        else:
            services.start_session(user)  # this device continues in a new login session
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Your password has been changed; other devices have been logged out."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/password.html", form=form)


@bp.route("/lang/<code>")
def set_language(code):
    """Switch the interface language (zh_CN or en)."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
