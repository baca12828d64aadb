"""Builders for API tests: two societies with people, data, and tokens made through the real service."""
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
