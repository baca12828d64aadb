"""an invoice's overpayment, held apart from what it counts as paid

dues_invoice.overpaid_fen: what was received beyond the amount (an online checkout paid after a transfer,
an amount reduced after payment). paid_fen is capped at the amount from now on, so collection figures
no longer count money that is to be refunded. Existing invoices are settled from their payments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 16:30:00
"""
import sqlalchemy as sa
from alembic import op

from society_saas.tenancy.rls import run_in_each_society

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Each society's invoices that received more than their amount: the excess moves to overpaid_fen.
SETTLE = sa.text(
    "UPDATE dues_invoice SET overpaid_fen = r.received - dues_invoice.amount_fen, paid_fen = dues_invoice.amount_fen "
    "FROM (SELECT invoice_id, sum(amount_fen - refunded_fen) AS received FROM dues_payment "
    "      WHERE society_id = :s AND state IN ('confirmed', 'refunded') GROUP BY invoice_id) AS r "
    "WHERE dues_invoice.society_id = :s AND dues_invoice.id = r.invoice_id AND r.received > dues_invoice.amount_fen")


def upgrade(app_role=None) -> None:
    op.add_column('dues_invoice', sa.Column('overpaid_fen', sa.Integer(), server_default='0', nullable=False))
    op.create_index('ix_dues_invoice_overpaid', 'dues_invoice', ['society_id'], unique=False,
                    postgresql_where=sa.text('overpaid_fen > 0'), sqlite_where=sa.text('overpaid_fen > 0'))
    run_in_each_society(op.get_bind(), SETTLE)


def downgrade(app_role=None) -> None:
    run_in_each_society(op.get_bind(), sa.text("UPDATE dues_invoice SET paid_fen = paid_fen + overpaid_fen "
                                               "WHERE society_id = :s AND overpaid_fen > 0"))
    op.drop_index('ix_dues_invoice_overpaid', table_name='dues_invoice',
                  postgresql_where=sa.text('overpaid_fen > 0'), sqlite_where=sa.text('overpaid_fen > 0'))
    op.drop_column('dues_invoice', 'overpaid_fen')

