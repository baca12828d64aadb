"""Token verbs: create (the secret is returned once), revoke, list, and resolve a presented secret."""
import hashlib
import secrets
import uuid
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.accounts.models import AssociationRole, SocietyRole
from society_saas.api.models import ApiToken
from society_saas.core.db import utcnow
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.tenancy.context import society_context

SCOPES = ("read", "write")
PREFIX = "ssk_"
MAX_DAYS = 366


def hash_secret(secret: str) -> str:
    """The stored form of a token's secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _holds_role(user, society) -> bool:
    if society is None:
        return db.session.scalar(select(AssociationRole.id).where(AssociationRole.user_id == user.id)) is not None
    with society_context(society.id):
        return db.session.scalar(select(SocietyRole.id).where(SocietyRole.user_id == user.id)) is not None


def create_token(user, data: dict) -> tuple[ApiToken, str]:
    """Make a token for `user` (name, society or None for the association, scope, days); return it and its secret."""
    errors: dict[str, list] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Give the token a name."))
    elif len(name) > 100:
        errors.setdefault("name", []).append(_("At most %(n)d characters.", n=100))
    scope = data.get("scope") or "read"
    if scope not in SCOPES:
        errors.setdefault("scope", []).append(_("Choose read or write."))
    try:
        days = int(data.get("days") or 90)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        errors.setdefault("days", []).append(_("A token lives between 1 and %(n)d days.", n=MAX_DAYS))
    society = data.get("society")
    if not errors and not _holds_role(user, society):
        errors.setdefault("society", []).append(_("You hold no role there."))
    if errors:
        field, messages = next(iter(errors.items()))
        raise ServiceError(messages[0], field=field, errors=errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_secret(secret), prefix=secret[:10],
                     for_society_id=getattr(society, "id", None), scope=scope, expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    return token, secret


def list_tokens(user) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(user, token_id: uuid.UUID) -> ApiToken:
    """Revoke one of the user's tokens; it stops working at once."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if token is None:
        raise NotFoundError(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.flush()
    return token


def resolve(secret: str) -> ApiToken | None:
    """The live token (not revoked, not expired, owner active) for a presented secret, or None."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.active:
        return None
    # one write a minute at most, not one per request
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        from society_saas.core import audit

        audit.clear_actor()  # bookkeeping, not a change anyone made: kept out of the audit log
        token.last_used_at = now
        db.session.commit()
    return token


def token_targets(user) -> list:
    """Where the user may make a token: the societies they hold a role in (and None for the association)."""
    from society_saas.tenancy.context import cross_society
    from society_saas.tenancy.models import Society

    with cross_society():
        ids = set(db.session.scalars(select(SocietyRole.society_id).where(SocietyRole.user_id == user.id)))
    out: list = []
    if db.session.scalar(select(AssociationRole.id).where(AssociationRole.user_id == user.id)) is not None:
        out.append(None)
    if ids:
        out.extend(db.session.scalars(select(Society).where(Society.id.in_(ids)).order_by(Society.slug)))
    return out
