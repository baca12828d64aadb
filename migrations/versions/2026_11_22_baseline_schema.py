"""baseline schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 07:55:29.274199
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
        batch_op.create_index('ix_member_society_name', ['society_id', 'name'], unique=False)
        batch_op.create_index('ix_member_society_status', ['society_id', 'status'], unique=False)
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
    op.create_table('api_token',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('society_id', sa.Uuid(), nullable=True),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('expires_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', society_saas.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], name=op.f('fk_api_token_society_id_society'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_society_id'), ['society_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    from society_saas.core.schema import apply_database_rules
    apply_database_rules(op.get_bind(), app_role)


def downgrade(app_role=None) -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_api_token_society_id'))

    op.drop_table('api_token')
    op.drop_table('sg_assessment')
    with op.batch_alter_table('renewal_event', schema=None) as batch_op:
        batch_op.drop_index('ix_renewal_event_society_renewal')

    op.drop_table('renewal_event')
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_attendance_society_meeting')

    op.drop_table('meeting_attendance')
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_entry_society_decision')

    op.drop_table('decision_entry')
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

    op.drop_table('member_event')
    with op.batch_alter_table('member_application', schema=None) as batch_op:
        batch_op.drop_index('ix_member_application_user')
        batch_op.drop_index('ix_member_application_status')

    op.drop_table('member_application')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_society_organ_held')

    op.drop_table('meeting')
    op.drop_table('term')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_society_user')
        batch_op.drop_index('ix_member_society_status')
        batch_op.drop_index('ix_member_society_name')
        batch_op.drop_index('ix_member_society_class')

    op.drop_table('member')
    with op.batch_alter_table('society_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_society_role_user_id'))

    op.drop_table('society_role')
    op.drop_table('organ')
    op.drop_table('member_number_sequence')
    op.drop_table('member_class')
    with op.batch_alter_table('decision_checkpoint', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_checkpoint_society_seq')

    op.drop_table('decision_checkpoint')
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
    op.drop_table('composition_rule')
