"""row-level security policies read the session settings once per query

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:00:00

The policies of every tenant table are made again from society_saas/tenancy/rls.py, whose settings are
now read in sub-selects (evaluated once per query, not once per row). Same rows visible, same checks.
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade(app_role=None) -> None:
    from society_saas.core.schema import apply_database_rules
    apply_database_rules(op.get_bind(), app_role)


def downgrade(app_role=None) -> None:
    # the earlier per-row form grants the same rows; there is nothing to undo for correctness
    pass
