"""When each scheduler job last ran, and whether the scheduler as a whole looks alive.

Reminders and overdue flags depend on the scheduler process, which nobody watches: the health check
reports the age of its last run and the supervisor's home says in words when it has stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.db import dialect_insert
from casework.models import SchedulerHeartbeat

# Every job runs at least every five minutes; two missed rounds mean the scheduler has stopped.
STALE_AFTER = timedelta(minutes=10)
MAX_ERROR = 2000


def record(
    session: Session,
    *,
    job: str,
    started_at: datetime,
    finished_at: datetime,
    outcome: str,
    handled: int = 0,
    error: str | None = None,
) -> None:
    values = dict(
        last_started_at=started_at,
        last_finished_at=finished_at,
        last_outcome=outcome,
        handled=handled,
        error=error[:MAX_ERROR] if error else None,
    )
    statement = dialect_insert(session)(SchedulerHeartbeat).values(job=job, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["job"], set_=values))


def last_ran_at(session: Session) -> datetime | None:
    return session.scalar(select(func.max(SchedulerHeartbeat.last_finished_at)))


def age_seconds(session: Session, *, now: datetime) -> float | None:
    last = last_ran_at(session)
    return None if last is None else max(0.0, (now - last).total_seconds())


@dataclass(frozen=True)
class SchedulerStatus:
    last_ran_at: datetime | None
    stale: bool
    failing: list[SchedulerHeartbeat]


def status(session: Session, *, now: datetime) -> SchedulerStatus:
    beats = list(session.scalars(select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.job)))
    last = max((beat.last_finished_at for beat in beats), default=None)
    return SchedulerStatus(
        last_ran_at=last,
        stale=last is None or now - last > STALE_AFTER,
        # A job still failing fails every round; an old failure (a job since removed) is not news.
        failing=[
            beat for beat in beats if beat.last_outcome == "failed" and now - beat.last_finished_at <= STALE_AFTER
        ],
    )
