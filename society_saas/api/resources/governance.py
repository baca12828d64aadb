"""Organs, terms, positions and meetings of one society; positions and meetings recorded through the same checks."""
import uuid

from flask import g

from society_saas.api.schemas import (
    MeetingFilterArgs, MeetingPageSchema, MeetingSchema, OrganSchema, PositionSchema, TermSchema,
)
from society_saas.api.schemas import MeetingCreateSchema, PositionCreateSchema
from society_saas.extensions import db
from society_saas.api.web import page_of, rule, society_blueprint
from society_saas.governance.services import meetings, structure

bp = society_blueprint("api_governance", __name__, "", "Organs, terms, positions and meetings.")


@bp.get("/organs")
@bp.response(200, OrganSchema(many=True))
@rule("society.admin")
def list_organs():
    """The society's organs with their terms."""
    return structure.list_organs_with_terms(g.society)


@bp.get("/organs/<uuid:organ_id>")
@bp.response(200, OrganSchema)
@rule("society.admin")
def get_organ(organ_id: uuid.UUID):
    """One organ with its terms."""
    return structure.get_organ(g.society, organ_id)


@bp.get("/terms/<uuid:term_id>")
@bp.response(200, TermSchema)
@rule("society.admin")
def get_term(term_id: uuid.UUID):
    """One term."""
    return structure.get_term(g.society, term_id)


@bp.get("/terms/<uuid:term_id>/positions")
@bp.response(200, PositionSchema(many=True))
@rule("society.admin")
def list_positions(term_id: uuid.UUID):
    """The roster of a term, leaders first (resigned positions included)."""
    term = structure.get_term(g.society, term_id)
    return structure.list_positions(g.society, term, include_resigned=True)


@bp.get("/meetings")
@bp.arguments(MeetingFilterArgs, location="query")
@bp.response(200, MeetingPageSchema)
@rule("society.admin")
def list_meetings(args):
    """The society's meetings, newest first, optionally of one organ, a page at a time."""
    organ = structure.get_organ(g.society, args["organ_id"]) if args.get("organ_id") else None
    return page_of(meetings.meetings_query(g.society, organ), args)


@bp.get("/meetings/<uuid:meeting_id>")
@bp.response(200, MeetingSchema)
@rule("society.admin")
def get_meeting(meeting_id: uuid.UUID):
    """One meeting."""
    return meetings.get_meeting(g.society, meeting_id)


@bp.post("/terms/<uuid:term_id>/positions")
@bp.arguments(PositionCreateSchema)
@bp.response(201, PositionSchema)
@rule("society.governance.manage", write=True)
def add_position(data, term_id: uuid.UUID):
    """Put a person in a role within a term, after every charter check (age, terms served, composition...)."""
    structure.get_term(g.society, term_id)
    position = structure.add_position(g.society, g.api_token.user, {**data, "term_id": term_id})
    db.session.commit()
    return position


@bp.post("/meetings")
@bp.arguments(MeetingCreateSchema)
@bp.response(201, MeetingSchema)
@rule("society.governance.manage", write=True)
def create_meeting(data):
    """Record a meeting of an organ with its attendance figures."""
    meeting = meetings.create_meeting(g.society, g.api_token.user, data)
    db.session.commit()
    return meeting
