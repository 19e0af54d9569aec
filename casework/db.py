"""Engine and session set-up for SQLite (embedded default) and PostgreSQL (production).

SQLite: the stock driver does not emit BEGIN before reads, so concurrent read-then-write
requests lose updates; work that writes takes the write lock up front with BEGIN IMMEDIATE
(DESIGN.md §3). A session marked `reading` (a GET page) begins with a plain BEGIN instead: under WAL
it reads beside a writer and takes no lock, so pages never queue behind each other. It may not
write until `writing(session)` says so; a write before that raises WriteWhileReading.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import URL, Connection, Engine, TextClause, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

# Session.info keys, and the execution option a reading session's connections carry.
_READING = "casework.reading"
_BINDS = "casework.binds"  # (reading, writing)
_WRITE_ONCE = "casework.write_once"
_DEFERRED = "casework_deferred_begin"


class WriteWhileReading(RuntimeError):
    """A programming error: a read transaction tried to write without `writing(session)` first."""


def make_engine(url: str, **kwargs) -> Engine:
    """hide_parameters: a failed statement's error names the statement, never the values bound to
    it (a case note, a name), so no log or error page can carry them."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"isolation_level": None, "timeout": 5}, hide_parameters=True, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(_without_jit(url), pool_pre_ping=True, hide_parameters=True, **kwargs)
    _note_writes(engine)
    return engine


def _without_jit(url: str) -> URL:
    """JIT off: the reports' grouped queries over a year of a force's cases are costed high enough to
    be compiled, and compiling took seconds longer than running them (bench/README.md); no page's
    query runs long enough to repay it. Added to the URL's own `options` (which may already set the
    application role, as the README's two-role set-up does), so it costs no statement."""
    parsed = make_url(url)
    options = " ".join(part for part in (parsed.query.get("options"), "-c jit=off") if part)
    return parsed.update_query_dict({"options": options})


_WROTE = "casework.wrote"


def _note_writes(engine: Engine) -> None:
    """Marks a connection's transaction as having sent anything but a SELECT, for `close`."""

    @event.listens_for(engine, "begin")
    def _fresh(connection):
        connection.info.pop(_WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection, _cursor, statement, *_):
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info[_WROTE] = True


def close(session: Session, *, failed: bool = False) -> None:
    """Close a request's session, rolling back what it did not commit. A PostgreSQL transaction that
    only read is committed instead: psycopg forgets its prepared statements at every ROLLBACK, so
    ending each page's reads that way made PostgreSQL plan every query of the next page afresh
    (several milliseconds for a case page; bench/README.md)."""
    if not failed and session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        connection = session.connection()
        if not connection.info.get(_WROTE) and not (session.new or session.dirty or session.deleted):
            with contextlib.suppress(SQLAlchemyError):  # close() then rolls back
                session.commit()
    session.close()


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
        deferred = connection.get_execution_options().get(_DEFERRED, False)
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def reading(session: Session) -> None:
    """On SQLite, this session's transactions read without the write lock, apart from the one
    transaction after each `writing(session)`. PostgreSQL takes no lock to read and is left as it is."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    session.info[_READING] = True
    if isinstance(bind, Engine):  # the tests bind a session to a connection already in a transaction
        session.info[_BINDS] = (bind.execution_options(**{_DEFERRED: True}), bind)
        session.bind = session.info[_BINDS][0]


def writing(session: Session) -> None:
    """The session's next transaction may write: call it before the first change. On SQLite a read
    transaction is ended here (it holds no lock and changed nothing) and the next begins IMMEDIATE;
    once that one commits or rolls back, the session reads again. Rows read before this call may have
    changed since, so a write must not rest on them unchecked (a guarded UPDATE, a unique key)."""
    if not session.info.get(_READING):
        return
    if session.in_transaction():
        session.commit()  # with nothing to flush; anything changed before this call raises here
    session.info[_READING] = False
    session.info[_WRITE_ONCE] = True
    if _BINDS in session.info:
        session.bind = session.info[_BINDS][1]


@event.listens_for(Session, "after_transaction_end")
def _read_again(session: Session, transaction) -> None:
    if transaction.parent is None and session.info.pop(_WRITE_ONCE, False):
        session.info[_READING] = True
        if _BINDS in session.info:
            session.bind = session.info[_BINDS][0]


def _refuse(what: str) -> None:
    raise WriteWhileReading(
        f"{what} in a read transaction: call casework.db.writing(session) before the first change "
        "(a GET reads without the write lock on SQLite, DESIGN.md §3)"
    )


@event.listens_for(Session, "before_flush")
def _no_flush_while_reading(session: Session, _context, _instances) -> None:
    if session.info.get(_READING) and (
        session.new or session.deleted or any(session.is_modified(row) for row in session.dirty)
    ):
        _refuse("A flush")


@event.listens_for(Session, "do_orm_execute")
def _no_statement_writes_while_reading(state: ORMExecuteState) -> None:
    if not state.session.info.get(_READING):
        return
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        _refuse(f"A statement that writes ({type(statement).__name__.upper()})")
    if isinstance(statement, TextClause) and statement.text.lstrip().split(None, 1)[0].upper() in _WRITES:
        _refuse("A written statement")


_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def dialect_insert(bind: Session | Connection | Engine):
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING / DO UPDATE on SQLite and PostgreSQL."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    return postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
