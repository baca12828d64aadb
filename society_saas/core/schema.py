"""Database rules beyond the tables: row-level security, grants and append-only triggers."""
from society_saas.core.append_only import apply_append_only
from society_saas.tenancy.rls import apply_rls


def apply_database_rules(connection, app_role: str | None = None) -> None:
    """Apply every non-table rule; migrations call this after creating tables."""
    import society_saas.models  # noqa: F401  (registers every table on the metadata)

    apply_append_only(connection)
    apply_rls(connection, app_role)
