"""The bench's own logins: an account with one role in a society (and, for a member, a ledger row linked
to it), made once and kept, and a test client logged in through the real form."""
import contextvars
import re

from sqlalchemy import select

from society_saas.extensions import db
from society_saas.tenancy.context import society_context

PASSWORD = "bench-Pass-2024"


def _account(email: str, name: str):
    """The account, made once; its password set to the bench's and any lock lifted (an older bench run
    may have used another password)."""
    from society_saas.accounts import services as accounts
    from society_saas.accounts.passwords import hash_password, verify_password

    user = accounts.find_user(email) or accounts.register_user(name, PASSWORD, email=email)
    if not verify_password(user.password_hash, PASSWORD):
        user.password_hash = hash_password(PASSWORD)
    user.failed_logins, user.locked_until = 0, None
    return user


def bench_account(society, email: str, name: str, role) -> None:
    """Make the account once, with `role` in the society; a member role also links an active member."""
    from society_saas.accounts import services as accounts
    from society_saas.accounts.models import SocietyRole, SocietyRoleName
    from society_saas.members.models import Member, MemberStatus

    with society_context(society.id):
        user = _account(email, name)
        if role == SocietyRoleName.member and db.session.scalar(select(Member.id).where(Member.user_id == user.id)) is None:
            member = db.session.scalar(select(Member).where(Member.user_id.is_(None), Member.status == MemberStatus.active)
                                       .order_by(Member.member_number).limit(1))
            member.user_id = user.id
        if db.session.scalar(select(SocietyRole.id).where(SocietyRole.user_id == user.id,
                                                          SocietyRole.role == role)) is None:
            accounts.assign_society_role(society, None, user, role)
        db.session.commit()


def console_account(email: str) -> None:
    """Make an association staff account once."""
    from society_saas.accounts import services as accounts
    from society_saas.accounts.models import AssociationRoleName

    user = _account(email, "压测科协工作人员")
    accounts.grant_association_role(user, AssociationRoleName.staff)
    db.session.commit()


class Client:
    """A test client whose every request runs in a context of its own, as under a server.

    The bench runs inside an application context; a request made from it would share that context's
    `g` and database session with every other request (Flask reuses the current application context),
    so each request is run in an empty copy of the context variables instead."""

    def __init__(self, app):
        self._client = app.test_client()

    def get(self, url: str, **kw):
        """GET url in a fresh context."""
        return contextvars.Context().run(self._client.get, url, **kw)

    def post(self, url: str, **kw):
        """POST to url in a fresh context."""
        return contextvars.Context().run(self._client.post, url, **kw)


def logged_in_client(app, email: str | None) -> Client:
    """A client logged in through the login form as `email` (anonymous when None)."""
    client = Client(app)
    if email is None:
        return client
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"identifier": email, "password": PASSWORD, "csrf_token": token})
    if answer.status_code != 302 or "/login" in answer.headers.get("Location", ""):
        raise RuntimeError(f"bench account {email} could not log in: {answer.status_code}")
    return client
