"""Engine and session set-up for SQLite (embedded default) and PostgreSQL (production).

SQLite: the stock driver does not emit BEGIN before reads, so concurrent read-then-write
requests lose updates; we take the write lock up front with BEGIN IMMEDIATE (DESIGN.md §3).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs) -> Engine:
    """hide_parameters: a failed statement's error names the statement, never the values bound to
    it (a case note, a name), so no log or error page can carry them."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"isolation_level": None, "timeout": 5}, hide_parameters=True, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def dialect_insert(bind: Session | Connection | Engine):
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING / DO UPDATE on SQLite and PostgreSQL."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    return postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
