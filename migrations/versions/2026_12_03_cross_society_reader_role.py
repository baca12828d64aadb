"""cross-society reads through their own role

The cross_society_read policy now applies to "<app role>_cross" only (and reads every row: the role is
the permission), which the application's role switches to for the association's reads; the
tenant_isolation policy applies to the application's role and the owner only (tenancy/rls.py says why).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 13:50:00
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade(app_role=None) -> None:
    from society_saas.tenancy.rls import apply_rls

    apply_rls(op.get_bind(), app_role)


def downgrade(app_role=None) -> None:
    from society_saas.tenancy.rls import tenant_tables

    if op.get_bind().dialect.name != "postgresql":
        return
    society = "nullif(current_setting('app.society_id', true), '')::uuid"
    for table in tenant_tables():
        op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table.name}"')
        op.execute(f'CREATE POLICY tenant_isolation ON "{table.name}" '
                   f"USING (society_id = {society}) WITH CHECK (society_id = {society})")
        op.execute(f'DROP POLICY IF EXISTS cross_society_read ON "{table.name}"')
        op.execute(f'CREATE POLICY cross_society_read ON "{table.name}" FOR SELECT '
                   "USING (current_setting('app.cross_society', true) = 'on')")
