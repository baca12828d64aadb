"""Bind the API to the app: the OpenAPI document, the docs page, the resources and the token page."""
from flask import Blueprint, render_template

from society_saas.api.web import PREFIX, api

DOCS_ASSETS = "vendor/swagger-ui-5.35.0"
DESCRIPTION = """REST API of the society governance platform.

**Authentication.** A personal access token, made on the page *API tokens* (`/account/tokens`) or with
`society-saas tokens create`, sent as `Authorization: Bearer <token>`. A token works in one society (or, made
for the association, under `/api/v1/association/`), is read-only or read-write, expires, can be revoked, and
never does more than its owner may. Session cookies do not authenticate the API. Another society's slug or
object answers 404.

**Errors.** Every 4xx answers `{"code", "message", "errors"}`, `errors` by field, in the language asked for
(`?lang=zh_CN|en` or `Accept-Language`; Chinese by default).

**Lists** that grow (members, applications, member requests, invoices, decisions, meetings, activities, webhook
deliveries, societies) take `page` and `per_page` (at most 200) and answer `items`, `total`, `page`,
`per_page`, `pages` in a stable order. Short lists (member classes, organs, a term's positions, webhooks,
assessment schemes and results, the overview) answer the whole array.

**Updates** need the `ETag` of the resource read, sent back in `If-Match`: 428 without it, 412 when the
resource changed meanwhile.

**Rate limit** per token (429 when exceeded).

**Webhooks** (`/webhooks`): each delivery is a JSON POST with headers `X-Society-Event`, `X-Society-Delivery`
and `X-Society-Signature: t=<unix time>,v1=<hex>` where `v1` is HMAC-SHA256, keyed with the subscription's
secret, of `<t>.` followed by the raw body. Answer 2xx; otherwise the delivery is retried after 1 min, 5 min,
30 min, 2 h and 12 h, then given up. Events: `member.approved`, `dues.paid`, `decision.recorded`.
"""


def init_api(app) -> None:
    """Register the Api (OpenAPI 3 at /api/v1/openapi.json), its resources, the docs page and the token page."""
    from society_saas.api import token_views
    from society_saas.api.resources import activities, association, decisions, dues, governance, members, portal, webhooks

    app.config.setdefault("API_TITLE", "Society governance API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {"description": DESCRIPTION}, "security": [{"bearerAuth": []}]})
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
