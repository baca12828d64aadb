"""Database triggers that refuse UPDATE and DELETE on append-only tables (audit, decision log)."""
from sqlalchemy import text

from society_saas.core.db import Base

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$
"""


def append_only_tables(metadata=Base.metadata):
    """Tables flagged with info={'append_only': True}."""
    return [t for t in metadata.sorted_tables if t.info.get("append_only")]


def trigger_statements(dialect: str, table_name: str) -> list[str]:
    """The trigger DDL that makes one table append-only on the given dialect."""
    if dialect == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{table_name}_no_update" BEFORE UPDATE ON "{table_name}" '
            f"BEGIN SELECT RAISE(ABORT, '{table_name} is append-only: UPDATE refused'); END",
            f'CREATE TRIGGER IF NOT EXISTS "{table_name}_no_delete" BEFORE DELETE ON "{table_name}" '
            f"BEGIN SELECT RAISE(ABORT, '{table_name} is append-only: DELETE refused'); END",
        ]
    return [
        f'DROP TRIGGER IF EXISTS "{table_name}_append_only" ON "{table_name}"',
        f'CREATE TRIGGER "{table_name}_append_only" BEFORE UPDATE OR DELETE ON "{table_name}" '
        "FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()",
        f'DROP TRIGGER IF EXISTS "{table_name}_no_truncate" ON "{table_name}"',
        f'CREATE TRIGGER "{table_name}_no_truncate" BEFORE TRUNCATE ON "{table_name}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()",
    ]


def apply_append_only(connection, metadata=Base.metadata) -> None:
    """Install the refusing triggers on every append-only table (idempotent)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text(PG_FUNCTION))
    for table in append_only_tables(metadata):
        for stmt in trigger_statements(dialect, table.name):
            connection.execute(text(stmt))
