"""Running a block of a test against the schema of an earlier migration."""
from contextlib import contextmanager

from alembic import command

from society_saas.core.migrate import alembic_config
from society_saas.extensions import db


@contextmanager
def downgraded_to(app, revision: str):
    """The test database migrated down to `revision` for the block, and back up to head after it."""
    db.session.remove()
    db.engine.dispose()  # the migration's DDL must not wait for a connection the test holds
    cfg = alembic_config(app.config["DATABASE_URL"], app.config.get("DATABASE_OWNER_URL"))
    command.downgrade(cfg, revision)
    try:
        with app.app_context():
            yield
        db.session.remove()
        db.engine.dispose()
    finally:
        command.upgrade(cfg, "head")
