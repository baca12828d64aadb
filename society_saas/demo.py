"""The demo: three fictional societies, their accounts, and sample data."""
from pathlib import Path

from sqlalchemy import select

from society_saas.accounts import services as accounts
from society_saas.accounts.models import AssociationRoleName, SocietyRoleName, User
from society_saas.core.migrate import upgrade
from society_saas.extensions import db
from society_saas.governance import demo as governance_demo
from society_saas.members.demo_data import seed_demo_members
from society_saas.tenancy.context import society_context
from society_saas.tenancy.provision import load_file, provision
from society_saas.tenancy.web import society_by_slug

TENANTS = Path(__file__).resolve().parents[1] / "tenants"
DEMO_SLUGS = ("cs", "med", "agri")
PASSWORD = "demo1234"
STAFF_NAMES = {
    "cs": ("陈建国", "刘静", "赵磊"),
    "med": ("周慧敏", "孙强", "吴婷"),
    "agri": ("郑海涛", "黄丽", "马骏"),
}


def _user(email: str, name: str) -> User:
    return accounts.find_user(email) or accounts.register_user(name, PASSWORD, email=email)


def prepare_demo(app) -> list[tuple[str, str]]:
    """Migrate and provision the demo (idempotent); return the demo logins."""
    upgrade(app.config["DATABASE_URL"], app.config["DATABASE_OWNER_URL"])
    logins = [("admin@kx.demo", "association administrator")]
    with app.app_context():
        admin = _user("admin@kx.demo", "科协管理员")
        accounts.grant_association_role(admin, AssociationRoleName.administrator)
        governance_demo.seed_rules()
        for slug in DEMO_SLUGS:
            society = society_by_slug(slug)
            if society is None:
                society = provision(load_file(TENANTS / f"{slug}.toml"))
            secretary_name, staff_name, member_name = STAFF_NAMES[slug]
            with society_context(society.id):
                for local, name, role in (("secretary", secretary_name, SocietyRoleName.secretary_general),
                                          ("staff", staff_name, SocietyRoleName.secretariat_staff),
                                          ("member", member_name, SocietyRoleName.member)):
                    email = f"{local}@{slug}.demo"
                    user = _user(email, name)
                    if role not in _roles(user):
                        accounts.assign_society_role(society, None, user, role)
                    logins.append((email, f"{role.value} of {society.name}"))
                governance_demo.seed_society(society, slug)
                with app.test_request_context("/"):  # gettext needs a request for the locale
                    seed_demo_members(society, user)
                from society_saas.decisions.demo import seed_decisions

                with society_context(society.id):  # a request context above resets the scope on exit
                    seed_decisions(society, _user(f"secretary@{slug}.demo", secretary_name))
                from society_saas.dues.demo import seed_dues

                with app.test_request_context("/"), society_context(society.id):
                    seed_dues(society, _user(f"staff@{slug}.demo", staff_name))
                    db.session.commit()  # inside the society's scope, where commit-time hooks can read it
        from society_saas.oversight.demo import seed_oversight

        societies = [society_by_slug(slug) for slug in DEMO_SLUGS]
        with app.test_request_context("/"):  # gettext needs a request for the locale
            seed_oversight(societies, list(DEMO_SLUGS))
        db.session.commit()
    return logins


def _roles(user: User) -> set:
    from society_saas.accounts.models import SocietyRole

    return set(db.session.scalars(select(SocietyRole.role).where(SocietyRole.user_id == user.id)))
