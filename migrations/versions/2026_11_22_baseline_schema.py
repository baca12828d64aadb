"""baseline schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 07:32:17.467077
"""
from alembic import op
import sqlalchemy as sa
import society_saas.core.db
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade(app_role=None) -> None:
    op.create_table('platform_audit_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_audit_event')),
    info={'append_only': True}
    )
    with op.batch_alter_table('platform_audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_audit_event_object_type'), ['object_type'], unique=False)

    op.create_table('society',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('society', 'association', 'research_society', 'university_sta', 'enterprise_sta', 'park_sta', name='societykind', native_enum=False, length=30), nullable=False),
    sa.Column('registration_no', sa.String(length=60), nullable=True),
    sa.Column('supporting_unit', sa.String(length=200), nullable=True),
    sa.Column('discipline', sa.String(length=100), nullable=True),
    sa.Column('consortium', sa.String(length=100), nullable=True),
    sa.Column('contact_name', sa.String(length=60), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('active', 'suspended', name='societystatus', native_enum=False, length=20), nullable=False),
    sa.Column('suspended_reason', sa.Text(), nullable=True),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_society')),
    sa.UniqueConstraint('name', name=op.f('uq_society_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_society_slug'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('mobile', name=op.f('uq_user_account_mobile')),
    sa.UniqueConstraint('session_token', name=op.f('uq_user_account_session_token'))
    )
    op.create_table('association_role',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('administrator', 'staff', 'assessor', name='associationrolename', native_enum=False, length=30), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_association_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association_role')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_association_role_user_id_role'))
    )
    with op.batch_alter_table('association_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_association_role_user_id'), ['user_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_audit_event_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_audit_event')),
    info={'append_only': True}
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_society_at', ['society_id', 'at'], unique=False)

    op.create_table('society_role',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('secretary_general', 'secretariat_staff', 'council_member', 'supervisor', 'member', name='societyrolename', native_enum=False, length=30), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_society_role_society_id_society'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_society_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_society_role')),
    sa.UniqueConstraint('society_id', 'user_id', 'role', name=op.f('uq_society_role_society_id_user_id_role'))
    )
    with op.batch_alter_table('society_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_society_role_user_id'), ['user_id'], unique=False)

    from society_saas.core.schema import apply_database_rules
    apply_database_rules(op.get_bind(), app_role)


def downgrade(app_role=None) -> None:
    with op.batch_alter_table('society_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_society_role_user_id'))

    op.drop_table('society_role')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_society_at')

    op.drop_table('audit_event')
    with op.batch_alter_table('association_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_association_role_user_id'))

    op.drop_table('association_role')
    op.drop_table('user_account')
    op.drop_table('society')
    with op.batch_alter_table('platform_audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_audit_event_object_type'))
        batch_op.drop_index(batch_op.f('ix_platform_audit_event_at'))

    op.drop_table('platform_audit_event')
