"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""
from alembic import op
import sqlalchemy as sa
import society_saas.core.db
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade(app_role=None) -> None:
    ${upgrades if upgrades else "pass"}
    from society_saas.core.schema import apply_database_rules
    apply_database_rules(op.get_bind(), app_role)


def downgrade(app_role=None) -> None:
    ${downgrades if downgrades else "pass"}
