"""Builders for API tests: two societies with people, data, and tokens made through the real service."""
import uuid
from datetime import timedelta

from society_saas.api import tokens
from society_saas.core.db import utcnow
from society_saas.extensions import db
from society_saas.tenancy.context import society_context
from tests.factories import make_admin, two_societies
from tests.members.helpers import member_fixture


def make_token(user, society=None, scope="read", days=30) -> str:
    """A committed token's secret."""
    _token, secret = tokens.create_token(user, {"name": "test", "society": society, "scope": scope, "days": days})
    db.session.commit()
    return secret


def expire(secret: str) -> None:
    """Make a token expired."""
    from sqlalchemy import select

    from society_saas.api.models import ApiToken

    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.hash_secret(secret)))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def world():
    """Societies a and b with people and member data, plus an association administrator."""
    data = two_societies()
    ids = {slug: member_fixture(data[slug][0]) for slug in ("a", "b")}
    admin = make_admin()
    return data, ids, admin


def bearer(secret: str, **headers) -> dict:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}", **headers}


# The entries the platform route walk (tests/platform/test_route_walk.py) needs for the API:
#   "api"  a token-authenticated route: a session cookie does not authenticate it (401, JSON body)
API_ROUTES = {
    "api-docs.openapi_json": "global",
    "api_docs_page.docs": "global",
    "api_tokens.index": "global",
    "api_tokens.revoke": "object",
    **{f"api_members.{name}": "api" for name in (
        "member_classes", "list_members", "create_member", "get_member", "update_member", "change_status",
        "list_applications", "get_application", "decide_application", "list_requests", "get_request",
        "submit_application", "reply_request", "close_request")},
    **{f"api_governance.{name}": "api" for name in (
        "list_organs", "get_organ", "get_term", "list_positions", "list_meetings", "get_meeting", "add_position",
        "create_meeting", "create_term", "resign_position", "get_attendance", "record_attendance")},
    **{f"api_decisions.{name}": "api" for name in ("list_decisions", "get_decision", "record_decision", "change_state",
                                                  "add_follow_up", "add_correction")},
    **{f"api_dues.{name}": "api" for name in ("list_invoices", "get_invoice", "record_payment")},
    **{f"api_activities.{name}": "api" for name in ("list_activities", "get_activity", "record_activity")},
    **{f"api_webhooks.{name}": "api" for name in (
        "list_webhooks", "create_webhook", "get_webhook", "delete_webhook", "list_deliveries", "redeliver")},
    **{f"api_portal.{name}": "api" for name in ("my_record", "my_requests", "file_request")},
    **{f"api_association.{name}": "api" for name in ("list_societies", "get_society", "overview", "list_schemes",
                                                           "scheme_results")},
}


def token_of(society) -> object:
    """The id of a token of the society's secretary-general (made once per society)."""
    from sqlalchemy import select

    from society_saas.api.models import ApiToken
    from society_saas.accounts.models import SocietyRole
    from society_saas.accounts.models import User

    existing = db.session.scalar(select(ApiToken.id).where(ApiToken.for_society_id == society.id))
    if existing:
        return existing
    with society_context(society.id):
        user_id = db.session.scalar(select(SocietyRole.user_id).order_by(SocietyRole.role))
    make_token(db.session.get(User, user_id), society)
    return db.session.scalar(select(ApiToken.id).where(ApiToken.for_society_id == society.id))


API_OBJECT_IDS = {
    "token_id": token_of,
    "society_slug": lambda b: b.slug,
    # a session is refused (401) before any API object is looked up
    "webhook_id": lambda b: uuid.uuid4(),
    "delivery_id": lambda b: uuid.uuid4(),
}


def count_rows(society_id, model) -> int:
    """How many rows of a tenant model one society holds."""
    from sqlalchemy import func, select

    from society_saas.extensions import db
    from society_saas.tenancy.context import society_context

    with society_context(society_id):
        return db.session.scalar(select(func.count()).select_from(model))


def refused(response, field: str) -> dict:
    """Assert a 422 error body that names `field`; return the body."""
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"} and field in body["errors"], body
    return body
