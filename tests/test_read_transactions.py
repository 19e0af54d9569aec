"""A GET reads without the write lock on SQLite, and writes only after saying so (casework.db
`reading`/`writing`, DESIGN.md §3); PostgreSQL's transactions are left as they were."""

from __future__ import annotations

import secrets
import time

import pytest
from sqlalchemy import event, select, text, update

from casework import create_app
from casework.db import WriteWhileReading, make_engine, make_session_factory, reading, writing
from casework.domain.clock import FixedClock
from casework.domain.roles import Role
from casework.models import SignInSession, Team
from casework.services.accounts import token_digest
from casework.web.access import collect_rules, public
from casework.web.database import write_from_here
from tests.conftest import NOW, make_case, make_team, make_user


def _begins(engine) -> list[str]:
    begun: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_connection, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begun.append(statement)

    return begun


def test_a_reading_session_refuses_writes_until_it_switches_and_then_reads_again(migrated_database):
    engine = migrated_database.engine
    sessions = make_session_factory(engine)
    with sessions() as setup:
        team = make_team(setup, name="Before")
        setup.commit()
    begun = _begins(engine)
    with sessions() as session:
        reading(session)
        loaded = session.get(Team, team.id)
        if migrated_database.kind == "postgresql":  # unchanged: no mode, no refusal
            loaded.name = "Renamed"
            session.commit()
            assert session.get(Team, team.id).name == "Renamed"
            return
        loaded.name = "Renamed"
        with pytest.raises(WriteWhileReading, match="writing\\(session\\)"):
            session.flush()
        session.rollback()
        with pytest.raises(WriteWhileReading):
            session.execute(update(Team).where(Team.id == team.id).values(name="Renamed"))
        session.rollback()

        writing(session)
        session.get(Team, team.id).name = "Renamed"
        session.commit()
        # One write transaction per switch: the next one reads again.
        assert session.scalar(select(Team.name).where(Team.id == team.id)) == "Renamed"
        session.get(Team, team.id).name = "Again"
        with pytest.raises(WriteWhileReading):
            session.flush()
        session.rollback()
    assert begun == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN"]
    with sessions() as check:
        assert check.get(Team, team.id).name == "Renamed"


def _signed_in_app(database):
    """An app on a database of its own, and a navigator signed in to it with one case; seen just now,
    so no page is due to touch the session row."""
    app = create_app(
        {"database_url": database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"},
        clock=FixedClock(NOW),
    )
    token = secrets.token_urlsafe(16)
    with app.extensions["casework.sessions"]() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        case = make_case(setup, team=team, navigator=navigator)
        setup.add(SignInSession(token_hash=token_digest(token), user_id=navigator.id, started_at=NOW, last_seen_at=NOW))
        setup.commit()
        navigator_id, case_id = navigator.id, case.id
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie.update(sid=token, _user_id=str(navigator_id), _fresh=True)
    return app, client, case_id


def test_a_page_answers_while_another_connection_holds_the_write_lock(migrated_database):
    if migrated_database.kind != "sqlite":
        pytest.skip("PostgreSQL readers never wait for a writer")
    app, client, _case_id = _signed_in_app(migrated_database)
    assert client.get("/navigator").status_code == 200  # templates compiled before the timing

    writer = migrated_database.engine.connect()
    writer.begin()  # BEGIN IMMEDIATE: the write lock, held as a long write would hold it
    writer.execute(update(Team).values(name="Being renamed"))
    try:
        started = time.monotonic()
        page = client.get("/navigator")
        waited = time.monotonic() - started
    finally:
        writer.rollback()
        writer.close()
        app.extensions["casework.engine"].dispose()
    # The old BEGIN IMMEDIATE waited out the 5-second busy timeout, then failed ("database is locked").
    assert page.status_code == 200
    assert waited < 4.5


def test_pages_that_only_read_keep_postgresqls_prepared_statements(migrated_database):
    """psycopg prepares a query the fifth time it runs and forgets every prepared statement at a
    ROLLBACK: pages that ended their reads that way were planned afresh on every request."""
    if migrated_database.kind != "postgresql":
        pytest.skip("SQLite's driver keeps its statements whatever ends a transaction")
    app, client, case_id = _signed_in_app(migrated_database)
    engine = app.extensions["casework.engine"]
    try:
        for _ in range(8):
            for path in ("/navigator", "/cases/?tab=team", f"/cases/{case_id}", "/healthz"):
                assert client.get(path).status_code == 200, path
        with engine.connect() as connection:  # the pool's one connection, which served the pages
            assert connection.scalar(text("SELECT count(*) FROM pg_prepared_statements")) > 0
    finally:
        engine.dispose()


def test_a_page_that_changed_something_without_committing_it_is_still_rolled_back(migrated_database):
    app, client, _case_id = _signed_in_app(migrated_database)

    @app.get("/changes-without-saving")
    @public
    def changes_without_saving():
        session = write_from_here()
        session.get(Team, session.scalar(select(Team.id))).name = "Never saved"
        session.flush()
        return "flushed"

    collect_rules(app)
    try:
        assert client.get("/changes-without-saving").status_code == 200
        with app.extensions["casework.sessions"]() as check:
            assert check.scalar(select(Team.name)) != "Never saved"
    finally:
        app.extensions["casework.engine"].dispose()


def test_the_apps_postgresql_connections_never_jit_compile(migrated_database):
    """The reports' year-long grouped queries were costed high enough for PostgreSQL to compile them,
    which took seconds longer than running them (bench/README.md)."""
    if migrated_database.kind != "postgresql":
        pytest.skip("SQLite has no JIT")
    app, client, _case_id = _signed_in_app(migrated_database)
    engine = app.extensions["casework.engine"]
    try:
        assert client.get("/navigator").status_code == 200
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW jit")) == "off"
    finally:
        engine.dispose()


def test_jit_is_switched_off_beside_the_options_the_url_already_sets(migrated_database):
    """An operator's URL may set the application role in `options` (README, two roles): both hold."""
    if migrated_database.kind != "postgresql":
        pytest.skip("SQLite has no JIT")
    engine = make_engine(f"{migrated_database.owner_url}?options=-c%20statement_timeout%3D12345")
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW jit")) == "off"
            assert connection.scalar(text("SHOW statement_timeout")) == "12345ms"
    finally:
        engine.dispose()
