"""one member record per account in a society, kept by the database

The applications and create_member already refuse a second record for an account; this makes it a unique
index on member (society_id, user_id) (NULLs are distinct, so records without an account are not
concerned). Ledgers that got a second record before that rule keep the record the portal showed (a current
one first, then the oldest) linked; the others lose the link, and each unlinking is written to the
society's audit log (action account_unlinked, the account in `before`), which the downgrade reads to link
them again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 16:00:00
"""
import json
import uuid

import sqlalchemy as sa
from alembic import op

from society_saas.core.db import UTCDateTime, json_type, new_id, utcnow
from society_saas.tenancy.rls import each_society

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

REASON = "one record per account (migration 0005)"
# the portal's choice (records.record_of_account): a current record first, then the oldest
LATER_RECORDS = sa.text(
    "SELECT id, user_id FROM (SELECT id, user_id, row_number() OVER (PARTITION BY user_id ORDER BY "
    "CASE WHEN status IN ('active', 'grace') THEN 0 ELSE 1 END, created_at, id) AS k FROM member "
    "WHERE society_id = :s AND user_id IS NOT NULL) ranked WHERE k > 1")
AUDIT = sa.text(
    "INSERT INTO audit_event (society_id, id, created_at, at, actor_label, action, object_type, object_id, "
    "before, after) VALUES (:s, :id, :at, :at, 'system', 'account_unlinked', 'Member', :member, :before, :after)"
).bindparams(sa.bindparam("at", type_=UTCDateTime()), sa.bindparam("before", type_=json_type()),
              sa.bindparam("after", type_=json_type()))


def upgrade(app_role=None) -> None:
    connection = op.get_bind()
    for society_id in each_society(connection):
        for member_id, user_id in connection.execute(LATER_RECORDS, {"s": society_id}).all():
            connection.execute(sa.text("UPDATE member SET user_id = NULL WHERE society_id = :s AND id = :m"),
                               {"s": society_id, "m": member_id})
            # ids as read back: UUIDs on PostgreSQL, 32 hex digits on SQLite (which PostgreSQL reads too)
            connection.execute(AUDIT, {"s": society_id, "id": new_id().hex, "at": utcnow(),
                                       "member": str(uuid.UUID(str(member_id))),
                                       "before": {"user_id": str(uuid.UUID(str(user_id)))},
                                       "after": {"user_id": None, "reason": REASON}})
    op.drop_index('ix_member_society_user', table_name='member')
    op.create_index('uq_member_society_user', 'member', ['society_id', 'user_id'], unique=True)


def downgrade(app_role=None) -> None:
    op.drop_index('uq_member_society_user', table_name='member')
    op.create_index('ix_member_society_user', 'member', ['society_id', 'user_id'])
    connection = op.get_bind()
    for society_id in each_society(connection):
        unlinked = connection.execute(sa.text(
            "SELECT object_id, before FROM audit_event WHERE society_id = :s AND action = 'account_unlinked'"),
            {"s": society_id}).all()
        for member_id, before in unlinked:
            before = json.loads(before) if isinstance(before, str) else before
            connection.execute(sa.text("UPDATE member SET user_id = :u WHERE society_id = :s AND id = :m"),
                               {"u": uuid.UUID(before["user_id"]).hex, "s": society_id, "m": uuid.UUID(member_id).hex})
