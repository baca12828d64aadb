"""a postponement request apart from the postponement approved

renewal.requested_until: the day a postponement awaiting the association's review asks for;
renewal.status_before_request: the step the renewal had reached when it was asked (a refusal returns there).
postponed_until now holds only an approved day, so a second request no longer overwrites it, and a refusal
no longer throws away a plan the association had approved. Requests pending at the upgrade move their day
to requested_until; the step they came from was not kept before, so a refusal returns them to preparing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 13:00:00
"""
import sqlalchemy as sa
from alembic import op

from society_saas.tenancy.rls import run_in_each_society

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

STATUS = sa.Enum('preparing', 'submitted', 'returned', 'approved', 'assembly_held', 'filed', 'postponement_requested',
                 'postponed', name='renewalstatus', native_enum=False, length=30)


def upgrade(app_role=None) -> None:
    op.add_column('renewal', sa.Column('requested_until', sa.Date(), nullable=True))
    op.add_column('renewal', sa.Column('status_before_request', STATUS, nullable=True))
    run_in_each_society(op.get_bind(), sa.text(
        "UPDATE renewal SET requested_until = postponed_until, postponed_until = NULL, "
        "status_before_request = 'preparing' WHERE society_id = :s AND status = 'postponement_requested'"))


def downgrade(app_role=None) -> None:
    run_in_each_society(op.get_bind(), sa.text(
        "UPDATE renewal SET postponed_until = requested_until "
        "WHERE society_id = :s AND status = 'postponement_requested'"))
    with op.batch_alter_table('renewal') as batch:
        batch.drop_column('status_before_request')
        batch.drop_column('requested_until')

