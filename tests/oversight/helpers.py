"""Builders of oversight test data, written inside each society's context."""
from datetime import date, datetime, timezone

from society_saas.decisions.models import DecisionEntry
from society_saas.extensions import db
from society_saas.governance.models import Meeting, Organ, OrganType, Position, Term
from society_saas.members.models import Member, MemberClass, MemberRequest, MemberStatus
from society_saas.oversight.models import Activity, ActivityKind, FilingState
from society_saas.tenancy.context import society_context


def classes(society) -> dict:
    """Student, member and institutional classes; returns code -> class."""
    out = {}
    with society_context(society.id):
        for code in ("student", "member", "institutional"):
            c = MemberClass(society_id=society.id, code=code, name_zh=code, name_en=code)
            db.session.add(c)
            out[code] = c
        db.session.commit()
    return out


def member(society, cls, joined: date, born: date | None, status=MemberStatus.active, name="m"):
    """One member row."""
    with society_context(society.id):
        m = Member(society_id=society.id, class_id=cls.id, join_date=joined, birth_date=born, status=status, name=name)
        db.session.add(m)
        db.session.commit()
        return m


def organ(society, organ_type: OrganType, name: str | None = None, term=None):
    """An organ, optionally with one term (starts, ends)."""
    with society_context(society.id):
        o = Organ(society_id=society.id, type=organ_type, name=name or organ_type.value)
        db.session.add(o)
        db.session.flush()
        t = None
        if term:
            t = Term(society_id=society.id, organ_id=o.id, number=1, starts_on=term[0], ends_on=term[1])
            db.session.add(t)
        db.session.commit()
        return o, t


def meeting(society, o, held_on: date, term=None):
    """A meeting of an organ."""
    with society_context(society.id):
        m = Meeting(society_id=society.id, organ_id=o.id, term_id=term.id if term else None, title="会议",
                    held_on=held_on, members_count=12, present_count=10)
        db.session.add(m)
        db.session.commit()
        return m


def position(society, term, front_line: bool, born=date(1970, 1, 1)):
    """A council seat."""
    with society_context(society.id):
        p = Position(society_id=society.id, term_id=term.id, role="council_member", holder_name="张三",
                     gender="male", birth_date=born, front_line=front_line, starts_on=term.starts_on)
        db.session.add(p)
        db.session.commit()


def decision(society, seq: int, meeting_id, on: date, total: int, present: int, votes_for: int,
             result: str = "adopted", recused: list | None = None):
    """A bare 三重一大 record entry (hashes are not checked by the metrics)."""
    import uuid

    with society_context(society.id):
        did = uuid.uuid4()
        e = DecisionEntry(society_id=society.id, id=did, decision_id=did, seq=seq, prev_hash="0" * 64, hash="x" * 64,
                          entry_type="record", kind="major_decision", title="事项", meeting_id=meeting_id,
                          body="council", meeting_date=on, members_total=total, present=present,
                          votes_for=votes_for, votes_against=0, votes_abstain=0, result=result,
                          recused=recused)
        db.session.add(e)
        db.session.commit()


def request(society, m, created: datetime, replied: datetime | None):
    """A member's request, answered or not."""
    with society_context(society.id):
        r = MemberRequest(society_id=society.id, member_id=m.id, subject="诉求", body="内容", created_at=created,
                          replied_at=replied, status="answered" if replied else "open")
        db.session.add(r)
        db.session.commit()


def activity(society, kind: ActivityKind, on: date, state=FilingState.not_required, title="活动"):
    """An activity in a given filing state."""
    with society_context(society.id):
        a = Activity(society_id=society.id, kind=kind, title=title, starts_on=on, filing_state=state,
                     in_association_name=state != FilingState.not_required)
        db.session.add(a)
        db.session.commit()
        return a


def utc(y, m, d, h=0):
    """An aware UTC datetime."""
    return datetime(y, m, d, h, tzinfo=timezone.utc)
