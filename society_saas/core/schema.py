"""Database rules beyond the tables: row-level security, grants, append-only triggers and planner statistics."""
from society_saas.core.append_only import apply_append_only
from society_saas.tenancy.rls import apply_rls


def apply_database_rules(connection, app_role: str | None = None) -> None:
    """Apply every non-table rule; migrations call this after creating tables."""
    import society_saas.models  # noqa: F401  (registers every table on the metadata)

    apply_append_only(connection)
    apply_rls(connection, app_role)
    apply_planner_statistics(connection)


# A society's members per class, status or join date are not independent of the society: without
# these the planner multiplies the selectivities, expects a few rows of the 20,000-member society
# where there are thousands, and sorts them instead of walking the (society_id, ...) index.
STATISTICS = {
    "st_member_society_class": ("member", ("society_id", "class_id")),
    "st_member_society_status": ("member", ("society_id", "status")),
}


def apply_planner_statistics(connection) -> None:
    """PostgreSQL: extended statistics (dependencies, ndistinct) on correlated tenant columns."""
    if connection.dialect.name != "postgresql":
        return
    for name, (table, columns) in STATISTICS.items():
        connection.exec_driver_sql(f'CREATE STATISTICS IF NOT EXISTS {name} (dependencies, ndistinct) '
                                   f'ON {", ".join(columns)} FROM "{table}"')
