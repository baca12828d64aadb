"""Meetings of organs: attendance and quorum."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from society_saas.core.errors import ServiceError
from society_saas.extensions import db
from society_saas.governance.models import Meeting, MeetingForm, MeetingKind, OrganType
from society_saas.governance.services.charter import add_months, charter_settings, fraction
from society_saas.governance.services.structure import _enum, _get, _required, get_organ, get_term


def get_meeting(society, meeting_id) -> Meeting:
    """The society's meeting, or NotFoundError."""
    return _get(Meeting, society, meeting_id, lambda: _("No such meeting."))


def meetings_query(society, organ=None):
    """The society's meetings, newest first in a stable order (a select, for pages)."""
    stmt = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())
    if organ is not None:
        stmt = stmt.where(Meeting.organ_id == organ.id)
    return stmt


def list_meetings(society, organ=None) -> list[Meeting]:
    """The society's meetings, newest first."""
    return list(db.session.scalars(meetings_query(society, organ)))


def quorum(society):
    """The charter's quorum as a fraction (default 2/3)."""
    return fraction(charter_settings(society)["quorum"])


def create_meeting(society, actor, data: dict) -> Meeting:
    """Record a meeting of an organ with its attendance."""
    organ = get_organ(society, _required(data, "organ_id"))
    term = get_term(society, data["term_id"]) if data.get("term_id") else None
    if term is not None and term.organ_id != organ.id:
        raise ServiceError(_("The term does not belong to this organ."), field="term_id")
    members = _required(data, "members_count")
    present = data.get("present_count") or 0
    proxies = data.get("proxy_count") or 0
    if not isinstance(members, int) or members < 1:
        raise ServiceError(_("Give the number of members entitled to attend."), field="members_count")
    if present < 0 or proxies < 0 or present + proxies > members:
        raise ServiceError(_("Those present and by proxy cannot exceed the members."), field="present_count")
    if proxies and not charter_settings(society)["proxy_allowed"]:
        raise ServiceError(_("The charter does not allow attendance by proxy."), field="proxy_count")
    meeting = Meeting(
        organ_id=organ.id, term_id=term.id if term else None, title=_required(data, "title"),
        held_on=_required(data, "held_on"),
        kind=_enum(MeetingKind, data.get("kind") or "regular", "kind", lambda: _("Unknown meeting kind.")),
        form=_enum(MeetingForm, data.get("form") or "in_person", "form", lambda: _("Unknown meeting form.")),
        agenda=(data.get("agenda") or "").strip() or None, members_count=members, present_count=present,
        proxy_count=proxies, minutes_file=data.get("minutes_file") or None)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def council_meetings_by_year(society, organ, start: date, end: date) -> dict[int, int]:
    """Meetings of an organ per calendar year between two days, counted in one grouped query."""
    year = func.extract("year", Meeting.held_on)
    rows = db.session.execute(
        select(year, func.count(Meeting.id))
        .where(Meeting.organ_id == organ.id, Meeting.held_on >= start, Meeting.held_on <= end)
        .group_by(year)).all()
    counts = {int(y): int(n) for y, n in rows}
    return {y: counts.get(y, 0) for y in range(start.year, end.year + 1)}


def frequency_findings(society, organ, term, on: date) -> list[str]:
    """Where an organ met less often than the charter asks: council yearly, standing council every 6 months."""
    settings = charter_settings(society)
    end = min(term.ends_on, on)
    findings = []
    if organ.type == OrganType.council:
        per_year = int(settings["council_meetings_per_year"])
        for year, count in council_meetings_by_year(society, organ, term.starts_on, end).items():
            # the current year is not over: only a finished year can fall short
            if count < per_year and year < on.year:
                findings.append(_("%(year)d: %(n)d council meetings, the charter asks for at least %(m)d.",
                                  year=year, n=count, m=per_year))
    elif organ.type == OrganType.standing_council:
        months = int(settings["standing_council_interval_months"])
        held = db.session.scalars(
            select(Meeting.held_on).where(Meeting.organ_id == organ.id, Meeting.held_on >= term.starts_on,
                                          Meeting.held_on <= end).order_by(Meeting.held_on)).all()
        days = [term.starts_on, *held, end]
        for before, after in zip(days, days[1:]):
            if after > add_months(before, months):
                findings.append(_("No standing council meeting between %(a)s and %(b)s (more than %(m)d months).",
                                  a=before.isoformat(), b=after.isoformat(), m=months))
    return findings


def attach_minutes(society, actor, meeting: Meeting, upload) -> Meeting:
    """Store the minutes (PDF or scan) of a meeting through the storage module."""
    from society_saas.core import storage

    if upload is None or not getattr(upload, "filename", ""):
        raise ServiceError(_("Choose the minutes file."), field="minutes")
    try:
        stored = storage.save(society.id, upload.stream, upload.filename)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="minutes")
    meeting.minutes_file = stored["key"]
    db.session.flush()
    return meeting


def record_attendance(society, actor, meeting: Meeting, rows: list[dict]) -> Meeting:
    """Replace a meeting's attendance list (name, status, proxy_name, position_id) and recount it from the list."""
    from society_saas.governance.models import AttendanceStatus, MeetingAttendance, Position

    proxy_allowed = charter_settings(society)["proxy_allowed"]
    clean = []
    for i, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        if not name:
            raise ServiceError(_("Line %(n)d: give the attendee's name.", n=i + 1), field="attendance")
        status = _enum(AttendanceStatus, row.get("status"), "attendance",
                       lambda: _("Line %(n)d: the status is present, absent or proxy.", n=i + 1))
        if status == AttendanceStatus.proxy and not proxy_allowed:
            raise ServiceError(_("The charter does not allow attendance by proxy."), field="attendance")
        position_id = row.get("position_id")
        if position_id is not None and db.session.get(Position, (society.id, position_id)) is None:
            raise ServiceError(_("Line %(n)d: no such position.", n=i + 1), field="attendance")
        clean.append(MeetingAttendance(meeting_id=meeting.id, name=name, status=status, position_id=position_id,
                                       proxy_name=(row.get("proxy_name") or "").strip() or None))
    if not clean:
        raise ServiceError(_("The attendance list is empty."), field="attendance")
    for old in db.session.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)):
        db.session.delete(old)
    db.session.flush()
    db.session.add_all(clean)
    meeting.members_count = len(clean)
    meeting.present_count = sum(r.status == AttendanceStatus.present for r in clean)
    meeting.proxy_count = sum(r.status == AttendanceStatus.proxy for r in clean)
    db.session.flush()
    return meeting


def meeting_term(society, meeting: Meeting):
    """The term a meeting belongs to: its own, else the organ's term covering the day it was held."""
    from society_saas.governance.models import Term

    if meeting.term_id is not None:
        return get_term(society, meeting.term_id)
    return db.session.scalars(select(Term).where(Term.organ_id == meeting.organ_id, Term.starts_on <= meeting.held_on,
                                                 Term.ends_on >= meeting.held_on).limit(1)).first()


def recorded_attendance(society, meeting: Meeting) -> list:
    """The meeting's recorded attendance list, by name."""
    from society_saas.governance.models import MeetingAttendance

    return list(db.session.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
                                   .order_by(MeetingAttendance.name, MeetingAttendance.id)))


def attendance_sheet(society, meeting: Meeting) -> list[dict]:
    """The attendance list to edit: the one recorded, else the organ's roster on the day, everyone absent."""
    from society_saas.governance.models import Position

    recorded = recorded_attendance(society, meeting)
    if recorded:
        return [{"name": r.name, "status": r.status.value, "proxy_name": r.proxy_name or "",
                 "position_id": r.position_id, "recorded": True} for r in recorded]
    term = meeting_term(society, meeting)
    if term is None:
        return []
    roster = db.session.scalars(
        select(Position).where(Position.term_id == term.id, Position.starts_on <= meeting.held_on,
                               (Position.resigned_at.is_(None)) | (Position.resigned_at > meeting.held_on),
                               (Position.ends_on.is_(None)) | (Position.ends_on >= meeting.held_on))
        .order_by(Position.holder_name, Position.id)).all()
    return [{"name": p.holder_name, "status": "absent", "proxy_name": "", "position_id": p.id} for p in roster]


def decisions_at(society, meeting: Meeting) -> list:
    """The decisions recorded at this meeting (record entries of the decision log), oldest first."""
    from society_saas.decisions.models import DecisionEntry

    return list(db.session.scalars(select(DecisionEntry).where(DecisionEntry.meeting_id == meeting.id,
                                                               DecisionEntry.entry_type == "record")
                                   .order_by(DecisionEntry.seq)))


def record_meeting_attendance(society, actor, meeting: Meeting, rows: list[dict]) -> Meeting:
    """Record attendance from the meeting page; refused once a decision has copied the meeting's counts."""
    if decisions_at(society, meeting):
        raise ServiceError(_("Decisions recorded at this meeting copied its attendance into the decision log; the "
                             "attendance can no longer change. Record a correction in the decision log instead."),
                           field="attendance")
    return record_attendance(society, actor, meeting, rows)
