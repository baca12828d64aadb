"""The 三重一大 decision log: an append-only, per-society hash chain, and its signed checkpoints.

A decision is never updated in place: its record, every state change, every follow-up note
and every correction is a new `DecisionEntry`. The current state of a decision is derived
from its entries (see services.py). Each entry stores `seq`, `prev_hash` and
`hash = sha256(prev_hash || canonical JSON of the entry)`; the unique key (society_id, seq)
makes two concurrent appends collide instead of forking the chain.
"""
import enum
import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from society_saas.core.db import TenantScoped, UTCDateTime, json_type, utcnow

GENESIS_HASH = "0" * 64


class EntryType(str, enum.Enum):
    """What an entry adds to the log."""

    record = "record"  # the decision as taken by the meeting
    state_change = "state_change"  # being carried out, completed
    follow_up = "follow_up"  # a note on how it is carried out
    correction = "correction"  # a new entry that corrects an earlier one
    association_response = "association_response"  # the association acknowledges a reported matter or asks


class DecisionKind(str, enum.Enum):
    """The four kinds of 三重一大 matter."""

    major_decision = "major_decision"  # 重大事项决策
    appointment = "appointment"  # 重要干部任免
    major_project = "major_project"  # 重大项目安排
    large_fund_use = "large_fund_use"  # 大额度资金使用


class Body(str, enum.Enum):
    """The collective organs competent for a 三重一大 matter (values of governance's OrganType)."""

    general_assembly = "general_assembly"  # 会员（代表）大会
    council = "council"  # 理事会
    standing_council = "standing_council"  # 常务理事会


class DecisionState(str, enum.Enum):
    """The lifecycle of a decision, derived from its entries."""

    proposed = "proposed"
    adopted = "adopted"
    rejected = "rejected"
    in_progress = "in_progress"  # being carried out
    completed = "completed"


class Supervision(str, enum.Enum):
    """Whether the supervisory board (监事会/监事) took part."""

    present = "present"
    notified = "notified"
    absent = "absent"


class DecisionEntry(TenantScoped):
    """One link of a society's decision chain; rows are never updated or deleted."""

    __tablename__ = "decision_entry"
    __table_args__ = (
        UniqueConstraint("society_id", "seq"),
        Index("ix_decision_entry_society_decision", "society_id", "decision_id"),
        ForeignKeyConstraint(["society_id", "meeting_id"], ["meeting.society_id", "meeting.id"], ondelete="RESTRICT"),
        {"info": {"append_only": True}},
    )

    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    entry_type: Mapped[str] = mapped_column(String(20))
    # The id of the record entry that opened the decision (equal to id on that entry).
    decision_id: Mapped[uuid.UUID] = mapped_column()
    corrects_seq: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_by_label: Mapped[str] = mapped_column(String(200), default="system")

    # The matter (record and correction entries).
    kind: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    proposer: Mapped[str | None] = mapped_column(String(200))
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    # The meeting (governance); body, date and attendance are copied from it so the hash covers them.
    # Without a meeting (decisions from before the platform) they are entered by hand.
    meeting_id: Mapped[uuid.UUID | None] = mapped_column()
    body: Mapped[str | None] = mapped_column(String(30))
    meeting_ref: Mapped[str | None] = mapped_column(String(200))
    meeting_date: Mapped[date | None] = mapped_column(Date)
    members_total: Mapped[int | None] = mapped_column(Integer)
    present: Mapped[int | None] = mapped_column(Integer)
    recused: Mapped[list | None] = mapped_column(json_type())
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(20))
    supervisors: Mapped[str | None] = mapped_column(String(20))
    party_organisation: Mapped[bool | None] = mapped_column(Boolean)
    party_prestudy: Mapped[bool | None] = mapped_column(Boolean)
    report_to_association: Mapped[bool | None] = mapped_column(Boolean)

    # State changes, follow-up notes and the reason of a correction.
    state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column(json_type())


# The fields the hash covers, in a fixed list so a new column never silently changes old hashes.
HASHED_FIELDS = (
    "society_id", "id", "seq", "entry_type", "decision_id", "corrects_seq", "recorded_at", "recorded_by",
    "recorded_by_label", "kind", "title", "description", "proposer", "amount_fen", "meeting_id", "body", "meeting_ref",
    "meeting_date", "members_total", "present", "recused", "votes_for", "votes_against", "votes_abstain",
    "result", "supervisors", "party_organisation", "party_prestudy", "report_to_association", "state", "note",
    "payload",
)


class DecisionCheckpoint(TenantScoped):
    """A signed statement of a chain's head at one moment; exported so a rewritten chain is caught."""

    __tablename__ = "decision_checkpoint"
    __table_args__ = (
        Index("ix_decision_checkpoint_society_seq", "society_id", "seq"),
        {"info": {"append_only": True}},
    )

    seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signature: Mapped[str] = mapped_column(String(64))
