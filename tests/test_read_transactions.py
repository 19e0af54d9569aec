"""A GET reads without the write lock on SQLite, and writes only after saying so (casework.db
`reading`/`writing`, DESIGN.md §3); PostgreSQL's transactions are left as they were."""

from __future__ import annotations

import secrets
import time

import pytest
from sqlalchemy import event, select, update

from casework import create_app
from casework.db import WriteWhileReading, make_session_factory, reading, writing
from casework.domain.clock import FixedClock
from casework.domain.roles import Role
from casework.models import SignInSession, Team
from casework.services.accounts import token_digest
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


def test_a_page_answers_while_another_connection_holds_the_write_lock(migrated_database):
    if migrated_database.kind != "sqlite":
        pytest.skip("PostgreSQL readers never wait for a writer")
    app = create_app(
        {"database_url": migrated_database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "k"},
        clock=FixedClock(NOW),
    )
    token = secrets.token_urlsafe(16)
    with app.extensions["casework.sessions"]() as setup:
        team = make_team(setup)
        navigator = make_user(setup, roles=[Role.NAVIGATOR], team=team, passphrase=None)
        make_case(setup, team=team, navigator=navigator)
        # Seen just now, so the page is not due to touch the session row.
        setup.add(SignInSession(token_hash=token_digest(token), user_id=navigator.id, started_at=NOW, last_seen_at=NOW))
        setup.commit()
        navigator_id = navigator.id
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie.update(sid=token, _user_id=str(navigator_id), _fresh=True)

    assert client.get("/navigator").status_code == 200  # templates compiled before the timing

    writer = migrated_database.engine.connect()
    writer.begin()  # BEGIN IMMEDIATE: the write lock, held as a long write would hold it
    writer.execute(update(Team).where(Team.id == team.id).values(name="Being renamed"))
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
