"""The one place where every ORM query is scoped to the current society.

A `do_orm_execute` listener adds `with_loader_criteria(TenantScoped, society_id == current)`
to every statement that touches a tenant table, and refuses to run one when no society is
set (fail closed) unless the code is inside the explicit, read-only cross-society context.
A `before_flush` listener stamps new rows with the current society and refuses rows of
another one. On PostgreSQL the same context is written into the transaction
(`app.society_id`, and the role: the login role, or in the cross-society context its reader role) so
row-level security enforces it a second time.
"""
import functools

from sqlalchemy import String, Table, bindparam, cast, event, func, select, text
from sqlalchemy.sql import visitors
from sqlalchemy.orm import Session, scoped_session, with_loader_criteria

from society_saas.core.db import TenantScoped
from society_saas.tenancy import context
from society_saas.tenancy.rls import CROSS_ROLE_SUFFIX, tenant_tables


class TenancyError(RuntimeError):
    """Tenant-owned data was touched without the right society context."""


def _tenant_table_names() -> frozenset[str]:
    global _TENANT_TABLES
    if _TENANT_TABLES is None:
        _TENANT_TABLES = frozenset(t.name for t in tenant_tables())
    return _TENANT_TABLES


_TENANT_TABLES = None


def _touches_tenant_tables(state) -> bool:
    if any(issubclass(m.class_, TenantScoped) for m in state.all_mappers):
        return True
    # Statements of the same shape (SQLAlchemy's cache key: structure and tables, not the bound values)
    # touch the same tables, so the walk runs once per shape; the key is memoized on the statement and
    # reused when SQLAlchemy looks up its compiled form.
    key = state.statement._generate_cache_key()
    if key is None:
        return _walk_for_tenant_tables(state.statement)
    found = _SHAPES_TOUCHING.get(key.key)
    if found is None:
        found = _walk_for_tenant_tables(state.statement)
        if len(_SHAPES_TOUCHING) >= _MAX_SHAPES:  # a bound on memory, not expected with the app's own queries
            _SHAPES_TOUCHING.clear()
        _SHAPES_TOUCHING[key.key] = found
    return found


_SHAPES_TOUCHING: dict[tuple, bool] = {}
_MAX_SHAPES = 5000


def _walk_for_tenant_tables(statement) -> bool:
    # Walk the whole statement (FROM lists, subqueries, joins) rather than trusting
    # all_mappers, which misses e.g. select(func.count()).select_from(Model).
    names = _tenant_table_names()
    return any(isinstance(node, Table) and node.name in names for node in visitors.iterate(statement))


def _rls_values() -> tuple[str, bool]:
    sid = context.current_society_id()
    return (str(sid) if sid else "", context.in_cross_society())


def sync_rls(session: Session, connection=None) -> None:
    """Write the current society context into the PostgreSQL transaction if it changed."""
    if isinstance(session, scoped_session):
        session = session()
    values = _rls_values()
    if connection is None:
        # the usual case, every ORM statement of a page: the open transaction already holds this context
        if session.in_transaction() and session.info.get("rls_values") == values:
            return
        connection = session.connection()  # begins a transaction if none is open: _after_begin writes the context
    conn = connection
    if conn.dialect.name != "postgresql":
        return
    if session.info.get("rls_values") == values:
        return
    # the cross-society policy applies only to the reader role (tenancy/rls.py), so cross-society work
    # switches to it for the rest of the transaction and everything else returns to the login role
    conn.execute(
        text("SELECT set_config('app.society_id', :sid, true), "
             f"set_config('role', CASE WHEN :cross THEN session_user || '{CROSS_ROLE_SUFFIX}' "
             "ELSE 'none' END, true)"),
        {"sid": values[0], "cross": values[1]},
    )
    session.info["rls_values"] = values


def enter_society_by_slug(session: Session, slug: str):
    """The society with this slug, or None; on PostgreSQL the same statement writes it into the transaction's
    context, so the caller's society_context needs no set_config of its own (a round trip fewer on every
    society page: the lookup is the first thing each one does)."""
    if session.get_bind().dialect.name != "postgresql":
        return session.scalar(society_by_slug_statement(), {"slug": slug})
    row = session.execute(_enter_society_by_slug(), {"slug": slug}).first()
    if row is None:
        return None
    session.info["rls_values"] = (str(row[0].id), False)
    return row[0]


# The two statements are built once: every society page runs one, and building a statement (and its cache
# key) costs more than running it.
@functools.cache
def society_by_slug_statement():
    """The society whose slug is the bound parameter `slug` (a global table: no scoping needed)."""
    from society_saas.tenancy.models import Society

    return select(Society).where(Society.slug == bindparam("slug"))


@functools.cache
def _enter_society_by_slug():
    from society_saas.tenancy.models import Society

    # society is a global table (no row-level security); set_config runs for the one row found, if any
    return society_by_slug_statement().add_columns(func.set_config("app.society_id", cast(Society.id, String), True),
                                          func.set_config("role", "none", True))


# No society and the login role: what every transaction starts with, since set_config(..., true) lasts one.
OUTSIDE_ANY_SOCIETY = ("", False)


@event.listens_for(Session, "after_begin")
def _after_begin(session, transaction, connection):
    # a transaction outside any society (the login's user lookup, the console) needs no statement to say so
    session.info["rls_values"] = OUTSIDE_ANY_SOCIETY
    sync_rls(session, connection)


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state):
    sync_rls(state.session)
    if not _touches_tenant_tables(state):
        return
    if context.in_cross_society():
        if not state.is_select:
            raise TenancyError("the cross-society context is read-only")
        return
    society_id = context.current_society_id()
    if society_id is None:
        raise TenancyError("no society is set for a query on tenant data")
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantScoped,
                lambda cls: cls.society_id == society_id,
                include_aliases=True,
                track_closure_variables=True,
            )
        )


@event.listens_for(Session, "before_flush")
def _stamp_and_check(session, flush_context, instances):
    tenant_objs = [o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, TenantScoped)]
    if not tenant_objs:
        return
    if context.in_cross_society():
        raise TenancyError("the cross-society context is read-only")
    society_id = context.current_society_id()
    if society_id is None:
        raise TenancyError("no society is set for a write to tenant data")
    for obj in tenant_objs:
        if obj in session.new and obj.society_id is None:
            obj.society_id = society_id
        elif obj.society_id != society_id:
            raise TenancyError(f"{type(obj).__name__} belongs to another society")
    sync_rls(session)
