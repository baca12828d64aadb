"""Alembic environment: runs as the database owner and applies RLS, grants and triggers."""
from alembic import context
from sqlalchemy import create_engine, pool

import society_saas.models  # noqa: F401
from society_saas.core.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.attributes.get("owner_url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations(app_role=config.attributes.get("app_role"))
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations(app_role=None)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
