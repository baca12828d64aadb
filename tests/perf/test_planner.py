"""PostgreSQL: the migration leaves the planner the extended statistics the ledger's plans depend on."""
import pytest
from sqlalchemy import text

from society_saas.core.schema import STATISTICS


@pytest.mark.postgres
def test_extended_statistics_on_correlated_member_columns(session, db_backend):
    with db_backend["superuser"].connect() as conn:
        rows = dict(conn.execute(text("SELECT stxname, stxkind::text FROM pg_statistic_ext")).all())
    for name in STATISTICS:
        assert name in rows and set("df") <= set(rows[name]), rows  # dependencies and ndistinct
