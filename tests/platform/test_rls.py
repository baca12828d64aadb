"""PostgreSQL row-level security, checked as the application's role with raw SQL."""
import pytest
from sqlalchemy import create_engine, text

from society_saas.tenancy.rls import CrossRoleMissing, check_cross_role, cross_role, cross_role_setup_sql, tenant_tables
from tests.conftest import APP_ROLE, OWNER_ROLE
from tests.factories import two_societies

pytestmark = pytest.mark.postgres


def _as_app(db_backend):
    return create_engine(db_backend["app_url"])


def test_app_role_is_not_owner_and_cannot_bypass(db_backend):
    engine = _as_app(db_backend)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = current_user")).one()
        assert row == (False, False, False)
        reader = conn.execute(text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = :r"),
                              {"r": cross_role(APP_ROLE)}).one()
        assert reader == (False, False, False)
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


def test_cross_society_reads_need_the_reader_role_and_stay_read_only(session, db_backend):
    data = two_societies()
    engine = _as_app(db_backend)
    with engine.begin() as conn:
        # the app role itself reads no society without one set: the read-all policy is the reader role's,
        # which the app role does not inherit
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 0
        conn.execute(text("SELECT set_config('role', :r, true)"), {"r": cross_role(APP_ROLE)})
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 6
        assert conn.execute(text("UPDATE society_role SET role = 'supervisor'")).rowcount == 0
        assert conn.execute(text("DELETE FROM society_role")).rowcount == 0
    with engine.begin() as conn:
        # the switch lasts one transaction
        assert conn.scalar(text("SELECT current_user")) == APP_ROLE
        assert conn.scalar(text("SELECT count(*) FROM society_role")) == 0
    a = data["a"][0]
    with pytest.raises(Exception, match="row-level security"):
        with engine.begin() as conn:
            # the reader role writes no tenant row, not even with a society set
            conn.execute(text("SELECT set_config('app.society_id', :s, true), set_config('role', :r, true)"),
                         {"s": str(a.id), "r": cross_role(APP_ROLE)})
            conn.execute(text("INSERT INTO society_role (society_id, id, user_id, role, created_at) "
                              "VALUES (:a, gen_random_uuid(), :u, 'council_member', now())"),
                         {"a": a.id, "u": data["a"][1]["member"].id})
    engine.dispose()


def test_tenant_queries_pay_no_per_row_policy_check(session, db_backend):
    """The app role sees the tenant policy alone, which the planner checks once against the query's own
    society (a one-time filter), not row by row; a cross arm it could see would be a per-row OR."""
    society = two_societies()["a"][0]
    engine = _as_app(db_backend)
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(society.id)})
        plan = "\n".join(conn.scalars(text("EXPLAIN SELECT count(*) FROM member WHERE society_id = :s"),
                                       {"s": society.id}))
        conn.execute(text("SELECT set_config('role', :r, true)"), {"r": cross_role(APP_ROLE)})
        across = "\n".join(conn.scalars(text("EXPLAIN SELECT count(*) FROM member")))
    engine.dispose()
    assert "One-Time Filter" in plan and "Filter: ((society_id" not in plan, plan
    assert "Filter" not in across, across  # the reader role's reads carry no policy check at all


TENANT_POLICY = "(society_id = (NULLIF(current_setting('app.society_id'::text, true), ''::text))::uuid)"
CROSS_POLICY = "true"


def test_catalog_every_table_with_society_id_is_walled(db_backend):
    """From the database's own catalog, not the models: any table holding society_id has RLS forced and
    exactly the two policies (no extra permissive one that would open it), with the right expressions."""
    engine = _as_app(db_backend)
    with engine.connect() as conn:
        tables = set(conn.scalars(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'society_id' AND NOT a.attisdropped "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")))
        assert tables == {t.name for t in tenant_tables()}
        for table in sorted(tables):
            enabled, forced = conn.execute(text(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}).one()
            assert enabled and forced, table
            policies = {row[0]: row[1:] for row in conn.execute(text(
                "SELECT polname, polcmd, polpermissive, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid), "
                "ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END FROM unnest(polroles) r) "
                "FROM pg_policy WHERE polrelid = CAST(:t AS regclass)"), {"t": table})}
            policies["tenant_isolation"][-1].sort()
            assert policies == {"tenant_isolation": ("*", True, TENANT_POLICY, TENANT_POLICY, sorted([APP_ROLE, OWNER_ROLE])),
                                "cross_society_read": ("r", True, CROSS_POLICY, None, [cross_role(APP_ROLE)])}, table
    engine.dispose()


def _fill(society):
    """Rows of a society in as many tenant tables as the areas' builders reach."""
    from society_saas.extensions import db
    from society_saas.tenancy.context import society_context
    from tests.decisions.helpers import record
    from tests.dues.helpers import dues_fixture
    from tests.governance.helpers import governance_fixture
    from tests.members.helpers import member_fixture

    member_fixture(society)
    dues_fixture(society)
    governance_fixture(society)
    with society_context(society.id):
        record(society)
        db.session.commit()


def test_every_tenant_table_hides_and_protects_the_other_society(session, db_backend):
    """As the application's role with A set: no row of B is seen, updated or deleted, in any tenant table."""
    data = two_societies()
    a, b = data["a"][0], data["b"][0]
    for society in (a, b):
        _fill(society)
    with db_backend["superuser"].connect() as conn:
        counts = {t.name: dict(conn.execute(text(f'SELECT society_id, count(*) FROM "{t.name}" GROUP BY society_id')).all())
                  for t in tenant_tables()}
    with_b = [name for name, per in counts.items() if per.get(b.id)]
    assert len(with_b) >= 15, with_b  # the check below is about real rows of B, not empty tables
    engine = _as_app(db_backend)
    for table in tenant_tables():
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.society_id', :s, true)"), {"s": str(a.id)})
            seen = dict(conn.execute(text(f'SELECT society_id, count(*) FROM "{table.name}" GROUP BY society_id')).all())
            assert seen == {k: v for k, v in counts[table.name].items() if k == a.id}, table.name
            if table.info.get("append_only"):
                continue  # no UPDATE or DELETE grant at all (test_decisions covers the refusal)
            where = {"b": b.id}
            assert conn.execute(text(f'UPDATE "{table.name}" SET society_id = society_id WHERE society_id = :b'), where).rowcount == 0
            assert conn.execute(text(f'DELETE FROM "{table.name}" WHERE society_id = :b'), where).rowcount == 0
            # and a row of A cannot be moved into B
            if counts[table.name].get(a.id):
                with pytest.raises(Exception, match="row-level security"):
                    with conn.begin_nested():
                        conn.execute(text(f'UPDATE "{table.name}" SET society_id = :b WHERE society_id = :a'),
                                     {"a": a.id, "b": b.id})
    engine.dispose()


def test_migrating_without_the_reader_role_says_how_to_make_it(db_backend):
    with db_backend["superuser"].connect() as conn:
        with pytest.raises(CrossRoleMissing, match="CREATE ROLE \"nobody_here_cross\" NOLOGIN NOBYPASSRLS"):
            check_cross_role(conn, "nobody_here")
        check_cross_role(conn, APP_ROLE)
        # a login role that inherits its reader role would carry the cross policy on every query
        for role in ("society_test_inheriting", cross_role("society_test_inheriting")):
            if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
                conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN INHERIT'))
        conn.execute(text(f'GRANT "{cross_role("society_test_inheriting")}" TO society_test_inheriting'))
        with pytest.raises(CrossRoleMissing, match="ALTER ROLE \"society_test_inheriting\" NOINHERIT"):
            check_cross_role(conn, "society_test_inheriting")
        conn.rollback()


def test_db_upgrade_without_the_reader_role_stops_with_the_statements_and_builds_nothing(db_backend, monkeypatch):
    from click.testing import CliRunner
    from sqlalchemy.engine import make_url

    from society_saas.cli import main
    from tests.conftest import OWNER_ROLE, PG_ADMIN_URL

    dbname, login_role = f"{make_url(db_backend['app_url']).database}_noreader", "society_test_app_noreader"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login_role}):
                conn.execute(text(f"CREATE ROLE {login_role} LOGIN NOBYPASSRLS NOINHERIT"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{dbname}" OWNER {OWNER_ROLE}'))
        url = make_url(db_backend["app_url"]).set(database=dbname)
        monkeypatch.setenv("DATABASE_URL", url.set(username=login_role).render_as_string(hide_password=False))
        monkeypatch.setenv("DATABASE_OWNER_URL", url.set(username=OWNER_ROLE).render_as_string(hide_password=False))
        result = CliRunner().invoke(main, ["db", "upgrade"])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert cross_role_setup_sql(login_role) in " ".join(result.output.split())
        probe = create_engine(make_url(PG_ADMIN_URL).set(database=dbname))
        with probe.connect() as conn:  # one transaction: the tables went with the refusal
            assert conn.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) == 0
        probe.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()
