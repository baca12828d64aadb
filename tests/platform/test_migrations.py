"""The migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import society_saas.models  # noqa: F401
from society_saas.core.db import Base


def test_migrated_schema_matches_the_models(app):
    url = app.config.get("DATABASE_OWNER_URL") or app.config["DATABASE_URL"]
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; regenerate or add a revision: {diff}"
