"""One scheduler at a time: a process runs jobs only while it holds this lock (DESIGN.md §5).

PostgreSQL: a session-level advisory lock held on a connection kept for the process's lifetime;
the server lets it go the moment that connection ends, so a scheduler that dies frees it at once.
SQLite: a lease row taken, and renewed well before it expires, by guarded UPDATEs; a scheduler
that dies stops renewing and another takes the row over once it has expired.

Every job's transaction also confirms the lock (`confirm`), so a scheduler that lost it while
paused does not run a job another scheduler may be running; the sweeps' unique keys stay the
last line of defence.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casework.db import dialect_insert
from casework.domain.clock import Clock
from casework.models import SchedulerLease

LOCK_NAME = "scheduler"
# Any fixed number: the PostgreSQL advisory lock's key ("case" in ASCII).
ADVISORY_KEY = 0x63617365
LEASE = timedelta(seconds=60)
# How often a scheduler renews its lease or, waiting, tries to take the lock over.
RETRY = timedelta(seconds=20)


class SchedulerLock(Protocol):
    holder: str

    def acquire(self) -> bool:
        """Take the lock, or keep it if already held; True while this process holds it."""

    def confirm(self, session: Session) -> bool:
        """In a job's transaction: does this process still hold the lock?"""

    def release(self) -> None: ...


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def scheduler_lock(engine: Engine, *, clock: Clock, holder: str | None = None, lease: timedelta = LEASE):
    holder = holder or default_holder()
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, holder=holder)
    return LeaseLock(engine, clock=clock, holder=holder, lease=lease)


class AdvisoryLock:
    def __init__(self, engine: Engine, *, holder: str) -> None:
        self.engine, self.holder = engine, holder
        self._connection: Connection | None = None
        self._backend_pid: int | None = None

    def acquire(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except DBAPIError:  # the connection died, and the lock with it: try again below
                self._forget()
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
            if taken:
                self._connection = connection
                self._backend_pid = connection.scalar(text("SELECT pg_backend_pid()"))
                return True
        except DBAPIError:
            connection.invalidate()
        connection.close()
        return False

    def confirm(self, session: Session) -> bool:
        if self._backend_pid is None:
            return False
        held = session.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = :pid AND classid = 0 AND objid = :key AND objsubid = 1"
            ),
            {"pid": self._backend_pid, "key": ADVISORY_KEY},
        )
        return bool(held)

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            self._connection.close()
        except DBAPIError:
            self._forget()
        self._connection = self._backend_pid = None

    def _forget(self) -> None:
        # Never hand a connection that may still hold the lock back to the pool.
        if self._connection is not None:
            self._connection.invalidate()
            self._connection.close()
        self._connection = self._backend_pid = None


class LeaseLock:
    def __init__(self, engine: Engine, *, clock: Clock, holder: str, lease: timedelta = LEASE) -> None:
        self.engine, self.clock, self.holder, self.lease = engine, clock, holder, lease

    def acquire(self) -> bool:
        now = self.clock.now()
        table = SchedulerLease.__table__
        with self.engine.begin() as connection:  # BEGIN IMMEDIATE on SQLite: one taker at a time
            taken = connection.execute(
                dialect_insert(connection)(table)
                .values(name=LOCK_NAME, holder=self.holder, expires_at=now + self.lease)
                .on_conflict_do_nothing(index_elements=["name"])
            ).rowcount
            if not taken:
                taken = connection.execute(
                    update(table)
                    .where(
                        table.c.name == LOCK_NAME,
                        or_(table.c.holder == self.holder, table.c.expires_at <= now),
                    )
                    .values(holder=self.holder, expires_at=now + self.lease)
                ).rowcount
        return bool(taken)

    def confirm(self, session: Session) -> bool:
        held = session.scalar(
            select(func.count()).where(
                SchedulerLease.name == LOCK_NAME,
                SchedulerLease.holder == self.holder,
                SchedulerLease.expires_at > self.clock.now(),
            )
        )
        return bool(held)

    def release(self) -> None:
        """Let a waiting scheduler take over now rather than when the lease would have expired."""
        table = SchedulerLease.__table__
        with self.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.name == LOCK_NAME, table.c.holder == self.holder)
                .values(expires_at=self.clock.now())
            )
