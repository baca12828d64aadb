"""The soak's data: the demo on top of whatever `seed` generated, and accounts for each face of the load.

Idempotent: a second run finds the accounts it made and links no member twice. The plan it returns
(slugs, ids, logins) is what the locust users read; it holds no secret beyond the soak accounts'
own password, which exists only on a soak database.
"""
import random

from sqlalchemy import func, select

from society_saas.accounts import services as accounts
from society_saas.accounts.models import AssociationRoleName, SocietyRole, SocietyRoleName, User
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberStatus
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.models import Society, SocietyStatus

PASSWORD = "soak-Pass-2024"
STAFF_EMAIL = "soak-staff@soak.example"
CONSOLE_EMAIL = "soak-console@soak.example"


def _user(email: str, name: str) -> User:
    return accounts.find_user(email) or accounts.register_user(name, PASSWORD, email=email)


def _has_role(society_id, user: User, role: SocietyRoleName) -> bool:
    return db.session.scalar(select(SocietyRole.id).where(SocietyRole.society_id == society_id,
                                                          SocietyRole.user_id == user.id,
                                                          SocietyRole.role == role)) is not None


def _largest() -> tuple[Society, int]:
    with cross_society():
        sid, count = db.session.execute(select(Member.society_id, func.count()).group_by(Member.society_id)
                                        .order_by(func.count().desc()).limit(1)).one()
    return db.session.get(Society, sid), int(count)


def _link_members(society: Society, how_many: int) -> list[str]:
    """Member accounts: active members of the society linked to a soak login each (portal pages)."""
    emails = []
    with society_context(society.id):
        linked = list(db.session.scalars(select(User.email).join(Member, Member.user_id == User.id)
                                         .where(User.email.like("soak-member-%")).order_by(User.email)))
        emails += linked[:how_many]
        free = list(db.session.scalars(select(Member).where(Member.user_id.is_(None),
                                                            Member.status == MemberStatus.active)
                                       .order_by(Member.member_number).limit(how_many - len(emails))))
        for member in free:
            email = f"soak-member-{member.member_number.lower()}-{str(society.id)[:8]}@soak.example"
            user = _user(email, member.name)
            member.user_id = user.id
            if not _has_role(society.id, user, SocietyRoleName.member):
                accounts.assign_society_role(society, None, user, SocietyRoleName.member)
            emails.append(email)
        db.session.flush()
    return emails


def prepare(app, members: int = 12, rng_seed: int = 11) -> dict:
    """Migrate and build the demo (idempotent), add the soak accounts, and return the plan for the users."""
    from society_saas.demo import prepare_demo

    prepare_demo(app)
    rng = random.Random(rng_seed)
    with app.app_context():
        big, count = _largest()
        staff = _user(STAFF_EMAIL, "压测秘书处")
        with society_context(big.id):
            if not _has_role(big.id, staff, SocietyRoleName.secretariat_staff):
                accounts.assign_society_role(big, None, staff, SocietyRoleName.secretariat_staff)
            member_ids = [str(i) for i in db.session.scalars(select(Member.id).order_by(Member.member_number)
                                                             .limit(2000))]
            # a class a person applies to on their own (an institution needs its organisation's details)
            classes = sorted(db.session.scalars(select(MemberClass.code).where(MemberClass.elected.is_(False),
                                                                                MemberClass.code != "institutional")),
                             key=lambda code: code != "regular")
        console = _user(CONSOLE_EMAIL, "压测科协工作人员")
        accounts.grant_association_role(console, AssociationRoleName.staff)
        member_logins = _link_members(big, members)
        societies = list(db.session.execute(select(Society.id, Society.slug)
                                            .where(Society.status == SocietyStatus.active).order_by(Society.slug)))
        db.session.commit()
    sample = rng.sample(societies, min(50, len(societies)))
    return {
        "password": PASSWORD,
        "staff": {"email": STAFF_EMAIL, "slug": big.slug, "members": count,
                  "member_ids": rng.sample(member_ids, min(200, len(member_ids)))},
        "console": {"email": CONSOLE_EMAIL, "society_ids": [str(sid) for sid, _slug in sample]},
        "members": [{"email": e, "slug": big.slug} for e in member_logins]
        + [{"email": "member@cs.demo", "slug": "cs", "password": "demo1234"}],
        "public": {"slugs": sorted({slug for _sid, slug in sample} | {"cs", "med", "agri"}),
                   "apply_slug": big.slug, "class_codes": classes or ["regular"]},
        "societies": len(societies),
    }
