"""The ORM scoping: every query sees only the current society's rows, and fails closed."""
import pytest
from sqlalchemy import func, select

from society_saas.accounts.models import SocietyRole
from society_saas.tenancy.context import cross_society, society_context
from society_saas.tenancy.scoping import TenancyError
from tests.factories import two_societies


def test_query_without_society_fails_closed(session):
    two_societies()
    with pytest.raises(TenancyError):
        session.scalars(select(SocietyRole)).all()


def test_each_society_sees_only_its_rows(session):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    with society_context(a.id):
        rows = session.scalars(select(SocietyRole)).all()
        assert {r.society_id for r in rows} == {a.id}
        assert session.scalar(select(func.count()).select_from(SocietyRole)) == 3
        # a primary-key lookup of B's row from A's context finds nothing
        b_row_id = None
    with society_context(b.id):
        b_row_id = session.scalars(select(SocietyRole.id)).first()
    session.expunge_all()
    with society_context(a.id):
        assert session.get(SocietyRole, (b.id, b_row_id)) is None


def test_cross_society_context_reads_all_and_writes_nothing(session):
    data = two_societies()
    with cross_society():
        assert session.scalar(select(func.count()).select_from(SocietyRole)) == 6
        role = session.scalars(select(SocietyRole)).first()
        role.role = role.role  # no change: allowed
        session.add(SocietyRole(society_id=data["a"][0].id, user_id=data["a"][1]["sec"].id, role="council_member"))
        with pytest.raises(TenancyError):
            session.flush()
    session.rollback()


def test_new_rows_take_the_current_society_and_mismatch_raises(session):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    user = data["a"][1]["member"]
    with society_context(a.id):
        row = SocietyRole(user_id=user.id, role="council_member")
        session.add(row)
        session.flush()
        assert row.society_id == a.id
        session.add(SocietyRole(society_id=b.id, user_id=user.id, role="supervisor"))
        with pytest.raises(TenancyError):
            session.flush()
    session.rollback()


def test_bulk_update_is_scoped(session):
    from sqlalchemy import update

    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    with society_context(a.id):
        session.execute(update(SocietyRole).values(role="supervisor"))
        session.commit()
    with society_context(b.id):
        assert "supervisor" not in {r.role.value for r in session.scalars(select(SocietyRole))}
