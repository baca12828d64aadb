"""Bind the API to the app: the OpenAPI document, the docs page, the resources and the token page."""
from flask import Blueprint, render_template

from society_saas.api.web import PREFIX, api

DOCS_ASSETS = "vendor/swagger-ui-5.35.0"


def init_api(app) -> None:
    """Register the Api (OpenAPI 3 at /api/v1/openapi.json), its resources, the docs page and the token page."""
    from society_saas.api import token_views
    from society_saas.api.resources import activities, association, decisions, dues, governance, members, portal, webhooks

    app.config.setdefault("API_TITLE", "Society governance API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "REST API of the society governance platform. Authenticate with a personal access "
                                "token: `Authorization: Bearer <token>`. Errors answer "
                                "`{\"code\", \"message\", \"errors\"}` in the language asked for "
                                "(`?lang=` or `Accept-Language`, default zh_CN)."},
        "security": [{"bearerAuth": []}],
    })
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for bp in (members.bp, dues.bp, governance.bp, decisions.bp, activities.bp, webhooks.bp, portal.bp, association.bp):
        api.register_blueprint(bp)
    app.register_blueprint(docs_bp)
    app.register_blueprint(token_views.bp)


docs_bp = Blueprint("api_docs_page", __name__)


@docs_bp.get(f"{PREFIX}/docs")
def docs():
    """The API documentation page (Swagger UI from vendored files, no CDN, no inline script)."""
    return render_template("api/docs.html", assets=DOCS_ASSETS)
