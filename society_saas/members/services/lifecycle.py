"""Membership status changes: grace, lapse, resignation, expulsion, death, reinstatement, class changes."""
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.members.models import Member, MemberClass, MemberStatus as S
from society_saas.members.services.common import record_event, today_cn

# status -> the statuses it may move to
TRANSITIONS = {
    S.active: {S.grace, S.resigned, S.expelled, S.deceased},
    S.grace: {S.active, S.lapsed, S.resigned, S.expelled, S.deceased},
    S.lapsed: {S.active, S.resigned, S.expelled, S.deceased},
    S.resigned: {S.active, S.deceased},
    S.expelled: {S.active, S.deceased},
    S.deceased: set(),
}


def _move(member: Member, actor, to: S, kind: str, reference=None, note=None) -> Member:
    if to not in TRANSITIONS[member.status]:
        raise ServiceError(_("A member who is %(a)s cannot become %(b)s.", a=status_label(member.status),
                             b=status_label(to)), field="status")
    before = member.status
    member.status = to
    record_event(member, actor, kind, from_status=before, to_status=to, reference=reference, note=note)
    db.session.flush()
    return member


# Lazy, so that a ledger page of 50 rows translates 50 names rather than six for each row.
STATUS_LABELS = {S.active: _l("active"), S.grace: _l("in grace"), S.lapsed: _l("lapsed"), S.resigned: _l("resigned"),
                 S.expelled: _l("expelled"), S.deceased: _l("deceased")}


def status_label(status: S) -> str:
    """The status's name in the user's language."""
    return str(STATUS_LABELS[status])


def status_name(value: str | None) -> str:
    """A status stored as text (as in the history) in the user's language; empty for none."""
    return status_label(S(value)) if value in S.__members__ else (value or "")


def event_label(kind: str) -> str:
    """The name of a history entry's kind in the user's language."""
    return {"admitted": _("Admitted"), "imported": _("Imported from a roster"), "updated": _("Record corrected"),
            "verified": _("Changes verified"), "class_changed": _("Class changed"), "dues_paid": _("Dues paid"),
            "grace": _("Grace period started"), "lapsed": _("Lapsed"), "resigned": _("Resigned"),
            "expelled": _("Expelled"), "deceased": _("Deceased"), "reinstated": _("Reinstated"),
            "active": _("Reinstated")}.get(kind, kind)


def field_label(name: str) -> str:
    """A member field's name in the user's language (for changed and re-verified fields)."""
    return {"name": _("Name (person or organisation)"), "gender": _("Gender"), "birth_date": _("Birth date"),
            "id_type": _("ID document type"), "id_number": _("ID document number"), "mobile": _("Mobile"),
            "email": _("Email"), "work_unit": _("Work unit"), "professional_title": _("Professional title"),
            "senior_title": _("Senior professional title (associate senior or above)"),
            "education": _("Highest education"), "discipline": _("Discipline"), "region": _("Region"),
            "front_line": _("Front-line S&T worker"), "nationality": _("Nationality or region"),
            "party_member": _("Party member (restricted)"), "organisation": _("Organisation (institutional members)"),
            "credit_code": _("Unified social credit code"), "contact_person": _("Contact person"),
            "join_date": _("Join date")}.get(name, name)


RESTRICTED_FIELDS = ("party_member",)


def event_note(note: str | None, kind: str | None = None, sensitive: bool = False) -> str:
    """A history note in the user's language: the roster import's marker becomes words, and the fields
    an edit changed (or a check verified) their names; restricted fields only for those who may see them."""
    if note == "import":
        return _("roster import")
    if note == "application":
        return _("rejoined through an application")
    if kind in ("updated", "verified") and note:
        names = [f.strip() for f in note.split(",") if sensitive or f.strip() not in RESTRICTED_FIELDS]
        return "、".join(field_label(f) for f in names)
    return note or ""


def mark_grace(society, actor, member: Member, data: dict | None = None) -> Member:
    """The membership has run out and the grace period begins."""
    return _move(member, actor, S.grace, "grace")


def mark_lapsed(society, actor, member: Member, data: dict | None = None) -> Member:
    """The grace period ended without renewal."""
    return _move(member, actor, S.lapsed, "lapsed")


def resign(society, actor, member: Member, data: dict | None = None) -> Member:
    """The member leaves the society at their own request."""
    return _move(member, actor, S.resigned, "resigned", note=(data or {}).get("note"))


def expel(society, actor, member: Member, data: dict) -> Member:
    """Expel a member; the decision's reference is required."""
    reference = (data.get("reference") or "").strip()
    if not reference:
        raise ServiceError(_("Give the reference of the decision to expel."), field="reference")
    return _move(member, actor, S.expelled, "expelled", reference=reference, note=data.get("note"))


def mark_deceased(society, actor, member: Member, data: dict | None = None) -> Member:
    """Record a member's death."""
    return _move(member, actor, S.deceased, "deceased", note=(data or {}).get("note"))


def reinstate(society, actor, member: Member, data: dict | None = None) -> Member:
    """Bring a lapsed, resigned or expelled member back; an expelled member needs a decision's reference."""
    data = data or {}
    reference = (data.get("reference") or "").strip() or None
    if member.status == S.expelled and not reference:
        raise ServiceError(_("Give the reference of the decision to reinstate."), field="reference")
    if member.status == S.active:
        raise ServiceError(_("This member is already active."), field="status")
    _move(member, actor, S.active, "reinstated", reference=reference, note=data.get("note"))
    member.valid_until = date(today_cn().year, 12, 31)
    db.session.flush()
    return member


def change_class(society, actor, member: Member, new_class: MemberClass, reference: str | None = None) -> Member:
    """Move a member to another class (after an approved upgrade, or a council's election of a fellow)."""
    if new_class.id == member.class_id:
        raise ServiceError(_("The member is already in this class."), field="class_code")
    if new_class.is_institutional != member.member_class.is_institutional:
        raise ServiceError(_("A person cannot become an institutional member, nor the reverse."), field="class_code")
    if new_class.elected and not (reference or "").strip():
        raise ServiceError(_("Fellows are elected: give the reference of the council's decision."), field="reference")
    before = member.member_class.code
    member.class_id = new_class.id
    record_event(member, actor, "class_changed", from_class=before, to_class=new_class.code, reference=reference)
    db.session.flush()
    db.session.refresh(member)
    return member


def reclassify(society, actor, member: Member, new_class: MemberClass, reference: str | None = None) -> Member:
    """The secretariat moves a member to another class by hand: the class's own rule still applies (years of
    membership, a senior title recorded), as when the member applies; a fellow needs the council's decision."""
    from society_saas.members.services.applications import check_eligibility

    if not new_class.elected:
        check_eligibility(new_class, member=member, senior_title=member.senior_title)
    return change_class(society, actor, member, new_class, reference=reference)


def expire_memberships(society, actor=None, today: date | None = None, grace_days: int = 90) -> dict:
    """Move unpaid memberships on: active past their end date -> in grace; in grace for longer than
    `grace_days` -> lapsed. Set-based: one UPDATE and one INSERT of history per step."""
    from datetime import timedelta

    from sqlalchemy import insert, update

    from society_saas.core.db import new_id, utcnow
    from society_saas.members.models import MemberEvent

    today = today or today_cn()
    moved = {}
    for before, after, limit in ((S.grace, S.lapsed, today - timedelta(days=grace_days)), (S.active, S.grace, today)):
        stmt = (update(Member).where(Member.status == before, Member.valid_until < limit).values(status=after)
                .returning(Member.id).execution_options(synchronize_session=False))
        ids = list(db.session.scalars(stmt))
        if ids:
            now = utcnow()
            db.session.execute(insert(MemberEvent), [
                {"society_id": society.id, "id": new_id(), "created_at": now, "at": now, "member_id": i,
                 "actor_id": getattr(actor, "id", None), "kind": after.value, "from_status": before.value,
                 "to_status": after.value, "note": "expiry"} for i in ids])
        moved[after.value] = len(ids)
    db.session.expire_all()
    return moved
