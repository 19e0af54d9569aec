"""What a load balancer needs to know: can we reach the database, and is its schema current?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from casework.migrate import current_revision, head_revision
from casework.services import heartbeats


@dataclass(frozen=True)
class HealthReport:
    database: bool
    migrations_at_head: bool
    schema_revision: str | None
    expected_revision: str
    # Seconds since the scheduler last finished a job; None until it has run once. Informative only:
    # a stopped scheduler must not take the web servers out of a load balancer.
    scheduler_heartbeat_age_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.database and self.migrations_at_head

    def as_dict(self) -> dict:
        return {
            "status": "ok" if self.ok else "failing",
            "database": self.database,
            "migrations_at_head": self.migrations_at_head,
            "schema_revision": self.schema_revision,
            "expected_revision": self.expected_revision,
            "scheduler_heartbeat_age_seconds": self.scheduler_heartbeat_age_seconds,
        }


def check(session: Session, *, now: datetime) -> HealthReport:
    expected = head_revision()
    try:
        session.execute(text("SELECT 1"))
        revision = current_revision(session.connection())
        # An older schema may not have the heartbeats table yet.
        age = heartbeats.age_seconds(session, now=now) if revision == expected else None
    except SQLAlchemyError:
        session.rollback()
        return HealthReport(database=False, migrations_at_head=False, schema_revision=None, expected_revision=expected)
    # The read is left for the request's end, which commits it: a ROLLBACK on every poll would make
    # the driver forget its prepared statements (casework.db.close).
    return HealthReport(
        database=True,
        migrations_at_head=revision == expected,
        schema_revision=revision,
        expected_revision=expected,
        scheduler_heartbeat_age_seconds=age,
    )
