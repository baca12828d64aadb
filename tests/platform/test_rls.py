"""PostgreSQL row-level security, checked as the application's role with raw SQL."""
import pytest
from sqlalchemy import create_engine, text

from society_saas.tenancy.rls import tenant_tables
from tests.factories import two_societies

pytestmark = pytest.mark.postgres


def _as_app(db_backend):
    return create_engine(db_backend["app_url"])


def test_app_role_is_not_owner_and_cannot_bypass(db_backend):
    engine = _as_app(db_backend)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        assert row == (False, False)
        owners = set(conn.scalars(text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
        assert conn.scalar(text("SELECT current_user")) not in owners
    engine.dispose()


def test_every_tenant_table_has_forced_rls_and_policies(db_backend):
    engine = _as_app(db_backend)
    with engine.connect() as conn:
        for table in tenant_tables():
            enabled, forced = conn.execute(
                text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table.name}).one()
            assert enabled and forced, table.name
            policies = set(conn.scalars(text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table.name}))
            assert {"tenant_isolation", "cross_society_read"} <= policies, table.name
    engine.dispose()


def test_raw_sql_as_app_role_sees_and_touches_only_the_set_society(session, db_backend):
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    user_a = data["a"][1]["member"]
    engine = _as_app(db_backend)
    with engine.begin() as conn:
        # no society set: nothing at all
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 0
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(a.id)})
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 3
        assert set(conn.scalars(text("SELECT DISTINCT society_id FROM society_role"))) == {a.id}
        # B's rows can be neither updated nor deleted
        assert conn.execute(text("UPDATE society_role SET role = 'supervisor' WHERE society_id = :b"), {"b": b.id}).rowcount == 0
        assert conn.execute(text("DELETE FROM society_role WHERE society_id = :b"), {"b": b.id}).rowcount == 0
        # writing a row for A works; a row for B is refused by the policy
        conn.execute(text("INSERT INTO society_role (society_id, id, user_id, role, created_at) "
                          "VALUES (:a, gen_random_uuid(), :u, 'council_member', now())"), {"a": a.id, "u": user_a.id})
    with pytest.raises(Exception, match="row-level security"):
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(a.id)})
            conn.execute(text("INSERT INTO society_role (society_id, id, user_id, role, created_at) "
                              "VALUES (:b, gen_random_uuid(), :u, 'council_member', now())"), {"b": b.id, "u": user_a.id})
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(b.id)})
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 3
    engine.dispose()


def test_cross_society_setting_is_read_only(session, db_backend):
    data = two_societies()
    engine = _as_app(db_backend)
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.cross_society', 'on', true)"))
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 6
        assert conn.execute(text("UPDATE society_role SET role = 'supervisor'")).rowcount == 0
        assert conn.execute(text("DELETE FROM society_role")).rowcount == 0
    engine.dispose()
    assert data
