"""Membership statistics for the society and the association's indicators: set-based, a few queries."""
from datetime import date, datetime

from sqlalchemy import case, func, select

from society_saas.core.i18n import current_language
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberEvent, MemberStatus
from society_saas.members.services.common import CN, today_cn

CURRENT = (MemberStatus.active, MemberStatus.grace)
LEAVING = ("resigned", "expelled", "deceased", "lapsed")  # history kinds that end a membership


def _class_name():
    """The member class's name column in the reader's language."""
    return MemberClass.name_en if current_language() == "en" else MemberClass.name_zh


def society_stats() -> dict:
    """Members by class and status, this year's growth (joined, left, net, joins by month), and the shares of
    young, student and front-line members among current members."""
    today = today_cn()
    cutoff = date(today.year - 45, today.month, min(today.day, 28))
    by_class_status = db.session.execute(
        select(MemberClass.code, _class_name(), Member.status, func.count())
        .join(MemberClass, (MemberClass.society_id == Member.society_id) & (MemberClass.id == Member.class_id))
        .group_by(MemberClass.code, _class_name(), MemberClass.sort_order, Member.status)
        .order_by(MemberClass.sort_order)).all()
    current = Member.status.in_(CURRENT)
    row = db.session.execute(
        select(func.count(),
               func.sum(case((Member.birth_date > cutoff, 1), else_=0)),
               func.sum(case((MemberClass.code == "student", 1), else_=0)),
               func.sum(case((Member.front_line.is_(True), 1), else_=0)),
               func.sum(case((Member.join_date >= date(today.year, 1, 1), 1), else_=0)))
        .join(MemberClass, (MemberClass.society_id == Member.society_id) & (MemberClass.id == Member.class_id))
        .where(current)).one()
    total, young, students, front_line, joined = (int(v or 0) for v in row)
    joined_by_month = dict(db.session.execute(
        select(func.extract("month", Member.join_date), func.count())
        .where(Member.join_date >= date(today.year, 1, 1)).group_by(func.extract("month", Member.join_date))).all())

    year_start = datetime(today.year, 1, 1, tzinfo=CN)
    left = int(db.session.scalar(select(func.count(func.distinct(MemberEvent.member_id)))
                                 .where(MemberEvent.kind.in_(LEAVING), MemberEvent.at >= year_start)) or 0)
    joined_all = sum(int(v) for v in joined_by_month.values())

    def share(n):
        return round(n / total, 4) if total else 0.0

    table: dict[str, dict] = {}
    for code, name, status, count in by_class_status:
        table.setdefault(code, {"name": name, "counts": {}})["counts"][status.value] = count
    return {"total_current": total, "by_class": table, "joined_this_year": joined_all, "joined_still_current": joined,
            "left_this_year": left, "net_growth": joined_all - left,
            "joined_by_month": {int(k): v for k, v in joined_by_month.items()},
            "share_under_45": share(young), "share_students": share(students), "share_front_line": share(front_line)}


def society_indicators() -> dict:
    """Per society (run inside the association's cross-society context): current members, joined this year,
    and how many are under 45, students, front-line — one grouped query for every society."""
    today = today_cn()
    cutoff = date(today.year - 45, today.month, min(today.day, 28))
    rows = db.session.execute(
        select(Member.society_id, func.count(),
               func.sum(case((Member.birth_date > cutoff, 1), else_=0)),
               func.sum(case((MemberClass.code == "student", 1), else_=0)),
               func.sum(case((Member.front_line.is_(True), 1), else_=0)),
               func.sum(case((Member.join_date >= date(today.year, 1, 1), 1), else_=0)))
        .join(MemberClass, (MemberClass.society_id == Member.society_id) & (MemberClass.id == Member.class_id))
        .where(Member.status.in_(CURRENT)).group_by(Member.society_id)).all()
    out = {}
    for society_id, total, young, students, front, joined in rows:
        total = int(total or 0)
        out[society_id] = {"current": total, "joined_this_year": int(joined or 0),
                           "share_under_45": round(int(young or 0) / total, 4) if total else 0.0,
                           "share_students": round(int(students or 0) / total, 4) if total else 0.0,
                           "share_front_line": round(int(front or 0) / total, 4) if total else 0.0}
    return out
