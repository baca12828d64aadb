"""Member classes: provisioned from the tenant file, edited by the secretariat."""
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.members.models import MemberClass, MemberNumberSequence

ORDER = {"student": 10, "member": 20, "senior": 30, "fellow": 40, "institutional": 50}
EDITABLE = ("name_zh", "name_en", "annual_dues_fen", "min_years", "requires_senior_title", "elected", "may_vote",
            "may_stand", "sort_order")


def provision_classes(society, actor, data: dict) -> list[MemberClass]:
    """Create the classes and the number scheme of a tenant file (`member_classes`, `member_numbers`); idempotent."""
    existing = {c.code: c for c in db.session.scalars(select(MemberClass))}
    created = []
    for item in data.get("member_classes", []):
        if item["code"] in existing:
            continue
        row = MemberClass(society_id=society.id, code=item["code"], name_zh=item["name_zh"], name_en=item["name_en"],
                          annual_dues_fen=int(item.get("annual_dues_fen", 0)), min_years=int(item.get("min_years", 0)),
                          requires_senior_title=bool(item.get("requires_senior_title", False)),
                          elected=bool(item.get("elected", False)), may_vote=bool(item.get("may_vote", True)),
                          may_stand=bool(item.get("may_stand", True)),
                          sort_order=int(item.get("sort_order", ORDER.get(item["code"], 99))))
        db.session.add(row)
        created.append(row)
    if db.session.scalar(select(MemberNumberSequence.id)) is None:
        prefix = str(data.get("member_numbers", {}).get("prefix") or "M")
        db.session.add(MemberNumberSequence(society_id=society.id, prefix=prefix, counter=0))
    db.session.flush()
    return created


def list_classes() -> list[MemberClass]:
    """The society's classes in upgrade order."""
    return list(db.session.scalars(select(MemberClass).order_by(MemberClass.sort_order, MemberClass.code)))


def class_by_code(code: str) -> MemberClass:
    """One class by its code; an unknown code is a field error."""
    row = db.session.scalar(select(MemberClass).where(MemberClass.code == code))
    if row is None:
        raise ServiceError(_("Choose a membership class."), field="class_code")
    return row


def class_by_id(class_id) -> MemberClass:
    """One class by id (within the current society)."""
    row = db.session.scalar(select(MemberClass).where(MemberClass.id == class_id))
    if row is None:
        raise NotFoundError(_("No such membership class."))
    return row


def update_class(society, actor, member_class: MemberClass, data: dict) -> MemberClass:
    """Change a class's names, dues, eligibility or rights."""
    dues = data.get("annual_dues_fen", member_class.annual_dues_fen)
    if not isinstance(dues, int) or dues < 0:
        raise ServiceError(_("Dues must be a whole, non-negative number of fen."), field="annual_dues_fen")
    for key in EDITABLE:
        if key in data:
            setattr(member_class, key, data[key])
    db.session.flush()
    return member_class
