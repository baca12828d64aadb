"""The locale selector: what a request asks for, and the default outside any request."""
from flask_babel import gettext

from society_saas.core.i18n import current_language, select_locale


def test_outside_a_request_the_default_locale_is_used(app):
    with app.app_context():  # as in the CLI, the dues worker or a mail job
        assert select_locale() == "zh_CN"
        assert current_language() == "zh_CN"
        assert gettext("Log in") == "登录"  # Flask-Babel calls the selector; it must not need a request


def test_a_request_chooses_by_parameter_then_session(app):
    with app.test_request_context("/?lang=en"):
        assert select_locale() == "en"
        assert gettext("Log in") == "Log in"
    with app.test_request_context("/?lang=xx"):  # an unknown language is ignored
        assert select_locale() == "zh_CN"
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "en"
        assert select_locale() == "en"


def test_a_cli_command_can_translate_without_a_request(app):
    @app.cli.command("say-login")
    def say_login():
        print(gettext("Log in"))

    result = app.test_cli_runner().invoke(args=["say-login"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "登录"


def test_a_label_is_followed_by_the_colon_of_the_pages_language(app):
    """Chinese text takes the full-width colon (状态：正常); English the ASCII one."""
    from flask import render_template_string

    page = "{{ _('Status') }}{{ colon }}x"
    with app.test_request_context("/"):
        assert render_template_string(page) == "状态：x"
    with app.test_request_context("/?lang=en"):
        assert render_template_string(page) == "Status: x"
    with app.app_context():  # a receipt or certificate rendered by a job
        assert render_template_string(page) == "状态：x"
