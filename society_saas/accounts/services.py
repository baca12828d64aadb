"""Account verbs: register, authenticate, login sessions, change and reset passwords, assign roles."""
import functools
import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, delete, or_, select

from society_saas.accounts.models import (
    AssociationRole,
    AssociationRoleName,
    LoginSession,
    SocietyRole,
    SocietyRoleName,
    User,
)
from society_saas.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from society_saas.core.db import utcnow
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db


class AccountLocked(ServiceError):
    """This failure has just locked the account; the view tells its owner by mail."""

    def __init__(self, message: str, user: User, minutes: int):
        super().__init__(message)
        self.user = user
        self.minutes = minutes


def find_user(identifier: str) -> User | None:
    """Find an account by email (case-insensitive) or mobile number."""
    ident = (identifier or "").strip()
    if not ident:
        return None
    return db.session.scalar(select(User).where(or_(User.email == ident.lower(), User.mobile == ident)))


def _check_password_strength(password: str) -> None:
    if len(password or "") < MIN_LENGTH:
        raise ServiceError(_("The password must have at least %(n)d characters.", n=MIN_LENGTH), field="password")


def register_user(name: str, password: str, email: str | None = None, mobile: str | None = None) -> User:
    """Create an account; email or mobile must be given and unused."""
    email = (email or "").strip().lower() or None
    mobile = (mobile or "").strip() or None
    if not email and not mobile:
        raise ServiceError(_("Give an email address or a mobile number."), field="email")
    if email and find_user(email):
        raise ServiceError(_("An account with this email already exists."), field="email")
    if mobile and find_user(mobile):
        raise ServiceError(_("An account with this mobile number already exists."), field="mobile")
    _check_password_strength(password)
    user = User(name=name.strip(), email=email, mobile=mobile, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def _login_refused() -> ServiceError:
    """The one answer to every failed login: it says neither whether the account exists nor whether it
    is locked (the owner of a locked account is told by mail)."""
    cfg = current_app.config
    return ServiceError(_("Wrong account or password. After %(n)d failures in a row an account is locked for "
                          "%(m)d minutes and its owner is told by e-mail.",
                          n=cfg["LOGIN_LOCKOUT_THRESHOLD"], m=cfg["LOGIN_LOCKOUT_MINUTES"]))


@functools.cache
def _decoy_hash() -> str:
    return hash_password(uuid.uuid4().hex)


def authenticate(identifier: str, password: str) -> User:
    """Return the user for valid credentials; count failures and lock the account after too many."""
    cfg = current_app.config
    user = find_user(identifier)
    if user is None:
        verify_password(_decoy_hash(), password)  # as slow as a real account: timing tells nothing
        raise _login_refused()
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        verify_password(user.password_hash, password)  # as slow as an open account, and never a way in
        raise _login_refused()
    if not user.active or not verify_password(user.password_hash, password):
        user.failed_logins += 1
        locked = user.failed_logins >= cfg["LOGIN_LOCKOUT_THRESHOLD"]
        if locked:
            user.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCKOUT_MINUTES"])
            user.failed_logins = 0
        db.session.flush()
        if locked:
            raise AccountLocked(_login_refused().message, user, cfg["LOGIN_LOCKOUT_MINUTES"])
        raise _login_refused()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):  # made with older settings: remade now that the password is known
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


# Logins kept per account; a new one beyond this ends the oldest, so abandoned sessions cannot pile up.
MAX_SESSIONS_PER_USER = 20


def start_session(user: User) -> User:
    """Open a login session for one device; the user (for login_user) carries its token."""
    row = LoginSession(user_id=user.id)
    db.session.add(row)
    db.session.flush()
    keep = select(LoginSession.id).where(LoginSession.user_id == user.id).order_by(LoginSession.id.desc()) \
        .limit(MAX_SESSIONS_PER_USER).scalar_subquery()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.id.not_in(keep)))
    user.login_token = row.token
    return user


@functools.cache
def _user_by_token():
    # built once: every request runs it, and building a statement (and its cache key) costs more than running it
    return select(User).join(LoginSession, LoginSession.user_id == User.id) \
        .where(LoginSession.token == bindparam("token"), User.active.is_(True))


def session_user(token: str) -> User | None:
    """The active user of a live login session (one indexed lookup per request), or None once it has ended."""
    user = db.session.scalar(_user_by_token(), {"token": token})
    if user is not None:
        user.login_token = token
    return user


def end_session(token: str | None) -> None:
    """End one login session (this device's logout): its cookie, and any copy of it, is refused from now on."""
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token == token))


def end_all_sessions(user: User) -> None:
    """Invalidate every login session of the user on every device."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.login_token = None
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Change the password after checking the current one; other devices are logged out."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("The current password is wrong."), field="current_password")
    _check_password_strength(new)
    user.password_hash = hash_password(new)
    end_all_sessions(user)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    """A signed, expiring token; it dies once the password changes (bound to the hash)."""
    return _reset_serializer().dumps({"u": str(user.id), "h": user.password_hash[-16:]})


def reset_password(token: str, new: str) -> User:
    """Set a new password from a reset token; every session is ended."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise ServiceError(_("This reset link has expired. Ask for a new one."))
    except BadSignature:
        raise ServiceError(_("This reset link is not valid."))
    user = db.session.get(User, uuid.UUID(data["u"]))
    if user is None or user.password_hash[-16:] != data["h"]:
        raise ServiceError(_("This reset link has already been used."))
    _check_password_strength(new)
    user.password_hash = hash_password(new)
    user.failed_logins = 0
    user.locked_until = None
    end_all_sessions(user)
    return user


def assign_society_role(society, actor, user: User, role: SocietyRoleName) -> SocietyRole:
    """Give a user a role in the society; assigning it twice is refused."""
    exists = db.session.scalar(select(SocietyRole).where(SocietyRole.user_id == user.id, SocietyRole.role == role))
    if exists:
        raise ServiceError(_("This person already has that role."), field="role")
    row = SocietyRole(society_id=society.id, user_id=user.id, role=role)
    db.session.add(row)
    db.session.flush()
    return row


def revoke_society_role(society, actor, role_id: uuid.UUID) -> None:
    """Take a role away; the last secretary-general cannot be removed."""
    row = db.session.get(SocietyRole, (society.id, role_id))
    if row is None:
        raise NotFoundError(_("No such role assignment."))
    if row.role == SocietyRoleName.secretary_general:
        count = len(db.session.scalars(select(SocietyRole.id).where(SocietyRole.role == SocietyRoleName.secretary_general)).all())
        if count <= 1:
            raise ServiceError(_("The society must keep at least one secretary-general."))
    db.session.delete(row)
    db.session.flush()


def society_roster(society) -> list[tuple[SocietyRole, User]]:
    """Every role assignment of the society with its user, staff first."""
    rows = db.session.execute(
        select(SocietyRole, User).join(User, User.id == SocietyRole.user_id).order_by(SocietyRole.role, User.name)
    )
    return list(rows.tuples())


def grant_association_role(user: User, role: AssociationRoleName) -> AssociationRole:
    """Give a user an association role (idempotent)."""
    row = db.session.scalar(select(AssociationRole).where(AssociationRole.user_id == user.id, AssociationRole.role == role))
    if row is None:
        row = AssociationRole(user_id=user.id, role=role)
        db.session.add(row)
        db.session.flush()
    return row

