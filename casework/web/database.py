"""One database session per request, committed only by the view that changes something."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from casework import planner_statistics
from casework.config import Settings
from casework.db import close, make_engine, make_session_factory, reading, writing
from casework.migrate import upgrade


def init_app(app: Flask, settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    app.extensions["casework.engine"] = engine
    app.extensions["casework.sessions"] = make_session_factory(engine)
    # Kept so that `db-upgrade`, run on a fresh database, can say what start-up already applied.
    app.extensions["casework.migrated_on_start"] = upgrade(engine) if settings.migrate_on_start else []
    planner_statistics.refresh_if_stale(engine)
    app.teardown_appcontext(_close_session)


def db() -> Session:
    """This request's session. A GET or HEAD only reads (on SQLite, without the write lock, so pages
    run side by side across workers); what such a request must write goes after `write_from_here()`."""
    if "db_session" not in g:
        session = current_app.extensions["casework.sessions"]()
        if has_request_context() and request.method in ("GET", "HEAD"):
            reading(session)
        g.db_session = session
    return g.db_session


def write_from_here() -> Session:
    """This request's session, its next transaction allowed to write (casework.db.writing): call it
    just before the write, which then commits or rolls back as usual; after that the session reads again."""
    session = db()
    writing(session)
    return session


def _close_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        close(session, failed=exc is not None)  # rolls back anything a view did not commit
