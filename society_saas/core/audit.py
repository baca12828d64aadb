"""The append-only audit log: who changed what, when, with the values before and after."""
import enum
import uuid
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from society_saas.core.db import GlobalModel, TenantScoped, UTCDateTime, json_type, utcnow
from society_saas.extensions import db

_actor: ContextVar[tuple[uuid.UUID | None, str] | None] = ContextVar("audit_actor", default=None)
# Columns never copied into the log (secrets and their hashes).
REDACTED = {"password_hash", "session_token", "secret", "token_hash", "api_key_encrypted"}


class AuditEvent(TenantScoped):
    """One change to a society's data; rows are never updated or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_society_at", "society_id", "at"),
        {"info": {"append_only": True}},
    )

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_label: Mapped[str] = mapped_column(String(200), default="system")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(json_type())
    after: Mapped[dict | None] = mapped_column(json_type())


class PlatformAuditEvent(GlobalModel):
    """One change to association-level data (societies, accounts, roles); append-only."""

    __tablename__ = "platform_audit_event"
    __table_args__ = {"info": {"append_only": True}}

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_label: Mapped[str] = mapped_column(String(200), default="system")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60), index=True)
    object_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(json_type())
    after: Mapped[dict | None] = mapped_column(json_type())


def set_actor(user_id: uuid.UUID | None, label: str) -> None:
    """Name the person whose changes the following flushes record."""
    _actor.set((user_id, label))


def actor_id(actor) -> uuid.UUID | None:
    """The id of an acting user, or None for the system."""
    return getattr(actor, "id", None)


def actor_label(actor) -> str:
    """How the log names an acting user: as the request named them (an API token included), else by email,
    mobile or name; "system" when no one acts."""
    current = _actor.get()
    if current is not None and current[0] == actor_id(actor):
        return current[1]
    return (getattr(actor, "email", None) or getattr(actor, "mobile", None) or getattr(actor, "name", None)
            or "system")


def log_event(society_id: uuid.UUID, actor, action: str, object_type: str, object_id=None, before=None,
              after=None) -> "AuditEvent":
    """Add one event the ORM's listener cannot see (a read, a set-based write, a reason) to the society's log."""
    row = AuditEvent(society_id=society_id, actor_id=actor_id(actor), actor_label=actor_label(actor),
                     action=action, object_type=object_type, object_id=None if object_id is None else str(object_id),
                     before=before, after=after)
    db.session.add(row)
    return row


def clear_actor() -> None:
    """Forget the actor (end of a request)."""
    _actor.set(None)


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _snapshot(obj, attrs=None) -> dict:
    mapper = inspect(obj).mapper
    keys = attrs or [c.key for c in mapper.column_attrs]
    return {k: ("***" if k in REDACTED else _plain(getattr(obj, k))) for k in keys if k != "society_id"}


def _changes(obj) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            redact = attr.key in REDACTED
            before[attr.key] = "***" if redact else _plain(old)
            after[attr.key] = "***" if redact else _plain(new)
    return before, after


def _is_audited(obj) -> bool:
    return not isinstance(obj, (AuditEvent, PlatformAuditEvent)) and getattr(obj, "__audited__", True)


def _event_for(obj, action, before, after):
    actor = _actor.get()
    if actor is None:
        return None
    actor_id, label = actor
    state = inspect(obj)
    pk = state.identity or state.mapper.primary_key_from_instance(obj)
    object_id = str(pk[-1]) if pk else None
    cls = AuditEvent if isinstance(obj, TenantScoped) else PlatformAuditEvent
    fields = dict(actor_id=actor_id, actor_label=label, action=action, object_type=type(obj).__name__,
                  object_id=object_id, before=before or None, after=after or None)
    if isinstance(obj, TenantScoped):
        fields["society_id"] = obj.society_id
    return cls(**fields)


@event.listens_for(Session, "before_flush")
def _record_changes(session, flush_context, instances):
    events = []
    for obj in list(session.new):
        if _is_audited(obj):
            events.append((obj, "create", None, None))
    for obj in list(session.dirty):
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                events.append((obj, "update", before, after))
    for obj in list(session.deleted):
        if _is_audited(obj):
            events.append((obj, "delete", _snapshot(obj), None))
    session.info.setdefault("pending_audit", []).extend(events)


@event.listens_for(Session, "after_flush")
def _write_created(session, flush_context):
    pending = session.info.pop("pending_audit", [])
    rows = []
    for obj, action, before, after in pending:
        if action == "create":
            after = _snapshot(obj)
        row = _event_for(obj, action, before, after)
        if row is not None:
            rows.append(row)
    if rows:
        session.add_all(rows)  # flushed by the next flush or the commit
