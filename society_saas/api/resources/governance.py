"""Organs, terms, positions and meetings of one society; terms, positions, resignations, meetings and attendance
recorded through the same checks as the pages."""
import uuid

from flask import g

from society_saas.api.schemas import (
    MeetingFilterArgs, MeetingPageSchema, MeetingSchema, OrganSchema, PositionSchema, TermSchema,
)
from society_saas.api.schemas import (
    AttendanceRecordSchema, AttendanceSchema, MeetingCreateSchema, PositionCreateSchema, ResignationSchema, TermCreateSchema,
)
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


@bp.post("/organs/<uuid:organ_id>/terms")
@bp.arguments(TermCreateSchema)
@bp.response(201, TermSchema)
@rule("society.governance.manage", write=True)
def create_term(data, organ_id: uuid.UUID):
    """Open a term of an elected organ (numbers unique, no overlap, length within the charter)."""
    term = structure.create_term(g.society, g.api_token.user, {**data, "organ_id": organ_id})
    db.session.commit()
    return term


@bp.post("/positions/<uuid:position_id>/resign")
@bp.arguments(ResignationSchema)
@bp.response(200, PositionSchema)
@rule("society.governance.manage", write=True)
def resign_position(data, position_id: uuid.UUID):
    """Record a resignation; the position stays in the roster's history and leaves it from that day."""
    position = structure.resign_position(g.society, g.api_token.user, structure.get_position(g.society, position_id), data)
    db.session.commit()
    return position


@bp.get("/meetings/<uuid:meeting_id>/attendance")
@bp.response(200, AttendanceSchema)
@rule("society.admin")
def get_attendance(meeting_id: uuid.UUID):
    """The meeting's attendance list as recorded (empty before it is)."""
    meeting = meetings.get_meeting(g.society, meeting_id)
    return {"attendance": meetings.recorded_attendance(g.society, meeting)}


@bp.put("/meetings/<uuid:meeting_id>/attendance")
@bp.arguments(AttendanceRecordSchema)
@bp.response(200, MeetingSchema)
@rule("society.governance.manage", write=True)
def record_attendance(data, meeting_id: uuid.UUID):
    """Replace the attendance list and recount the meeting; refused once a decision has copied its counts."""
    meeting = meetings.get_meeting(g.society, meeting_id)
    meeting = meetings.record_meeting_attendance(g.society, g.api_token.user, meeting, data["attendance"])
    db.session.commit()
    return meeting
