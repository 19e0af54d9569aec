"""Real concurrent requests for the races two people, or one double click, can start.

The usual `client` fixture shares one rolled-back connection between the test and every request,
so nothing it does can race. Here the app runs on a fresh, migrated database: each request has its
own session and connection, and each commit is real. Every wait has a timeout, so a race that
deadlocks fails its test instead of hanging the suite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from casework import create_app
from casework.db import make_engine, make_session_factory
from casework.domain.clock import FixedClock
from casework.migrate import upgrade
from casework.models import AuditEvent, User
from tests.conftest import NOW, ThrowawayDatabase, backend, sign_in_quickly

WAIT = 30  # seconds any one racing request may take before its test fails


class RaceTrack:
    """The app on its own database, with real commits, at the tests' fixed instant."""

    def __init__(self, database: ThrowawayDatabase) -> None:
        upgrade(database.engine)
        self.sessions = make_session_factory(database.engine)
        self.app = create_app(
            {"database_url": database.url, "migrate_on_start": False, "secure_cookies": False, "secret_key": "race"},
            clock=FixedClock(NOW),
        )
        # A connection for every racing request (the default pool of 15 would queue the twentieth).
        self.engine = make_engine(database.url, pool_size=25)
        self.app.extensions["casework.engine"].dispose()
        self.app.extensions["casework.engine"] = self.engine
        self.app.extensions["casework.sessions"] = make_session_factory(self.engine)

    def signed_in(self, user: User) -> FlaskClient:
        """A browser of its own, signed in as `user`."""
        client = self.app.test_client()
        with self.sessions() as session:
            sign_in_quickly(client, session, user)
        return client

    def same_browser(self, client: FlaskClient) -> FlaskClient:
        """A second client carrying the first one's session cookie: one person clicking twice."""
        twin = self.app.test_client()
        cookie = client.get_cookie("casework_session")
        twin.set_cookie("casework_session", cookie.value, domain=cookie.domain or "localhost")
        return twin

    def count(self, model, *criteria) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(model).where(*criteria))

    def only(self, column, *criteria):
        """The one value there must be, e.g. the id of the one record a form made."""
        with self.sessions() as session:
            return session.execute(select(column).where(*criteria)).scalar_one()

    def audited(self, action: str, **where) -> int:
        criteria = [AuditEvent.action == action] + [getattr(AuditEvent, k) == v for k, v in where.items()]
        return self.count(AuditEvent, *criteria)

    def close(self) -> None:
        self.engine.dispose()


def race_track(tmp_path_factory) -> Iterator[RaceTrack]:
    """For a module-scoped fixture: one database for a module's races (each test makes its own team)."""
    database = ThrowawayDatabase(tmp_path_factory.mktemp("races"))
    track = RaceTrack(database)
    yield track
    track.close()
    database.drop()


def race(*requests: Callable[[], object]) -> list:
    """Send every request at the same moment, each on its own thread; their responses in order."""
    start = threading.Barrier(len(requests))

    def run(send: Callable[[], object]):
        start.wait(timeout=WAIT)
        return send()

    pool = ThreadPoolExecutor(max_workers=len(requests))
    try:
        futures = [pool.submit(run, send) for send in requests]
        return [future.result(timeout=WAIT) for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def all_read_before_any_write(model: type, parties: int) -> Iterator[list[str]]:
    """On PostgreSQL, hold each racing request at its first load of a `model` row until every one has
    loaded it, so all of them decide on the same version and the database must settle who wins: the
    interleaving that real traffic produces now and then, made certain.

    SQLite runs one write transaction at a time (BEGIN IMMEDIATE, casework/db.py), so a request cannot
    load the row while another is between its read and its commit: there the hook is not installed,
    and the loser always reads the winner's committed change. Yields a list that names any party that
    gave up waiting, which the test should assert is empty."""
    gave_up: list[str] = []
    if backend() != "postgresql":
        yield gave_up
        return
    meeting = threading.Barrier(parties)

    def loaded(target, context) -> None:
        session: Session = context.session
        if session.info.get("met"):
            return
        session.info["met"] = True
        try:
            meeting.wait(timeout=WAIT / 3)
        except threading.BrokenBarrierError:
            gave_up.append(threading.current_thread().name)

    event.listen(model, "load", loaded)
    try:
        yield gave_up
    finally:
        event.remove(model, "load", loaded)


@contextmanager
def all_ready_before_any_write(model: type, parties: int) -> Iterator[list[str]]:
    """As `all_read_before_any_write`, for a race over a row that does not exist yet: hold each request at
    the flush that would insert its first new `model` until every one has got that far."""
    gave_up: list[str] = []
    if backend() != "postgresql":
        yield gave_up
        return
    meeting = threading.Barrier(parties)

    def flushing(session: Session, _context, _instances) -> None:
        if session.info.get("met") or not any(isinstance(new, model) for new in session.new):
            return
        session.info["met"] = True
        try:
            meeting.wait(timeout=WAIT / 3)
        except threading.BrokenBarrierError:
            gave_up.append(threading.current_thread().name)

    event.listen(Session, "before_flush", flushing)
    try:
        yield gave_up
    finally:
        event.remove(Session, "before_flush", flushing)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
