"""What the scheduler process keeps: who holds the scheduler lease (SQLite; PostgreSQL uses an
advisory lock instead) and when each job last ran."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime


class SchedulerLease(Base):
    """One row per lock name: a scheduler holds it until `expires_at` and renews it well before."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SchedulerHeartbeat(Base):
    """The last run of each job: what the health check and the supervisor's home read."""

    __tablename__ = "scheduler_heartbeats"
    __table_args__ = (CheckConstraint("last_outcome IN ('ok', 'failed')", name="known_outcome"),)

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_outcome: Mapped[str] = mapped_column(String(10))
    handled: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
