"""The statements that distribute the schema on Citus, sharded by society."""
from society_saas.tenancy.rls import global_tables, tenant_tables


def citus_ddl() -> list[str]:
    """Reference tables for global data, then distributed tables co-located by society_id."""
    import society_saas.models  # noqa: F401

    stmts = ["CREATE EXTENSION IF NOT EXISTS citus;"]
    stmts += [f"SELECT create_reference_table('{t.name}');" for t in global_tables()]
    tenants = tenant_tables()
    if tenants:
        first = tenants[0].name
        stmts.append(f"SELECT create_distributed_table('{first}', 'society_id');")
        stmts += [
            f"SELECT create_distributed_table('{t.name}', 'society_id', colocate_with => '{first}');"
            for t in tenants[1:]
        ]
    return stmts
