"""Composition of rosters against the association's rules: one aggregate query per roster."""
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance.models import (
    Comparison, CompositionAttribute, CompositionRule, Organ, OrganType, Position, Term,
)
from society_saas.governance.services.charter import add_years
from society_saas.governance.services.structure import current_terms


@dataclass
class RuleResult:
    """One rule checked against one roster."""

    rule: CompositionRule
    count: int
    total: int

    @property
    def share(self) -> Fraction:
        """The share of the roster with the attribute (0 for an empty roster)."""
        return Fraction(self.count, self.total) if self.total else Fraction(0)

    @property
    def ok(self) -> bool:
        """True when the roster meets the rule; an empty roster meets none of the >= rules."""
        if self.rule.comparison == Comparison.ge:
            return self.total > 0 and self.share >= self.rule.threshold
        return self.share <= self.rule.threshold

    @property
    def percent(self) -> float:
        """The share in percent, for display only."""
        return round(float(self.share) * 100, 1)


def roster_counts(society, term: Term, on=None) -> dict[str, int]:
    """Count a term's current roster by attribute in one aggregate query (age measured on `on`, default term start)."""
    day = on or term.starts_on
    born_after = add_years(day, -45)  # born after this day: under 45 on `day`

    def flag(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(func.count(Position.id).label("total"),
               flag(Position.front_line.is_(True)).label("front_line"),
               flag(Position.birth_date > born_after).label("under_45"),
               flag(Position.gender == "female").label("female"),
               flag(Position.region != "mainland").label("non_mainland"))
        .where(Position.term_id == term.id, Position.resigned_at.is_(None),
               (Position.ends_on.is_(None)) | (Position.ends_on >= day))
    ).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def list_rules(body: OrganType | None = None, active_only: bool = False) -> list[CompositionRule]:
    """The association's composition rules."""
    stmt = select(CompositionRule).order_by(CompositionRule.body, CompositionRule.attribute)
    if body is not None:
        stmt = stmt.where(CompositionRule.body == body)
    if active_only:
        stmt = stmt.where(CompositionRule.active.is_(True))
    return list(db.session.scalars(stmt))


def compliance(society, term: Term, counts: dict | None = None) -> tuple[dict, list[RuleResult]]:
    """The roster's counts and each active rule for its organ type, met or not."""
    organ = db.session.get(Organ, (term.society_id, term.organ_id))
    counts = counts if counts is not None else roster_counts(society, term)
    results = [RuleResult(rule, counts[rule.attribute.value], counts["total"])
               for rule in list_rules(organ.type, active_only=True)]
    return counts, results


def renewal_composition(society, term: Term) -> list[dict]:
    """What the renewal's pre-review looks at: the current council against the association's rules, and the
    next council term's roster (the elected candidates) once it has been entered."""
    incoming = db.session.scalar(select(Term).where(Term.organ_id == term.organ_id, Term.number == term.number + 1))
    out = []
    for target in (term, incoming):
        if target is not None:
            counts, results = compliance(society, target)
            out.append({"term": target, "incoming": target is incoming, "counts": counts, "results": results,
                        "ok": all(r.ok for r in results)})
    return out


def preview_compliance(society, term: Term, add: list[dict] = (), remove: list = (),
                       change: dict | None = None) -> tuple[dict, list[RuleResult], str | None]:
    """Compliance of a proposed roster (additions, removals, changes) computed by the same SQL, then undone."""
    from society_saas.governance.services import structure

    error = None
    nested = db.session.begin_nested()
    try:
        try:
            for data in add:
                structure.add_position(society, None, {**data, "term_id": term.id})
            for position_id in remove:
                db.session.delete(structure.get_position(society, position_id))
            for position_id, data in (change or {}).items():
                structure.update_position(society, None, structure.get_position(society, position_id), data)
            db.session.flush()
        except ServiceError as exc:
            error = exc.message
        counts, results = compliance(society, term)
        for result in results:
            _ = result.ok  # evaluate before the rows are rolled back
    finally:
        nested.rollback()
    return counts, results, error


def _fraction_input(data) -> Fraction:
    raw = data.get("threshold")
    try:
        value = Fraction(str(raw).strip().rstrip("%")) / (100 if str(raw).strip().endswith("%") else 1)
    except (ValueError, ZeroDivisionError):
        raise ServiceError(_("Give the threshold as a fraction such as 2/3, 0.7 or 70%."), field="threshold")
    if not 0 <= value <= 1:
        raise ServiceError(_("The threshold must be between 0 and 1."), field="threshold")
    return value.limit_denominator(1000)


def save_rule(actor, data: dict, rule: CompositionRule | None = None) -> CompositionRule:
    """Create or change a composition rule (association only)."""
    try:
        body = OrganType(data.get("body"))
        attribute = CompositionAttribute(data.get("attribute"))
        comparison = Comparison(data.get("comparison"))
    except ValueError:
        raise ServiceError(_("Choose the body, the attribute and the comparison."), field="body")
    threshold = _fraction_input(data)
    rule = rule or CompositionRule()
    rule.body, rule.attribute, rule.comparison = body, attribute, comparison
    rule.threshold_num, rule.threshold_den = threshold.numerator, threshold.denominator
    rule.note = (data.get("note") or "").strip() or None
    rule.active = bool(data.get("active", True))
    db.session.add(rule)
    db.session.flush()
    return rule


def delete_rule(actor, rule: CompositionRule) -> None:
    """Remove a composition rule."""
    db.session.delete(rule)
    db.session.flush()


def compliance_overview(on, ids=None) -> list[tuple]:
    """(society_id, organ type, term, counts) for the current term of every ruled body of every society (or of
    the societies `ids`), one query.

    Run inside the cross-society context; under-45 is measured on `on`.
    """
    from sqlalchemy import and_

    bodies = {rule.body for rule in list_rules(active_only=True)}
    if not bodies:
        return []
    latest = current_terms(on, bodies, ids)
    born_after = add_years(on, -45)

    def flag(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = (select(Term, Organ.type, func.count(Position.id), flag(Position.front_line.is_(True)),
                   flag(Position.birth_date > born_after), flag(Position.gender == "female"),
                   flag(Position.region != "mainland"))
            .join(latest, and_(latest.c.society_id == Term.society_id, latest.c.organ_id == Term.organ_id,
                               latest.c.number == Term.number))
            .join(Organ, and_(Organ.society_id == Term.society_id, Organ.id == Term.organ_id))
            .join(Position, and_(Position.society_id == Term.society_id, Position.term_id == Term.id,
                                 Position.resigned_at.is_(None)), isouter=True)
            .group_by(Term.society_id, Term.id, Organ.type))
    out = []
    for term, organ_type, total, front, young, female, abroad in db.session.execute(stmt):
        counts = {"total": int(total), "front_line": int(front), "under_45": int(young), "female": int(female),
                  "non_mainland": int(abroad)}
        out.append((term.society_id, organ_type, term, counts))
    return out
