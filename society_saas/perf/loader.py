"""Bulk loading of generated rows: COPY through a staging table on PostgreSQL, executemany on SQLite.

PostgreSQL refuses COPY FROM into a table whose row-level security applies to the loading role,
and the owner is subject to it (RLS is FORCED). So rows are copied into an unrestricted
temporary staging table first and moved with one INSERT ... SELECT per society and table, each
under that society's `app.society_id`: the tenant policy checks every row on the way in.
"""
import enum

from sqlalchemy import Table, text

CHUNK = 5_000


def _fill(table: Table, rows: list[dict]) -> list[str]:
    """Give every row a value for every column (Python-side defaults or NULL), return the column names."""
    for col in table.columns:
        default = col.default
        if default is None:
            for row in rows:
                row.setdefault(col.name, None)
            continue
        make = (lambda d=default: d.arg(None)) if default.is_callable else (lambda d=default: d.arg)
        for row in rows:
            if col.name not in row:
                row[col.name] = make()
    return [c.name for c in table.columns]


class Loader:
    """Collects generated rows per table and writes them in bulk on one connection."""

    def __init__(self, connection):
        self.conn = connection
        self.pg = connection.dialect.name == "postgresql"
        self.rows: dict[Table, list[dict]] = {}
        self.counts: dict[str, int] = {}
        self._staged: set[str] = set()

    def add(self, table: Table, row: dict) -> None:
        """Queue one row (a dict by column name) for a table."""
        self.rows.setdefault(table, []).append(row)

    def flush(self, society_ids: list) -> None:
        """Write every queued row, in dependency order, then forget them."""
        for table in self._ordered():
            rows = self.rows.pop(table)
            if not rows:
                continue
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
            if self.pg and is_tenant(table):
                self._copy(table, rows, society_ids)
            else:
                _fill(table, rows)
                for start in range(0, len(rows), CHUNK):
                    self.conn.execute(table.insert(), rows[start:start + CHUNK])
        self.rows.clear()

    def _ordered(self) -> list[Table]:
        from society_saas.core.db import Base

        return [t for t in Base.metadata.sorted_tables if t in self.rows]

    def _copy(self, table: Table, rows: list[dict], society_ids: list) -> None:
        names = _fill(table, rows)
        dialect = self.conn.dialect
        procs = [table.c[n].type._cached_bind_processor(dialect) for n in names]
        stage = f"stage_{table.name}"
        if stage not in self._staged:
            self.conn.exec_driver_sql(f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" (LIKE "{table.name}") ON COMMIT DELETE ROWS')
            # one INSERT ... SELECT per society reads its rows by index, not by scanning the whole batch
            self.conn.exec_driver_sql(f'CREATE INDEX IF NOT EXISTS "{stage}_sid" ON "{stage}" (society_id)')
            self._staged.add(stage)
        cols = ", ".join(f'"{n}"' for n in names)
        cursor = self.conn.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{stage}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for name, proc in zip(names, procs):
                    value = row[name]
                    if isinstance(value, enum.Enum) and proc is None:
                        value = value.value
                    values.append(proc(value) if proc is not None and value is not None else value)
                copy.write_row(values)
        present = {r["society_id"] for r in rows}
        for sid in society_ids:
            if sid not in present:
                continue
            cursor.execute("SELECT set_config('app.society_id', %s, true)", (str(sid),))
            cursor.execute(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM "{stage}" WHERE society_id = %s',
                           (sid,))
        cursor.execute(f'TRUNCATE "{stage}"')
        cursor.close()


def is_tenant(table: Table) -> bool:
    """True for a table keyed by society."""
    return "society_id" in table.primary_key.columns


def set_owner_context(connection, society_id) -> None:
    """Scope the owner's transaction to one society (PostgreSQL); a no-op on SQLite."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(society_id)})
