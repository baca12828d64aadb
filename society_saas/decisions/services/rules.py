"""The collective decision rules: charter thresholds, and the check every recorded decision must pass."""
import uuid
from datetime import date
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select

from society_saas.core.clock import today_cn
from society_saas.core.errors import ServiceError
from society_saas.decisions.models import Body, DecisionKind, DecisionState, Supervision
from society_saas.extensions import db


def charter(society) -> dict:
    """The society's charter settings (quorum, majority, thresholds)."""
    return (society.settings or {}).get("charter", {}) or {}


def _fraction(text: str, default: str = "2/3") -> Fraction:
    try:
        return Fraction(str(text or default))
    except (ValueError, ZeroDivisionError):
        return Fraction(default)


def quorum(society) -> Fraction:
    """The share of a body's members that must attend (default 2/3)."""
    return _fraction(charter(society).get("quorum"))


def majority(society, kind: str) -> Fraction:
    """The share of the voters (present, not recused) that must vote for (default 2/3; per kind if set)."""
    per_kind = charter(society).get("majority_by_kind") or {}
    return _fraction(per_kind.get(kind) or charter(society).get("majority"))


def quorate(present: int, members: int, society) -> bool:
    """True when `present` of a body's `members` reach the society's quorum."""
    return members > 0 and Fraction(present, members) >= quorum(society)


def majority_reached(votes_for: int, voters: int, society, kind: str) -> bool:
    """True when the votes for reach the society's majority for this kind among the members voting
    (present and not recused)."""
    return voters > 0 and Fraction(votes_for, voters) >= majority(society, kind)


def follows_rules(entry, society) -> bool:
    """True when a recorded decision was taken at a meeting on the platform (so who attended is on
    record), by a quorum, with a result that follows the vote under the society's charter."""
    if entry.meeting_id is None or entry.members_total is None or entry.present is None:
        return False
    voters = entry.present - len(entry.recused or [])
    if voters < 0 or entry.present > entry.members_total or not quorate(entry.present, entry.members_total, society):
        return False
    reached = majority_reached(entry.votes_for or 0, voters, society, _value(entry.kind))
    return reached if _value(entry.result) == DecisionState.adopted.value else not reached


def _value(value) -> str:
    return getattr(value, "value", value)


def fund_threshold(society) -> int | None:
    """Fund use from this amount (fen) on is a 三重一大 matter."""
    value = charter(society).get("large_fund_threshold_fen")
    return int(value) if value else None


def has_party_organisation(society) -> bool:
    """True when the society has an active party organisation (governance organ) or its settings say so."""
    from society_saas.governance.models import Organ
    from society_saas.governance.models.enums import OrganType

    settings = society.settings or {}
    if settings.get("party_organisation", charter(society).get("party_organisation", False)):
        return True
    return db.session.scalar(select(Organ.id).where(
        Organ.type == OrganType.party_organisation, Organ.active.is_(True)).limit(1)) is not None


MAX_COUNT = 100_000  # members of a body, those present, votes
MAX_AMOUNT_FEN = 10**14  # a trillion yuan: beyond any society's fund use, within the column's range


def _int(data, name, errors, minimum=0, required=True, maximum=MAX_COUNT):
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(_("This field is required."))
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("Enter a whole number."))
        return None
    if value < minimum:
        errors.setdefault(name, []).append(_("Must be at least %(n)d.", n=minimum))
        return None
    if value > maximum:
        errors.setdefault(name, []).append(_("This number is too large."))
        return None
    return value


def _recused_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _from_meeting(society, data: dict, refuse) -> dict:
    """When the decision points at a governance meeting, take body, date and attendance from it."""
    from society_saas.governance.models import Meeting

    meeting_id = data.get("meeting_id")
    if not meeting_id:
        return data
    try:
        meeting_id = meeting_id if isinstance(meeting_id, uuid.UUID) else uuid.UUID(str(meeting_id))
    except ValueError:
        meeting_id = None
    meeting = db.session.get(Meeting, (society.id, meeting_id)) if meeting_id else None
    if meeting is None:
        refuse("meeting_id", _("Collective decision rule: the decision must point at a meeting of this society."))
        return {**data, "meeting_id": None}
    present = meeting.present_count + (meeting.proxy_count if charter(society).get("count_proxies") else 0)
    return {**data, "meeting_id": meeting.id, "body": meeting.organ.type.value, "meeting_date": meeting.held_on,
            "meeting_ref": meeting.title, "members_total": meeting.members_count, "present": present}


def check_record(society, data: dict) -> dict:
    """Apply the collective decision rules; return clean values or raise ServiceError naming the rule."""
    errors: dict[str, list] = {}

    def refuse(name, message):
        errors.setdefault(name, []).append(message)

    clean = {}
    data, meeting_field = _from_meeting(society, data, refuse), None
    if data.get("meeting_id"):
        meeting_field = "meeting_id"
    clean["meeting_id"] = data.get("meeting_id") or None
    kind = data.get("kind")
    if kind not in {k.value for k in DecisionKind}:
        refuse("kind", _("Choose the kind of 三重一大 matter."))
    clean["kind"] = kind
    for name, limit in (("title", 300), ("proposer", 200), ("meeting_ref", 200)):
        value = (data.get(name) or "").strip()
        if not value:
            refuse(name, _("This field is required."))
        elif len(value) > limit:
            refuse(name, _("At most %(n)d characters.", n=limit))
        clean[name] = value
    clean["description"] = (data.get("description") or "").strip() or None
    body = data.get("body")
    if body not in {b.value for b in Body}:
        refuse(meeting_field or "body", _("Collective decision rule: the matter must be decided by a competent collective body "
                         "(general assembly, council or standing council)."))
    clean["body"] = body
    meeting_date = data.get("meeting_date")
    if isinstance(meeting_date, str) and meeting_date:
        try:
            meeting_date = date.fromisoformat(meeting_date)
        except ValueError:
            meeting_date = None
            refuse("meeting_date", _("Enter a date such as 2026-03-15."))
    if not isinstance(meeting_date, date):
        if "meeting_date" not in errors:
            refuse("meeting_date", _("This field is required."))
    elif meeting_date > today_cn():
        refuse("meeting_date", _("The meeting date cannot be in the future."))
    clean["meeting_date"] = meeting_date if isinstance(meeting_date, date) else None

    members = _int(data, "members_total", errors, minimum=1)
    present = _int(data, "present", errors)
    recused = _recused_list(data.get("recused"))
    votes = {name: _int(data, name, errors, required=name == "votes_for") or 0
             for name in ("votes_for", "votes_against", "votes_abstain")}
    clean.update(members_total=members, present=present, recused=recused, **votes)

    if members is not None and present is not None:
        if present > members:
            refuse(meeting_field or "present", _("More members present than the body has."))
        elif not quorate(present, members, society):
            refuse(meeting_field or "present", _("Quorum rule: at least %(q)s of the body's %(m)d members must attend; %(p)d did.",
                                q=str(quorum(society)), m=members, p=present))
    voters = None
    if present is not None:
        if len(recused) > present:
            refuse("recused", _("Recusal rule: more members recused than were present."))
        else:
            voters = present - len(recused)
        if voters is not None and sum(votes.values()) > voters:
            refuse("votes_for", _("Recusal rule: recused members do not vote; the votes (%(v)d) exceed the %(n)d "
                                  "members present and not recused.", v=sum(votes.values()), n=voters))
    result = data.get("result")
    if result not in (DecisionState.adopted.value, DecisionState.rejected.value):
        refuse("result", _("Choose adopted or rejected."))
    elif voters is not None and "votes_for" not in errors and kind in {k.value for k in DecisionKind}:
        need = majority(society, kind)
        reached = majority_reached(votes["votes_for"], voters, society, kind)
        if result == DecisionState.adopted.value and not reached:
            refuse("result", _("Majority rule: adoption needs %(q)s of the %(n)d members present and not recused "
                               "to vote for; %(v)d did.", q=str(need), n=voters, v=votes["votes_for"]))
        elif result == DecisionState.rejected.value and reached:
            refuse("result", _("Majority rule: %(v)d of %(n)d votes for reach the required %(q)s, so the matter "
                               "was adopted, not rejected.", q=str(need), n=voters, v=votes["votes_for"]))
    clean["result"] = result

    supervisors = data.get("supervisors")
    if supervisors not in (Supervision.present.value, Supervision.notified.value):
        refuse("supervisors", _("Supervision rule: the supervisory board must be present at the meeting or "
                                "notified of it."))
    clean["supervisors"] = supervisors

    # The form can say so for societies whose party organisation is not in the platform; it cannot unsay it.
    party = has_party_organisation(society) or bool(data.get("party_organisation"))
    prestudy = data.get("party_prestudy")
    if prestudy in ("yes", "no"):
        prestudy = prestudy == "yes"
    elif prestudy in ("", None, "na"):
        prestudy = None
    if party and prestudy is None:
        refuse("party_prestudy", _("Party pre-study rule: the society has a party organisation, so record whether "
                                   "it studied the matter beforehand."))
    clean["party_organisation"], clean["party_prestudy"] = party, (bool(prestudy) if party else None)

    amount = _int(data, "amount_fen", errors, minimum=1, required=kind == DecisionKind.large_fund_use.value,
                  maximum=MAX_AMOUNT_FEN)
    threshold = fund_threshold(society)
    if kind == DecisionKind.large_fund_use.value and amount is not None and threshold and amount < threshold:
        refuse("amount_fen", _("Large fund rule: fund use below the society's threshold of %(t)s yuan is not a "
                               "三重一大 matter.", t=f"{threshold / 100:,.2f}"))
    clean["amount_fen"] = amount
    clean["report_to_association"] = bool(data.get("report_to_association"))
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(first, errors=errors)
    return clean


def meeting_choices(society) -> list[tuple[str, str]]:
    """Meetings of competent bodies, newest first, as (id, label) for the record form."""
    from society_saas.governance.models import Meeting, Organ
    from society_saas.governance.models.enums import OrganType

    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.held_on, Organ.name)
        .join(Organ, (Organ.society_id == Meeting.society_id) & (Organ.id == Meeting.organ_id))
        .where(Organ.type.in_([OrganType(b.value) for b in Body])).order_by(Meeting.held_on.desc()).limit(200))
    return [(str(r.id), f"{r.held_on.isoformat()} {r.name} {r.title}") for r in rows]
