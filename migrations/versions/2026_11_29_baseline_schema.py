"""baseline schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 14:08:18.499071
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
    op.create_table('assessment_scheme',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', 'self_report', 'frozen', 'scoring', 'finalised', name='schemestate', native_enum=False, length=20), nullable=False),
    sa.Column('self_report_due', sa.Date(), nullable=True),
    sa.Column('snapshot_on', sa.Date(), nullable=True),
    sa.Column('scoring_due', sa.Date(), nullable=True),
    sa.Column('thresholds', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('published_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('frozen_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finalised_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_scheme')),
    sa.UniqueConstraint('year', name=op.f('uq_assessment_scheme_year'))
    )
    op.create_table('composition_rule',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('body', sa.Enum('general_assembly', 'council', 'standing_council', 'supervisory_board', 'secretariat', 'branch', 'party_organisation', name='organtype', native_enum=False, length=30), nullable=False),
    sa.Column('attribute', sa.Enum('front_line', 'under_45', 'female', 'non_mainland', name='compositionattribute', native_enum=False, length=20), nullable=False),
    sa.Column('comparison', sa.Enum('ge', 'le', name='comparison', native_enum=False, length=5), nullable=False),
    sa.Column('threshold_num', sa.Integer(), nullable=False),
    sa.Column('threshold_den', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('threshold_den > 0 AND threshold_num >= 0 AND threshold_num <= threshold_den', name=op.f('ck_composition_rule_threshold_fraction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_composition_rule'))
    )
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
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
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
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('mobile', name=op.f('uq_user_account_mobile'))
    )
    op.create_table('activity',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('academic_conference', 'brand_academic_event', 'popular_science', 'training', 'think_tank_report', 'group_standard', 'award', 'journal_issue', name='activitykind', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('in_association_name', sa.Boolean(), nullable=False),
    sa.Column('filing_state', sa.Enum('not_required', 'draft', 'submitted', 'approved', 'returned', name='filingstate', native_enum=False, length=20), nullable=False),
    sa.Column('submitted_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.String(length=200), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_activity_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_society_filing', ['society_id', 'filing_state'], unique=False)
        batch_op.create_index('ix_activity_society_kind_starts', ['society_id', 'kind', 'starts_on'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('for_society_id', sa.Uuid(), nullable=True),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('expires_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['for_society_id'], ['society.id'], name=op.f('fk_api_token_for_society_id_society'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_for_society_id'), ['for_society_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('assessment_assignment',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('assessor_id', sa.Uuid(), nullable=False),
    sa.Column('recused', sa.Boolean(), nullable=False),
    sa.Column('recusal_reason', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['user_account.id'], name=op.f('fk_assessment_assignment_assessor_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_assignment_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_assessment_assignment_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_assessment_assignment')),
    sa.UniqueConstraint('society_id', 'scheme_id', 'assessor_id', name=op.f('uq_assessment_assignment_society_id_scheme_id_assessor_id'))
    )
    op.create_table('assessment_indicator',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('type', sa.Enum('computed', 'self_reported', 'assessor', name='indicatortype', native_enum=False, length=20), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=True),
    sa.Column('rule', sa.Enum('linear', 'bands', 'yes_no', name='scoringrule', native_enum=False, length=10), nullable=False),
    sa.Column('floor', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('bands', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_indicator_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_indicator')),
    sa.UniqueConstraint('scheme_id', 'code', name=op.f('uq_assessment_indicator_scheme_id_code'))
    )
    op.create_table('assessment_metric_snapshot',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_metric_snapshot_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_assessment_metric_snapshot_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_assessment_metric_snapshot')),
    sa.UniqueConstraint('society_id', 'scheme_id', 'metric', name=op.f('uq_assessment_metric_snapshot_society_id_scheme_id_metric'))
    )
    op.create_table('assessment_result',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('grade', sa.String(length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('breakdown', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_result_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_assessment_result_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_assessment_result')),
    sa.UniqueConstraint('society_id', 'scheme_id', name=op.f('uq_assessment_result_society_id_scheme_id'))
    )
    op.create_table('assessment_run',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by', sa.Uuid(), nullable=True),
    sa.Column('snapshot_on', sa.Date(), nullable=True),
    sa.Column('started_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_run_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_run'))
    )
    with op.batch_alter_table('assessment_run', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_run_state', ['state'], unique=False)

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

    op.create_table('decision_checkpoint',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('signed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_decision_checkpoint_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_decision_checkpoint')),
    info={'append_only': True}
    )
    with op.batch_alter_table('decision_checkpoint', schema=None) as batch_op:
        batch_op.create_index('ix_decision_checkpoint_society_seq', ['society_id', 'seq'], unique=False)

    op.create_table('dues_receipt_counter',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_receipt_counter_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_receipt_counter')),
    sa.UniqueConstraint('society_id', 'year', name=op.f('uq_dues_receipt_counter_society_id_year'))
    )
    op.create_table('form_submission',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('endpoint', sa.String(length=120), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_form_submission_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_form_submission')),
    sa.UniqueConstraint('society_id', 'token', name=op.f('uq_form_submission_society_id_token'))
    )
    op.create_table('job',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='jobstate', native_enum=False, length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Uuid(), nullable=True),
    sa.Column('claimed_by', sa.String(length=120), nullable=True),
    sa.Column('started_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_job_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_society_state', ['society_id', 'state'], unique=False)

    op.create_table('login_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_login_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
    sa.UniqueConstraint('token', name=op.f('uq_login_session_token'))
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_user_id'), ['user_id'], unique=False)

    op.create_table('member_class',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name_zh', sa.String(length=50), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('annual_dues_fen', sa.Integer(), nullable=False),
    sa.Column('min_years', sa.Integer(), nullable=False),
    sa.Column('requires_senior_title', sa.Boolean(), nullable=False),
    sa.Column('elected', sa.Boolean(), nullable=False),
    sa.Column('may_vote', sa.Boolean(), nullable=False),
    sa.Column('may_stand', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_member_class_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_member_class')),
    sa.UniqueConstraint('society_id', 'code', name=op.f('uq_member_class_society_id_code'))
    )
    op.create_table('member_number_sequence',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('prefix', sa.String(length=8), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_member_number_sequence_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_member_number_sequence')),
    sa.UniqueConstraint('society_id', 'prefix', name=op.f('uq_member_number_sequence_society_id_prefix'))
    )
    op.create_table('organ',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.Enum('general_assembly', 'council', 'standing_council', 'supervisory_board', 'secretariat', 'branch', 'party_organisation', name='organtype', native_enum=False, length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('branch_subtype', sa.Enum('specialist', 'youth', 'popular_science', 'other', name='branchsubtype', native_enum=False, length=30), nullable=True),
    sa.Column('party_type', sa.Enum('A', 'B', 'C', name='partytype', native_enum=False, length=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_organ_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_organ')),
    sa.UniqueConstraint('society_id', 'name', name=op.f('uq_organ_society_id_name'))
    )
    op.create_table('payment_account',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('secret_key_encrypted', sa.Text(), nullable=True),
    sa.Column('webhook_secret_encrypted', sa.Text(), nullable=True),
    sa.Column('publishable_key', sa.String(length=255), nullable=True),
    sa.Column('connected_account_id', sa.String(length=255), nullable=True),
    sa.Column('methods', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_payment_account_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_payment_account')),
    sa.UniqueConstraint('society_id', 'provider', name=op.f('uq_payment_account_society_id_provider'))
    )
    op.create_table('reform_task',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_department', sa.String(length=100), nullable=True),
    sa.Column('owner_society', sa.Uuid(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_society'], ['society.id'], name=op.f('fk_reform_task_owner_society_society'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reform_task')),
    sa.UniqueConstraint('code', name=op.f('uq_reform_task_code'))
    )
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

    op.create_table('stripe_event',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('stripe_created', sa.Integer(), nullable=False),
    sa.Column('object_ref', sa.String(length=255), nullable=True),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('received_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_stripe_event_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_stripe_event')),
    sa.UniqueConstraint('society_id', 'event_id', name=op.f('uq_stripe_event_society_id_event_id'))
    )
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.create_index('ix_stripe_event_object', ['society_id', 'object_ref'], unique=False)

    op.create_table('watch_action',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor_label', sa.String(length=200), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_watch_action_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_watch_action'))
    )
    with op.batch_alter_table('watch_action', schema=None) as batch_op:
        batch_op.create_index('ix_watch_action_society_taken', ['society_id', 'taken_on'], unique=False)

    op.create_table('webhook_subscription',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('events', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('secret_encrypted', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_webhook_subscription_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_webhook_subscription'))
    )
    op.create_table('assessment_score',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('indicator_id', sa.Uuid(), nullable=False),
    sa.Column('assessor_id', sa.Uuid(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['user_account.id'], name=op.f('fk_assessment_score_assessor_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['assessment_indicator.id'], name=op.f('fk_assessment_score_indicator_id_assessment_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_score_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_assessment_score_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_assessment_score')),
    sa.UniqueConstraint('society_id', 'indicator_id', 'assessor_id', name=op.f('uq_assessment_score_society_id_indicator_id_assessor_id'))
    )
    op.create_table('assessment_self_report',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('scheme_id', sa.Uuid(), nullable=False),
    sa.Column('indicator_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('submitted_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['assessment_indicator.id'], name=op.f('fk_assessment_self_report_indicator_id_assessment_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheme_id'], ['assessment_scheme.id'], name=op.f('fk_assessment_self_report_scheme_id_assessment_scheme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_assessment_self_report_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_assessment_self_report')),
    sa.UniqueConstraint('society_id', 'indicator_id', name=op.f('uq_assessment_self_report_society_id_indicator_id'))
    )
    op.create_table('dues_schedule',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('class_id', sa.Uuid(), nullable=False),
    sa.Column('dues_year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('grace_days', sa.Integer(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_dues_schedule_amount_not_negative')),
    sa.ForeignKeyConstraint(['society_id', 'class_id'], ['member_class.society_id', 'member_class.id'], name=op.f('fk_dues_schedule_society_id_class_id_member_class')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_schedule_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_schedule')),
    sa.UniqueConstraint('society_id', 'class_id', 'dues_year', name=op.f('uq_dues_schedule_society_id_class_id_dues_year'))
    )
    op.create_table('member',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_number', sa.String(length=30), nullable=True),
    sa.Column('class_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('active', 'grace', 'lapsed', 'resigned', 'expelled', 'deceased', name='memberstatus', native_enum=False, length=20), nullable=False),
    sa.Column('join_date', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.String(length=10), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_type', sa.String(length=20), nullable=True),
    sa.Column('id_number_encrypted', sa.Text(), nullable=True),
    sa.Column('id_number_index', sa.String(length=64), nullable=True),
    sa.Column('id_number_masked', sa.String(length=40), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('work_unit', sa.String(length=200), nullable=True),
    sa.Column('professional_title', sa.String(length=60), nullable=True),
    sa.Column('senior_title', sa.Boolean(), nullable=False),
    sa.Column('education', sa.String(length=30), nullable=True),
    sa.Column('discipline', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('front_line', sa.Boolean(), nullable=False),
    sa.Column('nationality', sa.String(length=20), nullable=False),
    sa.Column('party_member', sa.Boolean(), nullable=True),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('contact_person', sa.String(length=100), nullable=True),
    sa.Column('reverify_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'class_id'], ['member_class.society_id', 'member_class.id'], name=op.f('fk_member_society_id_class_id_member_class')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_member_society_id_society'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_member_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_member')),
    sa.UniqueConstraint('society_id', 'id_number_index', name=op.f('uq_member_society_id_id_number_index')),
    sa.UniqueConstraint('society_id', 'member_number', name=op.f('uq_member_society_id_member_number'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index('ix_member_society_class', ['society_id', 'class_id'], unique=False)
        batch_op.create_index('ix_member_society_join_date', ['society_id', 'join_date'], unique=False)
        batch_op.create_index('ix_member_society_name', ['society_id', 'name'], unique=False)
        batch_op.create_index('ix_member_society_region', ['society_id', 'region'], unique=False)
        batch_op.create_index('ix_member_society_status', ['society_id', 'status', 'class_id'], unique=False, postgresql_include=['front_line', 'birth_date', 'join_date'])
        batch_op.create_index('ix_member_society_user', ['society_id', 'user_id'], unique=False)

    op.create_table('term',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organ_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'organ_id'], ['organ.society_id', 'organ.id'], name=op.f('fk_term_society_id_organ_id_organ'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_term_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_term')),
    sa.UniqueConstraint('society_id', 'organ_id', 'number', name=op.f('uq_term_society_id_organ_id_number'))
    )
    op.create_table('webhook_delivery',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('subscription_id', sa.Uuid(), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('state', sa.Enum('pending', 'delivered', 'failed', name='deliverystate', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('delivered_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'subscription_id'], ['webhook_subscription.society_id', 'webhook_subscription.id'], name=op.f('fk_webhook_delivery_society_id_subscription_id_webhook_subscription'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_webhook_delivery_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_webhook_delivery'))
    )
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_delivery_due', ['society_id', 'state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_webhook_delivery_subscription', ['society_id', 'subscription_id', 'created_at'], unique=False)

    op.create_table('dues_exemption',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('dues_year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('exempt', 'reduced', name='exemptionkind', native_enum=False, length=20), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_dues_exemption_amount_not_negative')),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_dues_exemption_society_id_member_id_member')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_exemption_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_exemption')),
    sa.UniqueConstraint('society_id', 'member_id', 'dues_year', name=op.f('uq_dues_exemption_society_id_member_id_dues_year'))
    )
    op.create_table('dues_invoice',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('class_id', sa.Uuid(), nullable=False),
    sa.Column('dues_year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('paid_fen', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('state', sa.Enum('open', 'partly_paid', 'paid', 'void', 'refunded', name='invoicestate', native_enum=False, length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('grace_until', sa.Date(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('fapiao_title', sa.String(length=200), nullable=True),
    sa.Column('fapiao_tax_number', sa.String(length=30), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_dues_invoice_amount_not_negative')),
    sa.ForeignKeyConstraint(['society_id', 'class_id'], ['member_class.society_id', 'member_class.id'], name=op.f('fk_dues_invoice_society_id_class_id_member_class')),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_dues_invoice_society_id_member_id_member')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_invoice_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_invoice')),
    sa.UniqueConstraint('society_id', 'member_id', 'dues_year', name=op.f('uq_dues_invoice_society_id_member_id_dues_year'))
    )
    with op.batch_alter_table('dues_invoice', schema=None) as batch_op:
        batch_op.create_index('ix_dues_invoice_member', ['society_id', 'member_id'], unique=False)
        batch_op.create_index('ix_dues_invoice_year_society', ['dues_year', 'society_id', 'state'], unique=False, postgresql_include=['amount_fen', 'paid_fen'])
        batch_op.create_index('ix_dues_invoice_year_state', ['society_id', 'dues_year', 'state'], unique=False, postgresql_include=['class_id', 'amount_fen', 'paid_fen'])

    op.create_table('meeting',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organ_id', sa.Uuid(), nullable=False),
    sa.Column('term_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('regular', 'extraordinary', name='meetingkind', native_enum=False, length=20), nullable=False),
    sa.Column('form', sa.Enum('in_person', 'online', 'written', name='meetingform', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('members_count', sa.Integer(), nullable=False),
    sa.Column('present_count', sa.Integer(), nullable=False),
    sa.Column('proxy_count', sa.Integer(), nullable=False),
    sa.Column('minutes_file', sa.String(length=200), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'organ_id'], ['organ.society_id', 'organ.id'], name=op.f('fk_meeting_society_id_organ_id_organ'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id', 'term_id'], ['term.society_id', 'term.id'], name=op.f('fk_meeting_society_id_term_id_term'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_meeting_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_society_organ_held', ['society_id', 'organ_id', 'held_on'], unique=False)

    op.create_table('member_application',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('join', 'upgrade', name='applicationkind', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'under_review', 'more_info', 'approved', 'rejected', name='applicationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('applicant_user_id', sa.Uuid(), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('class_id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('attachments', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('submitted_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_user_id'], ['user_account.id'], name=op.f('fk_member_application_applicant_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['society_id', 'class_id'], ['member_class.society_id', 'member_class.id'], name=op.f('fk_member_application_society_id_class_id_member_class')),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_member_application_society_id_member_id_member')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_member_application_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_member_application'))
    )
    with op.batch_alter_table('member_application', schema=None) as batch_op:
        batch_op.create_index('ix_member_application_status', ['society_id', 'status'], unique=False)
        batch_op.create_index('ix_member_application_user', ['society_id', 'applicant_user_id'], unique=False)

    op.create_table('member_event',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('from_class', sa.String(length=20), nullable=True),
    sa.Column('to_class', sa.String(length=20), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_member_event_society_id_member_id_member')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_member_event_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_member_event')),
    info={'append_only': True}
    )
    with op.batch_alter_table('member_event', schema=None) as batch_op:
        batch_op.create_index('ix_member_event_at', ['society_id', 'at'], unique=False)
        batch_op.create_index('ix_member_event_member', ['society_id', 'member_id', 'at'], unique=False)

    op.create_table('member_request',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'answered', 'closed', name='requeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('replied_by', sa.Uuid(), nullable=True),
    sa.Column('closed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_member_request_society_id_member_id_member')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_member_request_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_member_request'))
    )
    with op.batch_alter_table('member_request', schema=None) as batch_op:
        batch_op.create_index('ix_member_request_member', ['society_id', 'member_id'], unique=False)
        batch_op.create_index('ix_member_request_status', ['society_id', 'status'], unique=False)

    op.create_table('position',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('term_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('president', 'vice_president', 'secretary_general', 'deputy_secretary_general', 'standing_council_member', 'council_member', 'chief_supervisor', 'supervisor', 'branch_chair', 'secretariat_staff', 'delegate', name='positionrole', native_enum=False, length=30), nullable=False),
    sa.Column('holder_name', sa.String(length=60), nullable=False),
    sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False, length=10), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('front_line', sa.Boolean(), nullable=False),
    sa.Column('region', sa.Enum('mainland', 'hk', 'macao', 'taiwan', 'foreign', name='region', native_enum=False, length=10), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=True),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('resigned_at', sa.Date(), nullable=True),
    sa.Column('appointment_decision_ref', sa.String(length=200), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_position_society_id_member_id_member'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id', 'term_id'], ['term.society_id', 'term.id'], name=op.f('fk_position_society_id_term_id_term'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_position_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_position'))
    )
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.create_index('ix_position_society_term', ['society_id', 'term_id'], unique=False)

    op.create_table('renewal',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('term_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('preparing', 'submitted', 'returned', 'approved', 'assembly_held', 'filed', 'postponement_requested', 'postponed', name='renewalstatus', native_enum=False, length=30), nullable=False),
    sa.Column('plan_due_on', sa.Date(), nullable=False),
    sa.Column('plan', sa.Text(), nullable=True),
    sa.Column('candidates', sa.Text(), nullable=True),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('submitted_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('assembly_held_on', sa.Date(), nullable=True),
    sa.Column('results_due_on', sa.Date(), nullable=True),
    sa.Column('results_filed_on', sa.Date(), nullable=True),
    sa.Column('postponement_reason', sa.Text(), nullable=True),
    sa.Column('postponed_until', sa.Date(), nullable=True),
    sa.Column('updated_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'term_id'], ['term.society_id', 'term.id'], name=op.f('fk_renewal_society_id_term_id_term'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_renewal_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_renewal')),
    sa.UniqueConstraint('society_id', 'term_id', name=op.f('uq_renewal_society_id_term_id'))
    )
    op.create_table('renewal_notice',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('term_id', sa.Uuid(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('to_addresses', sa.Text(), nullable=True),
    sa.Column('claimed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'term_id'], ['term.society_id', 'term.id'], name=op.f('fk_renewal_notice_society_id_term_id_term'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_renewal_notice_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_renewal_notice')),
    sa.UniqueConstraint('society_id', 'term_id', 'level', name=op.f('uq_renewal_notice_society_id_term_id_level'))
    )
    op.create_table('decision_entry',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('entry_type', sa.String(length=20), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('corrects_seq', sa.Integer(), nullable=True),
    sa.Column('recorded_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.Uuid(), nullable=True),
    sa.Column('recorded_by_label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('proposer', sa.String(length=200), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('meeting_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.String(length=30), nullable=True),
    sa.Column('meeting_ref', sa.String(length=200), nullable=True),
    sa.Column('meeting_date', sa.Date(), nullable=True),
    sa.Column('members_total', sa.Integer(), nullable=True),
    sa.Column('present', sa.Integer(), nullable=True),
    sa.Column('recused', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_abstain', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=True),
    sa.Column('supervisors', sa.String(length=20), nullable=True),
    sa.Column('party_organisation', sa.Boolean(), nullable=True),
    sa.Column('party_prestudy', sa.Boolean(), nullable=True),
    sa.Column('report_to_association', sa.Boolean(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'meeting_id'], ['meeting.society_id', 'meeting.id'], name=op.f('fk_decision_entry_society_id_meeting_id_meeting'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_decision_entry_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_decision_entry')),
    sa.UniqueConstraint('society_id', 'seq', name=op.f('uq_decision_entry_society_id_seq')),
    info={'append_only': True}
    )
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        batch_op.create_index('ix_decision_entry_society_decision', ['society_id', 'decision_id'], unique=False)

    op.create_table('dues_payment',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('method', sa.Enum('stripe_card', 'alipay', 'wechat_pay', 'bank_transfer', 'cash', 'other', name='paymentmethod', native_enum=False, length=20), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('refunded_fen', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('state', sa.Enum('pending', 'confirmed', 'rejected', 'refunded', 'cancelled', 'duplicate', name='paymentstate', native_enum=False, length=20), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('provider_ref', sa.String(length=255), nullable=True),
    sa.Column('provider_payment_ref', sa.String(length=255), nullable=True),
    sa.Column('voucher', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('confirmed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.Uuid(), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('refund_reason', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_dues_payment_amount_positive')),
    sa.CheckConstraint('refunded_fen >= 0 AND refunded_fen <= amount_fen', name=op.f('ck_dues_payment_refund_within_amount')),
    sa.ForeignKeyConstraint(['society_id', 'invoice_id'], ['dues_invoice.society_id', 'dues_invoice.id'], name=op.f('fk_dues_payment_society_id_invoice_id_dues_invoice')),
    sa.ForeignKeyConstraint(['society_id', 'member_id'], ['member.society_id', 'member.id'], name=op.f('fk_dues_payment_society_id_member_id_member')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_payment_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_payment')),
    sa.UniqueConstraint('society_id', 'provider_payment_ref', name=op.f('uq_dues_payment_society_id_provider_payment_ref')),
    sa.UniqueConstraint('society_id', 'provider_ref', name=op.f('uq_dues_payment_society_id_provider_ref'))
    )
    with op.batch_alter_table('dues_payment', schema=None) as batch_op:
        batch_op.create_index('ix_dues_payment_invoice', ['society_id', 'invoice_id'], unique=False)
        batch_op.create_index('ix_dues_payment_state', ['society_id', 'state'], unique=False)

    op.create_table('dues_reminder_sent',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('claimed_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('to_address', sa.String(length=200), nullable=True),
    sa.Column('sent_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'invoice_id'], ['dues_invoice.society_id', 'dues_invoice.id'], name=op.f('fk_dues_reminder_sent_society_id_invoice_id_dues_invoice')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_reminder_sent_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_reminder_sent')),
    sa.UniqueConstraint('society_id', 'invoice_id', 'kind', name=op.f('uq_dues_reminder_sent_society_id_invoice_id_kind'))
    )
    op.create_table('meeting_attendance',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('position_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('status', sa.Enum('present', 'absent', 'proxy', name='attendancestatus', native_enum=False, length=10), nullable=False),
    sa.Column('proxy_name', sa.String(length=60), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'meeting_id'], ['meeting.society_id', 'meeting.id'], name=op.f('fk_meeting_attendance_society_id_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id', 'position_id'], ['position.society_id', 'position.id'], name=op.f('fk_meeting_attendance_society_id_position_id_position'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_meeting_attendance_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_meeting_attendance'))
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_attendance_society_meeting', ['society_id', 'meeting_id'], unique=False)

    op.create_table('renewal_event',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('renewal_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_label', sa.String(length=200), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'renewal_id'], ['renewal.society_id', 'renewal.id'], name=op.f('fk_renewal_event_society_id_renewal_id_renewal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_renewal_event_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_renewal_event'))
    )
    with op.batch_alter_table('renewal_event', schema=None) as batch_op:
        batch_op.create_index('ix_renewal_event_society_renewal', ['society_id', 'renewal_id'], unique=False)

    op.create_table('sg_assessment',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('position_id', sa.Uuid(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Enum('excellent', 'competent', 'basically_competent', 'incompetent', name='assessmentrating', native_enum=False, length=30), nullable=False),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'meeting_id'], ['meeting.society_id', 'meeting.id'], name=op.f('fk_sg_assessment_society_id_meeting_id_meeting'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id', 'position_id'], ['position.society_id', 'position.id'], name=op.f('fk_sg_assessment_society_id_position_id_position'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_sg_assessment_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_sg_assessment')),
    sa.UniqueConstraint('society_id', 'position_id', 'year', name=op.f('uq_sg_assessment_society_id_position_id_year'))
    )
    op.create_table('dues_receipt',
    sa.Column('society_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id', 'payment_id'], ['dues_payment.society_id', 'dues_payment.id'], name=op.f('fk_dues_receipt_society_id_payment_id_dues_payment')),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_dues_receipt_society_id_society'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('society_id', 'id', name=op.f('pk_dues_receipt')),
    sa.UniqueConstraint('society_id', 'number', name=op.f('uq_dues_receipt_society_id_number')),
    sa.UniqueConstraint('society_id', 'payment_id', name=op.f('uq_dues_receipt_society_id_payment_id')),
    sa.UniqueConstraint('society_id', 'year', 'seq', name=op.f('uq_dues_receipt_society_id_year_seq'))
    )
    from society_saas.core.schema import apply_database_rules
    apply_database_rules(op.get_bind(), app_role)


def downgrade(app_role=None) -> None:
    op.drop_table('dues_receipt')
    op.drop_table('sg_assessment')
    with op.batch_alter_table('renewal_event', schema=None) as batch_op:
        batch_op.drop_index('ix_renewal_event_society_renewal')

    op.drop_table('renewal_event')
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_attendance_society_meeting')

    op.drop_table('meeting_attendance')
    op.drop_table('dues_reminder_sent')
    with op.batch_alter_table('dues_payment', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_payment_state')
        batch_op.drop_index('ix_dues_payment_invoice')

    op.drop_table('dues_payment')
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_entry_society_decision')

    op.drop_table('decision_entry')
    op.drop_table('renewal_notice')
    op.drop_table('renewal')
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_index('ix_position_society_term')

    op.drop_table('position')
    with op.batch_alter_table('member_request', schema=None) as batch_op:
        batch_op.drop_index('ix_member_request_status')
        batch_op.drop_index('ix_member_request_member')

    op.drop_table('member_request')
    with op.batch_alter_table('member_event', schema=None) as batch_op:
        batch_op.drop_index('ix_member_event_member')
        batch_op.drop_index('ix_member_event_at')

    op.drop_table('member_event')
    with op.batch_alter_table('member_application', schema=None) as batch_op:
        batch_op.drop_index('ix_member_application_user')
        batch_op.drop_index('ix_member_application_status')

    op.drop_table('member_application')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_society_organ_held')

    op.drop_table('meeting')
    with op.batch_alter_table('dues_invoice', schema=None) as batch_op:
        batch_op.drop_index('ix_dues_invoice_year_state', postgresql_include=['class_id', 'amount_fen', 'paid_fen'])
        batch_op.drop_index('ix_dues_invoice_year_society', postgresql_include=['amount_fen', 'paid_fen'])
        batch_op.drop_index('ix_dues_invoice_member')

    op.drop_table('dues_invoice')
    op.drop_table('dues_exemption')
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_delivery_subscription')
        batch_op.drop_index('ix_webhook_delivery_due')

    op.drop_table('webhook_delivery')
    op.drop_table('term')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_society_user')
        batch_op.drop_index('ix_member_society_status', postgresql_include=['front_line', 'birth_date', 'join_date'])
        batch_op.drop_index('ix_member_society_region')
        batch_op.drop_index('ix_member_society_name')
        batch_op.drop_index('ix_member_society_join_date')
        batch_op.drop_index('ix_member_society_class')

    op.drop_table('member')
    op.drop_table('dues_schedule')
    op.drop_table('assessment_self_report')
    op.drop_table('assessment_score')
    op.drop_table('webhook_subscription')
    with op.batch_alter_table('watch_action', schema=None) as batch_op:
        batch_op.drop_index('ix_watch_action_society_taken')

    op.drop_table('watch_action')
    with op.batch_alter_table('stripe_event', schema=None) as batch_op:
        batch_op.drop_index('ix_stripe_event_object')

    op.drop_table('stripe_event')
    with op.batch_alter_table('society_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_society_role_user_id'))

    op.drop_table('society_role')
    op.drop_table('reform_task')
    op.drop_table('payment_account')
    op.drop_table('organ')
    op.drop_table('member_number_sequence')
    op.drop_table('member_class')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_user_id'))

    op.drop_table('login_session')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_society_state')

    op.drop_table('job')
    op.drop_table('form_submission')
    op.drop_table('dues_receipt_counter')
    with op.batch_alter_table('decision_checkpoint', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_checkpoint_society_seq')

    op.drop_table('decision_checkpoint')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_society_at')

    op.drop_table('audit_event')
    with op.batch_alter_table('association_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_association_role_user_id'))

    op.drop_table('association_role')
    with op.batch_alter_table('assessment_run', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_run_state')

    op.drop_table('assessment_run')
    op.drop_table('assessment_result')
    op.drop_table('assessment_metric_snapshot')
    op.drop_table('assessment_indicator')
    op.drop_table('assessment_assignment')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_api_token_for_society_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_society_kind_starts')
        batch_op.drop_index('ix_activity_society_filing')

    op.drop_table('activity')
    op.drop_table('user_account')
    op.drop_table('society')
    with op.batch_alter_table('platform_audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_audit_event_object_type'))
        batch_op.drop_index(batch_op.f('ix_platform_audit_event_at'))

    op.drop_table('platform_audit_event')
    op.drop_table('composition_rule')
    op.drop_table('assessment_scheme')
