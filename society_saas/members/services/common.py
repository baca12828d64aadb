"""Shared helpers of the member services: dates in China, history entries."""
from society_saas.core.audit import actor_id
from society_saas.core.clock import CN, today_cn  # noqa: F401 (the one Asia/Shanghai calendar, re-exported)
from society_saas.extensions import db
from society_saas.members.models import Member, MemberEvent


def record_event(member: Member, actor, kind: str, *, from_status=None, to_status=None, from_class=None,
                 to_class=None, reference=None, note=None) -> MemberEvent:
    """Append one entry to a member's history."""
    event = MemberEvent(society_id=member.society_id, member_id=member.id, actor_id=actor_id(actor), kind=kind,
                        from_status=getattr(from_status, "value", from_status),
                        to_status=getattr(to_status, "value", to_status),
                        from_class=from_class, to_class=to_class, reference=reference, note=note)
    db.session.add(event)
    return event
