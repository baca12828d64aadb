"""Small builders of test data, committed through the real services."""
from society_saas.accounts import services as accounts
from society_saas.accounts.models import AssociationRoleName, SocietyRoleName
from society_saas.extensions import db
from society_saas.tenancy import services as tenancy
from society_saas.tenancy.context import society_context

PASSWORD = "demo1234"


def make_society(slug: str, name: str | None = None):
    """Create and commit a society."""
    society = tenancy.create_society(None, {"slug": slug, "name": name or f"测试学会{slug}", "short_name": slug,
                                            "kind": "society"})
    db.session.commit()
    return society


def make_user(email: str, name: str = "测试用户"):
    """Create and commit an account with the test password."""
    user = accounts.register_user(name, PASSWORD, email=email)
    db.session.commit()
    return user


def give_role(society, user, role: str):
    """Give a user a society role and commit."""
    with society_context(society.id):
        accounts.assign_society_role(society, None, user, SocietyRoleName(role))
        db.session.commit()


def make_admin(email: str = "admin@kx.test", role: str = "administrator"):
    """An association account with the given role."""
    user = make_user(email, "科协管理员")
    accounts.grant_association_role(user, AssociationRoleName(role))
    db.session.commit()
    return user


def two_societies():
    """Societies A and B, each with a secretary-general, a staff member and a member."""
    out = {}
    for slug in ("a", "b"):
        society = make_society(slug)
        people = {}
        for local, role in (("sec", "secretary_general"), ("staff", "secretariat_staff"), ("member", "member")):
            user = make_user(f"{local}@{slug}.test", f"{slug}-{local}")
            give_role(society, user, role)
            people[local] = user
        out[slug] = (society, people)
    return out
