"""Member numbers: prefix + a per-society counter that is never reused."""
from flask_babel import gettext as _
from sqlalchemy import select, update

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberNumberSequence


def allocate_number(society) -> str:
    """Take the next number; the counter is bumped in the database, so concurrent takers never collide."""
    stmt = (update(MemberNumberSequence).values(counter=MemberNumberSequence.counter + 1)
            .returning(MemberNumberSequence.prefix, MemberNumberSequence.counter, MemberNumberSequence.width)
            .execution_options(synchronize_session=False))
    row = db.session.execute(stmt).first()
    if row is None:
        seq = MemberNumberSequence(society_id=society.id, prefix="M", counter=0)
        db.session.add(seq)
        db.session.flush()
        return allocate_number(society)
    prefix, counter, width = row
    number = f"{prefix}{counter:0{width}d}"
    if db.session.scalar(select(Member.id).where(Member.member_number == number)):
        return allocate_number(society)  # an imported roster already holds this one: skip it
    return number


def assign_number(society, member: Member, number: str | None = None) -> str:
    """Give a member a number (the next one, or a given one that nobody holds yet)."""
    if member.member_number:
        raise ServiceError(_("This member already has a number."), field="member_number")
    if number:
        number = number.strip().upper()
        if db.session.scalar(select(Member.id).where(Member.member_number == number)):
            raise ServiceError(_("The member number %(n)s is already used.", n=number), field="member_number")
    member.member_number = number or allocate_number(society)
    db.session.flush()
    return member.member_number
