"""Run the Alembic migrations as the owner role and grant the application's role its rights."""
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(app_url: str, owner_url: str | None) -> AlembicConfig:
    """An Alembic config for the app's database; the owner URL builds the schema when given."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(slug)s")
    cfg.set_main_option("sqlalchemy.url", (owner_url or app_url).replace("%", "%%"))
    cfg.attributes["owner_url"] = owner_url or app_url
    cfg.attributes["app_role"] = app_role(app_url, owner_url)
    return cfg


def app_role(app_url: str, owner_url: str | None) -> str | None:
    """The application's PostgreSQL role when it differs from the owner, else None."""
    if not owner_url or not app_url.startswith("postgresql"):
        return None
    app_user, owner_user = make_url(app_url).username, make_url(owner_url).username
    return app_user if app_user and app_user != owner_user else None


def upgrade(app_url: str, owner_url: str | None = None, revision: str = "head") -> None:
    """Bring the database schema up to a revision."""
    command.upgrade(alembic_config(app_url, owner_url), revision)
