"""Language selection: Chinese (zh_CN) by default, English on request."""
from pathlib import Path

import flask_babel
from flask import current_app, has_request_context, request, session
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

PACKAGE = Path(__file__).resolve().parent.parent


def translation_directories() -> str:
    """Every area's translations folder, so each area keeps its own catalog."""
    dirs = sorted(str(p) for p in PACKAGE.glob("**/translations") if p.is_dir())
    return ";".join(dirs) or str(PACKAGE / "translations")


def select_locale() -> str:
    """?lang= for one request, then the session's choice, then the account's, else zh_CN.

    Outside a request (CLI, worker, mail jobs) there is no choice to read: the default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    langs = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), session.get("lang"),
                      getattr(current_user, "locale", None) if current_user else None):
        if candidate in langs:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The language of this request ("zh_CN" or "en")."""
    return select_locale() if has_request_context() else "zh_CN"


def label_colon(language: str) -> str:
    """What follows a label before its value: a full-width colon in Chinese text, ": " in English."""
    return "：" if language.startswith("zh") else ": "


def plain_labels(labels: dict) -> dict:
    """A dict of lazy labels translated once, as plain text: a lazy label is translated again at every use,
    which on a page of hundreds of rows costs more than the rows' other cells."""
    return {key: str(label) for key, label in labels.items()}



def install_template_gettext(app) -> None:
    """Give each rendered template the catalog of its request's locale, found once per render."""
    # Flask-Babel's template gettext finds the catalog again for every string (several context lookups
    # each), and a page translates dozens. Found in a context processor, it is found once per render and
    # inside force_locale too; templates rendered outside render_template keep Flask-Babel's own.
    @app.context_processor
    def _template_translations():
        translations = flask_babel.get_translations()
        return {"gettext": _newstyle_gettext(translations.ugettext),
                "ngettext": _newstyle_ngettext(translations.ungettext)}


def _newstyle_gettext(translate):
    # the call Jinja's i18n extension makes with newstyle=True: escaped in autoescaped templates, then formatted
    @pass_context
    def gettext(__context, __string, **variables):
        text = translate(__string)
        return (Markup(text) if __context.eval_ctx.autoescape else text) % variables
    return gettext


def _newstyle_ngettext(translate):
    @pass_context
    def ngettext(__context, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        text = translate(__singular, __plural, __num)
        return (Markup(text) if __context.eval_ctx.autoescape else text) % variables
    return ngettext
