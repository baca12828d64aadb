"""PostgreSQL row-level security: the second wall between societies."""
from sqlalchemy import Table, text

from society_saas.core.db import Base

# nullif(...)::uuid keeps the comparison on the uuid column, so the index on society_id is used.
# Tried and undone: reading each setting in a sub-select (an InitPlan, once per query instead of once
# per row) made a 17,775-row count three times faster, but the planner then guesses the policy keeps
# ~1% of the rows and turned the ledger's walk of the name index (8 ms) into a bitmap scan and sort (18 ms).
CURRENT_SOCIETY = "nullif(current_setting('app.society_id', true), '')::uuid"
# The cross-society read policy applies to its own role only, "<login role>_cross", which the
# application's login role may SET ROLE to (for one transaction) but does not inherit, and the tenant
# policy to the login role and the owner only. Policies of one command are OR-ed per row, so an arm of
# the other policy would be evaluated on every row (~0.25 us each: a 20,000-member count took 6 ms
# instead of 1) and would hide the society from the planner's estimates. Alone, the tenant policy is
# checked once per query against the query's own society_id condition, and the reader's is `true`: being
# that role is the permission (a setting beside it would be one more per-row check, set by the same
# statement). The reader role has no write policy at all.
CROSS_ROLE_SUFFIX = "_cross"


class CrossRoleMissing(RuntimeError):
    """The cross-society reader role is absent or set up so that it would apply to every query."""


def cross_role(login_role: str) -> str:
    """The role the association's cross-society reads run as, for an application login role."""
    return login_role + CROSS_ROLE_SUFFIX


def _quoted(role: str) -> str:
    return '"' + role.replace('"', '') + '"'


def cross_role_setup_statements(login_role: str) -> list[str]:
    """The statements a superuser runs once to create the cross-society reader role for a login role."""
    login, reader = _quoted(login_role), _quoted(cross_role(login_role))
    return [f"CREATE ROLE {reader} NOLOGIN NOBYPASSRLS", f"GRANT {reader} TO {login}",
            f"ALTER ROLE {login} NOINHERIT"]


def cross_role_setup_sql(login_role: str) -> str:
    """The same statements as one script, for a person to run."""
    return "".join(f"{statement}; " for statement in cross_role_setup_statements(login_role)).rstrip()


def check_cross_role(connection, login_role: str) -> None:
    """Refuse to go on unless the reader role exists, the login role may switch to it and does not inherit it."""
    reader = cross_role(login_role)
    row = connection.execute(text(
        "SELECT r.rolbypassrls, l.rolinherit AND NOT l.rolsuper, pg_has_role(l.oid, r.oid, 'MEMBER') "
        "FROM pg_roles r, pg_roles l WHERE r.rolname = :reader AND l.rolname = :login"),
        {"reader": reader, "login": login_role}).first()
    if row is None or row[0] or row[1] or not row[2]:
        raise CrossRoleMissing(
            f"PostgreSQL: the association's cross-society reads need the role {reader}, without BYPASSRLS, "
            f"granted to {login_role}, which must not inherit it. As a superuser, run once: "
            f"{cross_role_setup_sql(login_role)}")


def tenant_tables(metadata=Base.metadata) -> list[Table]:
    """Every table whose primary key starts with society_id, in dependency order."""
    return [t for t in metadata.sorted_tables if "society_id" in t.primary_key.columns]


def global_tables(metadata=Base.metadata) -> list[Table]:
    """Every table shared by all societies."""
    return [t for t in metadata.sorted_tables if "society_id" not in t.primary_key.columns]


def rls_statements(table_name: str, tenant_roles: list[str], reader_role: str) -> list[str]:
    """The statements that enable, force and define the policies of one tenant table: one society's rows
    for `tenant_roles` (the app's login role and the owner), every society's rows to read for `reader_role`."""
    tenants = ", ".join(_quoted(role) for role in dict.fromkeys(tenant_roles))
    return [
        f'ALTER TABLE "{table_name}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table_name}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS tenant_isolation ON "{table_name}"',
        f'CREATE POLICY tenant_isolation ON "{table_name}" TO {tenants} '
        f"USING (society_id = {CURRENT_SOCIETY}) WITH CHECK (society_id = {CURRENT_SOCIETY})",
        f'DROP POLICY IF EXISTS cross_society_read ON "{table_name}"',
        f'CREATE POLICY cross_society_read ON "{table_name}" FOR SELECT TO {_quoted(reader_role)} USING (true)',
    ]


def grant_statements(app_role: str, metadata=Base.metadata) -> list[str]:
    """Grants for the application's role: data access, but never UPDATE/DELETE on append-only tables."""
    role = _quoted(app_role)
    stmts = [f"GRANT USAGE ON SCHEMA public TO {role}"]
    for table in metadata.sorted_tables:
        if table.info.get("append_only"):
            stmts.append(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table.name}" FROM {role}')
            stmts.append(f'GRANT SELECT, INSERT ON "{table.name}" TO {role}')
        else:
            stmts.append(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table.name}" TO {role}')
    stmts.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return stmts


def apply_rls(connection, app_role: str | None, metadata=Base.metadata) -> None:
    """Enable and force RLS on every tenant table and grant the app role, and its cross-society reader
    role, their rights (PostgreSQL only); `app_role` None means the migrating role serves the app too."""
    if connection.dialect.name != "postgresql":
        return
    owner = connection.scalar(text("SELECT current_user"))
    login_role = app_role or owner
    check_cross_role(connection, login_role)
    reader = cross_role(login_role)
    for table in tenant_tables(metadata):
        for stmt in rls_statements(table.name, [login_role, owner], reader):
            connection.execute(text(stmt))
    for role in ([app_role] if app_role else []) + [reader]:
        for stmt in grant_statements(role, metadata):
            connection.execute(text(stmt))


def each_society(connection):
    """Yield each society's id with its tenant context set on the connection, for a data migration's steps
    (row-level security applies to the owner too, so a statement outside a society's context sees no rows)."""
    postgres = connection.dialect.name == "postgresql"
    for (society_id,) in connection.execute(text("SELECT id FROM society")).all():
        if postgres:
            connection.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(society_id)})
        yield society_id
    if postgres:
        connection.execute(text("SELECT set_config('app.society_id', '', true)"))


def run_in_each_society(connection, statement) -> None:
    """Run a statement bound to :s once per society, inside its tenant context."""
    for society_id in each_society(connection):
        connection.execute(statement, {"s": society_id})
