"""Organs, terms and positions, with the charter's checks on who may hold what."""
import uuid
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from society_saas.core.db import among
from society_saas.core.errors import NotFoundError, ServiceError
from society_saas.extensions import db
from society_saas.governance.models import (
    BranchSubtype, ELECTED_ORGANS, Gender, Organ, OrganType, PartyType, Position, PositionRole, ROLE_ORGANS, Region,
    Term,
)
from society_saas.governance.models.enums import COUNCIL_ROLES, SUPERVISORY_ROLES
from society_saas.governance.services.charter import add_years, age_on, charter_settings

# Roles whose holder is limited in age and in consecutive terms (model charter).
AGE_LIMITED = frozenset({PositionRole.president, PositionRole.vice_president, PositionRole.secretary_general,
                         PositionRole.chief_supervisor})
TERM_LIMITED = frozenset({PositionRole.president, PositionRole.secretary_general})


def current_terms(on: date, organ_types, ids=None):
    """A subquery of (society_id, organ_id, number): each organ's current term, the latest that has started
    by `on`, or its first while none has. A term entered ahead of time is not current before it starts, so
    the term before it stays the one whose renewal (or roster) is judged. `ids` limits the societies."""
    started = case((Term.starts_on <= on, Term.number))
    return (select(Term.society_id, Term.organ_id, func.coalesce(func.max(started), func.min(Term.number)).label("number"))
            .join(Organ, and_(Organ.society_id == Term.society_id, Organ.id == Term.organ_id))
            .where(Organ.type.in_(list(organ_types)), among(Term.society_id, ids))
            .group_by(Term.society_id, Term.organ_id).subquery())


def term_in_office(terms, on: date):
    """Of an organ's terms (any order), the one current_terms picks: the latest started by `on`, else the first."""
    started = [t for t in terms if t.starts_on <= on]
    if started:
        return max(started, key=lambda t: t.number)
    return min(terms, key=lambda t: t.number, default=None)


def _get(model, society, object_id, message):
    try:
        key = object_id if isinstance(object_id, uuid.UUID) else uuid.UUID(str(object_id))
    except (TypeError, ValueError):
        raise NotFoundError(message())
    obj = db.session.get(model, (society.id, key))
    if obj is None:
        raise NotFoundError(message())
    return obj


def get_organ(society, organ_id) -> Organ:
    """The society's organ, or NotFoundError."""
    return _get(Organ, society, organ_id, lambda: _("No such organ."))


def get_term(society, term_id) -> Term:
    """The society's term, or NotFoundError."""
    return _get(Term, society, term_id, lambda: _("No such term."))


def get_position(society, position_id) -> Position:
    """The society's position, or NotFoundError."""
    return _get(Position, society, position_id, lambda: _("No such position."))


def _enum(cls, value, field, message):
    try:
        return value if isinstance(value, cls) else cls(value)
    except ValueError:
        raise ServiceError(message(), field=field)


def _required(data, field):
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ServiceError(_("This field is required."), field=field)
    return value.strip() if isinstance(value, str) else value


def list_organs(society) -> list[Organ]:
    """The society's organs, in a stable order."""
    return list(db.session.scalars(select(Organ).order_by(Organ.type, Organ.name)))


def youth_committees(society) -> list[str]:
    """The names of the society's active youth committees (青年工作委员会), which the association asks every
    society to set up at its renewal (003 §6)."""
    return list(db.session.scalars(select(Organ.name).where(Organ.type == OrganType.branch, Organ.active.is_(True),
                                                            Organ.branch_subtype == BranchSubtype.youth)
                                   .order_by(Organ.name)))


def list_organs_with_terms(society) -> list[Organ]:
    """The society's organs with their terms loaded by one more query, not one per organ (the REST API's list)."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(select(Organ).options(selectinload(Organ.terms))
                                   .order_by(Organ.type, Organ.name, Organ.id)))


def create_organ(society, actor, data: dict) -> Organ:
    """Set up an organ; a branch needs its subtype, the party organisation its type (A, B or C)."""
    organ_type = _enum(OrganType, _required(data, "type"), "type", lambda: _("Unknown organ type."))
    name = _required(data, "name")
    subtype = party = None
    if organ_type == OrganType.branch:
        subtype = _enum(BranchSubtype, data.get("branch_subtype") or None, "branch_subtype",
                        lambda: _("A branch needs its kind: specialist, youth, popular science or other."))
    if organ_type == OrganType.party_organisation:
        party = _enum(PartyType, data.get("party_type") or None, "party_type",
                      lambda: _("The party organisation needs its type: A, B or C."))
    if db.session.scalar(select(Organ.id).where(Organ.name == name)):
        raise ServiceError(_("An organ with this name already exists."), field="name")
    organ = Organ(type=organ_type, name=name, branch_subtype=subtype, party_type=party, note=data.get("note"))
    db.session.add(organ)
    db.session.flush()
    return organ


def create_term(society, actor, data: dict) -> Term:
    """Open a term (届) of an elected organ; its length is limited by the charter."""
    organ = get_organ(society, _required(data, "organ_id"))
    if organ.type not in ELECTED_ORGANS:
        raise ServiceError(_("Only elected organs have terms."), field="organ_id")
    number = _required(data, "number")
    if not isinstance(number, int) or number < 1:
        raise ServiceError(_("The term number must be a whole number from 1."), field="number")
    starts_on = _required(data, "starts_on")
    max_years = int(charter_settings(society)["term_max_years"])
    ends_on = data.get("ends_on") or add_years(starts_on, max_years) - timedelta(days=1)
    if ends_on <= starts_on:
        raise ServiceError(_("A term must end after it starts."), field="ends_on")
    if ends_on > add_years(starts_on, max_years):
        raise ServiceError(_("Term length rule: a term lasts at most %(n)d years under the charter.", n=max_years),
                           field="ends_on")
    existing = db.session.scalars(select(Term).where(Term.organ_id == organ.id)).all()
    if any(t.number == number for t in existing):
        raise ServiceError(_("This organ already has a term with this number."), field="number")
    if any(t.starts_on <= ends_on and starts_on <= t.ends_on for t in existing):
        raise ServiceError(_("The term overlaps another term of the same organ."), field="starts_on")
    term = Term(organ_id=organ.id, number=number, starts_on=starts_on, ends_on=ends_on)
    db.session.add(term)
    db.session.flush()
    return term


def list_positions(society, term: Term, include_resigned: bool = False) -> list[Position]:
    """The roster of a term, leaders first."""
    order = [r for r in PositionRole]
    stmt = select(Position).where(Position.term_id == term.id)
    if not include_resigned:
        stmt = stmt.where(Position.resigned_at.is_(None))
    rows = db.session.scalars(stmt).all()
    return sorted(rows, key=lambda p: (order.index(p.role), p.holder_name))


def _same_holder(position_cls, holder: dict):
    if holder.get("member_id"):
        return position_cls.member_id == holder["member_id"]
    return and_(position_cls.holder_name == holder["holder_name"], position_cls.birth_date == holder["birth_date"])


def _same_person(holder: dict):
    """The positions of the person `holder` describes: the same member, else the same name and birth date."""
    # an entry typed by hand (no member) may be a linked member typed again, so name and birth date match it too
    by_name = and_(Position.holder_name == holder["holder_name"], Position.birth_date == holder["birth_date"])
    if holder.get("member_id"):
        return (Position.member_id == holder["member_id"]) | and_(by_name, Position.member_id.is_(None))
    return by_name


def _check_one_position(term: Term, holder: dict, exclude_id=None) -> None:
    """One person holds one current position in a term: a second seat would count them twice in the roster."""
    from society_saas.governance.forms import ROLE_LABELS

    new_end = holder.get("ends_on")
    stmt = (select(Position.role)
            .where(Position.term_id == term.id, Position.resigned_at.is_(None), _same_person(holder),
                   Position.ends_on.is_(None) | (Position.ends_on >= holder["starts_on"])))
    if new_end is not None:
        stmt = stmt.where(Position.starts_on <= new_end)
    if exclude_id is not None:
        stmt = stmt.where(Position.id != exclude_id)
    role = db.session.scalar(stmt.limit(1))
    if role is not None:
        raise ServiceError(_("One position per term: %(name)s (born %(born)s) already holds the position of "
                             "%(role)s in this term. Record the resignation from it first to change their position.",
                             name=holder["holder_name"], born=holder["birth_date"].isoformat(),
                             role=str(ROLE_LABELS[role])),
                           field="member_id" if holder.get("member_id") else "holder_name")


def _check_age(society, role, birth_date: date, starts_on: date) -> None:
    limit = int(charter_settings(society)["max_age_at_office"])
    if role in AGE_LIMITED and age_on(birth_date, starts_on) > limit:
        raise ServiceError(_("Age rule: the holder is over %(n)d years old when taking office.", n=limit),
                           field="birth_date")


def _check_consecutive(society, term: Term, role, holder: dict) -> None:
    limit = int(charter_settings(society)["max_consecutive_terms"])
    if role not in TERM_LIMITED:
        return
    previous = db.session.execute(
        select(Term.number, Position.id)
        .join(Position, and_(Position.society_id == Term.society_id, Position.term_id == Term.id,
                             Position.role == role, _same_holder(Position, holder)), isouter=True)
        .where(Term.organ_id == term.organ_id, Term.number < term.number, Term.number >= term.number - limit)
    ).all()
    held = {number for number, position_id in previous if position_id is not None}
    run = 0
    while term.number - run - 1 in held:
        run += 1
    if run >= limit:
        raise ServiceError(_("Consecutive terms rule: the same person may hold this office for at most %(n)d "
                             "consecutive terms.", n=limit), field="holder_name")


def _check_council_supervisory(society, term: Term, role, holder: dict, exclude_id=None) -> None:
    if role in COUNCIL_ROLES:
        other = SUPERVISORY_ROLES
    elif role in SUPERVISORY_ROLES:
        other = COUNCIL_ROLES
    else:
        return
    stmt = (select(Position.id)
            .join(Term, and_(Term.society_id == Position.society_id, Term.id == Position.term_id))
            .where(Position.role.in_(other), Position.resigned_at.is_(None), _same_holder(Position, holder),
                   Term.starts_on <= term.ends_on, term.starts_on <= Term.ends_on))
    if exclude_id is not None:
        stmt = stmt.where(Position.id != exclude_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise ServiceError(_("Separation rule: one person may not sit on both the council and the supervisory "
                             "board in the same term."), field="role")


def _position_values(society, term: Term, data: dict) -> dict:
    organ = db.session.get(Organ, (society.id, term.organ_id))
    role = _enum(PositionRole, _required(data, "role"), "role", lambda: _("Unknown role."))
    if organ.type not in ROLE_ORGANS[role]:
        raise ServiceError(_("This role does not belong to this organ."), field="role")
    values = {
        "role": role,
        "holder_name": _required(data, "holder_name"),
        "gender": _enum(Gender, _required(data, "gender"), "gender", lambda: _("Unknown gender.")),
        "birth_date": _required(data, "birth_date"),
        "front_line": bool(data.get("front_line")),
        "region": _enum(Region, data.get("region") or "mainland", "region", lambda: _("Unknown region.")),
        "member_id": data.get("member_id") or None,
        "employer": (data.get("employer") or "").strip() or None,
        "starts_on": data.get("starts_on") or term.starts_on,
        "ends_on": data.get("ends_on") or None,
        "appointment_decision_ref": str(data.get("appointment_decision_ref") or "").strip() or None,
    }
    if not term.starts_on <= values["starts_on"] <= term.ends_on:
        raise ServiceError(_("The position must start within the term."), field="starts_on")
    if values["ends_on"] is not None and values["ends_on"] < values["starts_on"]:
        raise ServiceError(_("A position must end after it starts."), field="ends_on")
    if role == PositionRole.secretary_general:
        values["appointment_decision_ref"] = _check_appointment(society, values["appointment_decision_ref"],
                                                                values["starts_on"])
    if values["member_id"] is not None and not isinstance(values["member_id"], uuid.UUID):
        try:
            values["member_id"] = uuid.UUID(str(values["member_id"]))
        except ValueError:
            raise ServiceError(_("No such member."), field="member_id")
    return values


APPOINTING_BODIES = ("council", "standing_council")
ADOPTED_STATES = ("adopted", "in_progress", "completed")


def appointment_decisions(society) -> list:
    """The decisions that can appoint a secretary-general: adopted appointments (重要干部任免) of the council."""
    from society_saas.decisions.services import list_decisions

    return [d for d in list_decisions(society, kind="appointment")
            if d.state in ADOPTED_STATES and d.current.body in APPOINTING_BODIES]


def _check_appointment(society, ref, starts_on: date) -> str:
    """The secretary-general's appointment must point at an adopted council appointment in the decision log."""
    from society_saas.decisions.services import get_decision

    def refuse(message):
        raise ServiceError(message, field="appointment_decision_ref")

    if not ref:
        refuse(_("Appointment rule: the secretary-general is appointed by the council; choose the council's "
                 "appointment decision from the decision log."))
    try:
        decision = get_decision(society, ref if isinstance(ref, uuid.UUID) else uuid.UUID(str(ref)))
    except (ValueError, NotFoundError):
        refuse(_("Appointment rule: choose the council's appointment decision from the decision log (record it "
                 "there first, also when it was taken before the platform was used)."))
    current = decision.current
    if current.kind != "appointment" or current.body not in APPOINTING_BODIES:
        refuse(_("Appointment rule: the decision must be an appointment (重要干部任免) taken by the council or the "
                 "standing council."))
    if decision.state not in ADOPTED_STATES:
        refuse(_("Appointment rule: the council's decision was not adopted."))
    if current.meeting_date is not None and current.meeting_date > starts_on:
        refuse(_("Appointment rule: the secretary-general cannot take office before the council decided it "
                 "(%(day)s).", day=current.meeting_date.isoformat()))
    return str(decision.decision_id)


def _lock_person(society, holder: dict) -> None:
    # The rules below look at the person's other seats (one per term, not on both the council and the
    # supervisory board, consecutive terms): two staff seating the same person at once would each find none and
    # both succeed. A lock on the person (name and birth date, what every seat of theirs carries) until the
    # transaction ends makes the second wait and then see the first (PostgreSQL; SQLite has one writer).
    if db.is_postgres:
        person = f"{holder['holder_name']}|{holder['birth_date'].isoformat()}"
        db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(str(society.id)), func.hashtext(person))))


def check_position(society, term: Term, data: dict, exclude_id=None) -> dict:
    """Validate a proposed position against every rule; return the clean values."""
    values = _position_values(society, term, data)
    _lock_person(society, values)
    _check_one_position(term, values, exclude_id)
    _check_age(society, values["role"], values["birth_date"], values["starts_on"])
    _check_consecutive(society, term, values["role"], values)
    _check_council_supervisory(society, term, values["role"], values, exclude_id)
    return values


def add_position(society, actor, data: dict) -> Position:
    """Put a person in a role within a term, after every charter check."""
    term = get_term(society, _required(data, "term_id"))
    position = Position(term_id=term.id, **check_position(society, term, data))
    db.session.add(position)
    db.session.flush()
    return position


def update_position(society, actor, position: Position, data: dict) -> Position:
    """Change a position's holder attributes, re-running the checks."""
    term = get_term(society, position.term_id)
    for key, value in check_position(society, term, data, exclude_id=position.id).items():
        setattr(position, key, value)
    db.session.flush()
    return position


def resign_position(society, actor, position: Position, data: dict) -> Position:
    """Record a resignation; the position leaves the roster from that day."""
    resigned_at = _required(data, "resigned_at")
    if resigned_at < position.starts_on:
        raise ServiceError(_("A resignation cannot come before the position started."), field="resigned_at")
    if position.resigned_at is not None:
        raise ServiceError(_("This position has already been resigned."), field="resigned_at")
    position.resigned_at = resigned_at
    db.session.flush()
    return position

