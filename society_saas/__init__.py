"""The society governance SaaS: create_app() builds the Flask application."""
from pathlib import Path

from flask import Flask, g, jsonify
from flask_login import current_user
from sqlalchemy import text

from society_saas import config


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config -> extensions -> tenancy -> blueprints."""
    settings = {**config.load(), **(overrides or {})}
    app = Flask(__name__, instance_path=settings["INSTANCE_DIR"], instance_relative_config=False)
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _init_operations(app)
    _init_extensions(app)
    _init_request_context(app)
    _register_blueprints(app)
    from society_saas.api.app import init_api

    init_api(app)
    from society_saas.core.errors import register_error_handlers

    register_error_handlers(app)
    return app


def _init_operations(app: Flask) -> None:
    from society_saas.core import logs, memory, metrics

    memory.return_large_allocations()  # argon2's 19 MiB blocks go back to the OS when freed
    logs.init_app(app)  # JSON log lines with the request id, X-Request-ID on every response
    metrics.init_app(app)  # request latency and counts, the database pool, /metrics


def _init_extensions(app: Flask) -> None:
    from society_saas.core.i18n import install_template_gettext, select_locale, translation_directories
    from society_saas.extensions import babel, csrf, db, limiter, login_manager

    import society_saas.models  # noqa: F401  (every table on the metadata)
    import society_saas.tenancy.scoping  # noqa: F401  (installs the ORM scoping listeners)

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def _load_user(token: str):
        from society_saas.accounts.services import session_user

        return session_user(token)


def _init_request_context(app: Flask) -> None:
    from society_saas.core import audit
    from society_saas.core.security import add_security_headers
    from society_saas.tenancy import context

    # An app-level url_value_preprocessor runs before the blueprints' ones, which set the society.
    @app.url_value_preprocessor
    def _start(endpoint, values):
        context.reset()
        audit.clear_actor()
        if current_user.is_authenticated:
            audit.set_actor(current_user.id, current_user.email or current_user.mobile or current_user.name)

    @app.teardown_request
    def _end(exc):
        context.reset()
        audit.clear_actor()

    app.after_request(add_security_headers)
    from society_saas.core.once import new_token

    app.jinja_env.globals["once_token"] = new_token  # one-time token of forms that must act once

    @app.context_processor
    def _globals():
        from society_saas.core.i18n import current_language, label_colon
        from society_saas.core.permissions import can

        language = current_language()
        return {"can": can, "current_society": getattr(g, "society", None), "current_language": language,
                "colon": label_colon(language)}


def _register_blueprints(app: Flask) -> None:
    from society_saas.accounts.views import bp as accounts_bp
    from society_saas.accounts.roles_views import bp as roles_bp
    from society_saas.core.audit_views import association_bp as association_audit_bp, society_bp as society_audit_bp
    from society_saas.decisions.console import bp as association_decisions_bp
    from society_saas.decisions.views import bp as decisions_bp
    from society_saas.governance.charter_views import bp as charter_bp
    from society_saas.governance.console import bp as renewals_bp
    from society_saas.governance.views import bp as governance_bp
    from society_saas.oversight.views import bp as oversight_bp
    from society_saas.oversight.console import bp as oversight_console_bp
    from society_saas.oversight.society_views import bp as society_oversight_bp
    from society_saas.members.views import blueprints as member_bps
    from society_saas.dues.views import blueprints as dues_bps
    from society_saas.payments.views import settings_bp as payment_settings_bp, webhook_bp as stripe_webhook_bp
    from society_saas.tenancy.views import admin_bp, home_bp, portal_bp, public_bp

    for bp in (home_bp, accounts_bp, public_bp, admin_bp, portal_bp, roles_bp, society_audit_bp,
               oversight_bp, association_audit_bp, decisions_bp, association_decisions_bp, *member_bps, *dues_bps, payment_settings_bp, stripe_webhook_bp, governance_bp, renewals_bp, charter_bp,
               oversight_console_bp, society_oversight_bp):
        app.register_blueprint(bp)

    @app.get("/healthz")
    def healthz():
        """200 with {"status": "ok"} when the database answers."""
        from society_saas.extensions import db

        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # the database is down: say so, do not crash
            return jsonify(status="unavailable"), 503
        return jsonify(status="ok")
