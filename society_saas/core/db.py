"""The declarative base, id generation, and the engine/session holder."""
import uuid
from datetime import datetime, timezone

import uuid6
from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, TypeDecorator, create_engine, event, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, scoped_session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """Return a time-ordered UUIDv7 made in the application."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC times")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING)


class GlobalModel(Base):
    """A table shared by all societies (users, the association's schemes); no society_id."""

    __abstract__ = True
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id, sort_order=-10)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Database:
    """Holds the engine and the request-scoped session; bound by init_app."""

    def __init__(self):
        self.engine = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app):
        """Create the engine from DATABASE_URL and bind the session factory to it."""
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.remove()
        self.session.session_factory.configure(bind=self.engine)
        app.teardown_appcontext(self._teardown)

    def _teardown(self, exc):
        # Whatever a request did not commit explicitly is rolled back here.
        self.session.remove()

    @property
    def is_postgres(self) -> bool:
        """True when the bound engine speaks PostgreSQL."""
        return self.engine is not None and self.engine.dialect.name == "postgresql"


def among(column, ids):
    """The condition that `column` (a society_id) is one of `ids`, or no condition when ids is None (every society)."""
    return true() if ids is None else column.in_(list(ids))


def make_engine(url: str):
    """Create an engine; SQLite gets foreign keys enforced and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @event.listens_for(engine, "savepoint")
        def _savepoint_inside_a_transaction(conn, _name):
            # pysqlite opens a transaction only before INSERT/UPDATE/DELETE. A SAVEPOINT issued first
            # would itself be the outermost transaction and its RELEASE would COMMIT: a nested block at
            # the start of a unit of work (a Stripe event's record, a form token) would be committed
            # alone, and lost work after it (a crash) could not roll it back.
            dbapi_conn = conn.connection.dbapi_connection
            if not dbapi_conn.in_transaction:
                dbapi_conn.execute("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


class TenantScoped(Base):
    """A table owned by one society: primary key (society_id, id), scoped by tenancy/scoping.py."""

    __abstract__ = True

    @declared_attr
    def society_id(cls) -> Mapped[uuid.UUID]:
        # sort_order puts society_id first, so the primary key index serves per-society scans.
        return mapped_column(ForeignKey("society.id", ondelete="RESTRICT"), primary_key=True, sort_order=-20)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id, sort_order=-10)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def json_type():
    """JSON on SQLite, JSONB on PostgreSQL."""
    return JSON().with_variant(JSONB(), "postgresql")
