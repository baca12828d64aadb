"""The single permission check: can(actor, action, obj)."""
import functools
import uuid

from flask import g, has_request_context
from sqlalchemy import String, bindparam, cast, literal, select, union_all

from society_saas.accounts.models import AssociationRole, AssociationRoleName as A, SocietyRole, SocietyRoleName as S
from society_saas.extensions import db
from society_saas.tenancy.context import society_context

STAFF = {S.secretary_general, S.secretariat_staff}
# The decision log is evidence for those who take and check the decisions (DOMAIN: 三重一大), read-only.
OVERSEERS = {S.council_member, S.supervisor}
ANY_SOCIETY_ROLE = set(S)

# action -> the roles that may perform it; "association.*" actions look at association roles.
RULES: dict[str, set] = {
    "society.admin": STAFF,
    "society.audit.view": STAFF,
    "society.roles.manage": {S.secretary_general},
    "society.charter.manage": {S.secretary_general},
    "society.portal": ANY_SOCIETY_ROLE,
    "decisions.view": STAFF | OVERSEERS,
    "decisions.record": STAFF,
    "association.decisions.respond": {A.administrator, A.staff},
    "members.manage": STAFF,
    "members.sensitive": {S.secretary_general},  # a member's party membership: optional and restricted
    "dues.manage": STAFF,
    "dues.payment_settings": {S.secretary_general},
    "society.governance.manage": STAFF,
    "association.view": {A.administrator, A.staff, A.assessor},
    "association.societies.manage": {A.administrator},
    "association.audit.view": {A.administrator, A.staff},
    "association.renewals.review": {A.administrator, A.staff},
    "association.rules.manage": {A.administrator},
    "society.activities.manage": STAFF,
    "society.assessment.report": STAFF,
    "association.filings.review": {A.administrator, A.staff},
    "association.assessment.manage": {A.administrator, A.staff},
    "association.assessment.score": {A.assessor},
    "association.watchlist.manage": {A.administrator, A.staff},
    "association.reform.manage": {A.administrator, A.staff},
}


def _request_cache(name: str) -> dict:
    return g.setdefault(name, {}) if has_request_context() else {}


def society_roles(user, society_id: uuid.UUID) -> set[S]:
    """The roles a user holds in one society (cached for the request, with the association roles the same
    statement reads: a society's pages ask for both)."""
    cache, association = _request_cache("_society_roles"), _request_cache("_association_roles")
    key = (user.id, society_id)
    if key not in cache:
        with society_context(society_id):
            rows = db.session.execute(_roles_statement(user.id not in association), {"user_id": user.id}).all()
        cache[key] = {S(role) for scope, role in rows if scope == "society"}
        association.setdefault(user.id, {A(role) for scope, role in rows if scope == "association"})
    return cache[key]


@functools.cache
def _roles_statement(with_association: bool):
    # built once: every society page asks, and building a statement costs more than running it
    roles = select(literal("society").label("scope"), cast(SocietyRole.role, String).label("role")).where(
        SocietyRole.user_id == bindparam("user_id"))
    if with_association:
        roles = union_all(roles, select(literal("association"), cast(AssociationRole.role, String))
                          .where(AssociationRole.user_id == bindparam("user_id")))
    return roles


def association_roles(user) -> set[A]:
    """The roles a user holds in the association (cached for the request)."""
    cache = _request_cache("_association_roles")
    if user.id not in cache:
        rows = db.session.scalars(select(AssociationRole.role).where(AssociationRole.user_id == user.id))
        cache[user.id] = set(rows)
    return cache[user.id]


def can(actor, action: str, obj=None) -> bool:
    """True when the actor may perform the action on obj (a Society or a row owned by one)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    allowed = RULES[action]
    if action.startswith("association."):
        return bool(association_roles(actor) & allowed)
    society_id = getattr(obj, "society_id", None) or getattr(obj, "id", None)
    if society_id is None:
        return False
    return bool(society_roles(actor, society_id) & allowed)
