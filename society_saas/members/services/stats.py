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
    year_start = date(today.year, 1, 1)
    # One index-only pass over ix_member_society_status (society, status, class; birth, join date and front
    # line included): counts per class, status and month of joining this year; the classes' names come from
    # the few member_class rows rather than a join on every member.
    month_joined = case((Member.join_date >= year_start, func.extract("month", Member.join_date)))
    groups = db.session.execute(
        select(Member.class_id, Member.status, month_joined, func.count(),
               func.sum(case((Member.birth_date > cutoff, 1), else_=0)),
               func.sum(case((Member.front_line.is_(True), 1), else_=0)))
        .group_by(Member.class_id, Member.status, month_joined)).all()
    classes = {cid: (code, name) for cid, code, name in db.session.execute(
        select(MemberClass.id, MemberClass.code, _class_name()).order_by(MemberClass.sort_order, MemberClass.code))}

    counts: dict = {}
    total = young = students = front_line = joined = 0
    joined_by_month: dict[int, int] = {}
    for class_id, status, month, n, n_young, n_front in groups:
        n = int(n)
        key = (class_id, status.value)
        counts[key] = counts.get(key, 0) + n
        if month is not None:
            joined_by_month[int(month)] = joined_by_month.get(int(month), 0) + n
        if status in CURRENT:
            total += n
            young += int(n_young or 0)
            front_line += int(n_front or 0)
            students += n if classes[class_id][0] == "student" else 0
            joined += n if month is not None else 0

    left = int(db.session.scalar(select(func.count(func.distinct(MemberEvent.member_id)))
                                 .where(MemberEvent.kind.in_(LEAVING),
                                        MemberEvent.at >= datetime(today.year, 1, 1, tzinfo=CN))) or 0)
    joined_all = sum(joined_by_month.values())

    def share(n):
        return round(n / total, 4) if total else 0.0

    table: dict[str, dict] = {}
    for class_id, (code, name) in classes.items():  # in the classes' order, only those with members
        for status in MemberStatus:
            n = counts.get((class_id, status.value))
            if n is not None:
                table.setdefault(code, {"name": name, "counts": {}})["counts"][status.value] = n
    return {"total_current": total, "by_class": table, "joined_this_year": joined_all, "joined_still_current": joined,
            "left_this_year": left, "net_growth": joined_all - left,
            "joined_by_month": joined_by_month,
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
