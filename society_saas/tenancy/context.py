"""Which society the current unit of work is for, and the explicit cross-society context."""
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

_society_id: ContextVar[uuid.UUID | None] = ContextVar("society_id", default=None)
_cross_society: ContextVar[bool] = ContextVar("cross_society", default=False)


def current_society_id() -> uuid.UUID | None:
    """Return the society the current work is scoped to, or None."""
    return _society_id.get()


def in_cross_society() -> bool:
    """True inside the association's read-only cross-society context."""
    return _cross_society.get()


def set_society(society_id: uuid.UUID | None) -> None:
    """Scope the rest of this request (or command) to one society; None clears it."""
    _society_id.set(society_id)
    _cross_society.set(False)


def reset() -> None:
    """Forget any society and leave the cross-society context (start and end of a request)."""
    _society_id.set(None)
    _cross_society.set(False)


@contextmanager
def society_context(society_id: uuid.UUID):
    """Run a block scoped to one society, restoring the previous scope afterwards."""
    token_s = _society_id.set(society_id)
    token_c = _cross_society.set(False)
    try:
        yield
    finally:
        _cross_society.reset(token_c)
        _society_id.reset(token_s)


@contextmanager
def cross_society():
    """Run a read-only block that sees every society's rows (the association console)."""
    token_s = _society_id.set(None)
    token_c = _cross_society.set(True)
    try:
        yield
    finally:
        _cross_society.reset(token_c)
        _society_id.reset(token_s)
