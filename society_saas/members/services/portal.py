"""What a member does for themselves: keep the profile current, file requests, take their data away."""
from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core import crypto
from society_saas.core.audit import actor_id
from society_saas.core.db import utcnow
from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberApplication, MemberRequest, RequestStatus
from society_saas.members.services.common import record_event
from society_saas.members.services.records import history, update_member

SELF_EDITABLE = ("mobile", "email", "work_unit", "professional_title", "education", "discipline", "region")
# a member's own change to these needs the secretariat to check it (e.g. against a certificate)
REVERIFY = ("work_unit", "professional_title", "education")


def update_own_profile(society, actor, member: Member, data: dict) -> Member:
    """A member changes their own contact and work details; changes that need checking are flagged."""
    data = {k: v for k, v in data.items() if k in SELF_EDITABLE}
    before = {k: getattr(member, k) for k in REVERIFY}
    update_member(society, actor, member, data)
    flagged = [k for k in REVERIFY if getattr(member, k) != before[k]]
    if flagged:
        member.reverify_fields = sorted(set(member.reverify_fields or []) | set(flagged))
    db.session.flush()
    return member


def confirm_verified(society, actor, member: Member, data: dict | None = None) -> Member:
    """The secretariat has checked the fields the member changed."""
    if not member.reverify_fields:
        raise ServiceError(_("Nothing is waiting for verification."))
    record_event(member, actor, "verified", note=", ".join(member.reverify_fields))
    member.reverify_fields = []
    db.session.flush()
    return member


def file_request(society, actor, member: Member, data: dict) -> MemberRequest:
    """A member files a request or complaint for the secretariat."""
    subject = (data.get("subject") or "").strip()
    body = (data.get("body") or "").strip()
    if not subject:
        raise ServiceError(_("Give a subject."), field="subject")
    if not body:
        raise ServiceError(_("Describe your request."), field="body")
    row = MemberRequest(society_id=society.id, member_id=member.id, subject=subject[:200], body=body)
    db.session.add(row)
    db.session.flush()
    return row


def reply_request(society, actor, row: MemberRequest, data: dict) -> MemberRequest:
    """The secretariat answers a request; a closed one cannot be answered again."""
    if row.status == RequestStatus.closed:
        raise ServiceError(_("This request is closed."), field="reply")
    reply = (data.get("reply") or "").strip()
    if not reply:
        raise ServiceError(_("Write a reply."), field="reply")
    row.reply, row.status, row.replied_at, row.replied_by = reply, RequestStatus.answered, utcnow(), actor_id(actor)
    db.session.flush()
    return row


def close_request(society, actor, row: MemberRequest, data: dict | None = None) -> MemberRequest:
    """Close a request (the member is satisfied, or the secretariat has finished it)."""
    if row.status == RequestStatus.closed:
        raise ServiceError(_("This request is closed."))
    row.status, row.closed_at = RequestStatus.closed, utcnow()
    db.session.flush()
    return row


def my_data(member: Member) -> dict:
    """Everything the society holds about a member, for the member to download (PIPL)."""
    record = {c.key: getattr(member, c.key) for c in Member.__table__.columns
              if c.key not in ("society_id", "id_number_encrypted", "id_number_index", "id_number_masked")}
    record["id_number"] = crypto.decrypt(member.id_number_encrypted)
    record["class"] = member.member_class.name_zh

    def plain(value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if hasattr(value, "value"):
            return value.value
        return str(value) if value is not None and not isinstance(value, (str, int, bool, list, dict)) else value

    applications = db.session.scalars(select(MemberApplication).where(MemberApplication.member_id == member.id))
    requests = db.session.scalars(select(MemberRequest).where(MemberRequest.member_id == member.id))
    return {
        "member": {k: plain(v) for k, v in record.items()},
        "history": [{"at": plain(e.at), "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
                     "from_class": e.from_class, "to_class": e.to_class, "reference": e.reference} for e in history(member)],
        "applications": [{"kind": a.kind.value, "status": a.status.value, "submitted_at": plain(a.submitted_at),
                          "data": {k: v for k, v in a.data.items() if k != "id_number"}} for a in applications],
        "requests": [{"subject": r.subject, "body": r.body, "status": r.status.value, "reply": r.reply,
                      "created_at": plain(r.created_at)} for r in requests],
    }
