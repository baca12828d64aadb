"""The schema follows Citus's rules for sharding by society, and the DDL command prints them."""
from click.testing import CliRunner

import society_saas.models  # noqa: F401
from society_saas.cli import main
from society_saas.core.db import Base, TenantScoped
from society_saas.tenancy.rls import global_tables, tenant_tables


def test_every_tenant_model_is_a_tenant_table():
    tenant_names = {t.name for t in tenant_tables()}
    for mapper in Base.registry.mappers:
        if issubclass(mapper.class_, TenantScoped):
            assert mapper.local_table.name in tenant_names


def test_tenant_tables_follow_the_citus_rules():
    tenant_names = {t.name for t in tenant_tables()}
    assert tenant_names, "there must be tenant tables"
    for table in tenant_tables():
        pk = [c.name for c in table.primary_key.columns]
        assert pk[0] == "society_id" and "id" in pk, table.name
        assert not table.c.society_id.nullable
        for constraint in table.constraints:
            if constraint.__class__.__name__ == "UniqueConstraint":
                assert "society_id" in constraint.columns, f"{table.name}: {constraint.name}"
        for index in table.indexes:
            if index.unique:
                assert "society_id" in index.columns, f"{table.name}: {index.name}"
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name in tenant_names:
                local = [c.name for c in fk.columns]
                remote = [e.column.name for e in fk.elements]
                assert "society_id" in local and local[remote.index("society_id")] == "society_id", \
                    f"{table.name}: {fk.name} must be composite with society_id"


def test_global_tables_have_no_society_id_key():
    for table in global_tables():
        assert "society_id" not in table.c, f"{table.name} looks like a tenant table but is not keyed by society"


def test_citus_ddl_command_prints_distribution():
    result = CliRunner().invoke(main, ["citus-ddl"])
    assert result.exit_code == 0, result.output
    for table in tenant_tables():
        assert f"create_distributed_table('{table.name}', 'society_id'" in result.output
    for table in global_tables():
        assert f"create_reference_table('{table.name}')" in result.output
