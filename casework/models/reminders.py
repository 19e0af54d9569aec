"""Reminders to the person before a check-in: one per check-in time, lead time and channel, each
pointing at the outbox message that carries it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.messages import OutboxMessage


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (
        # The check-in's time is part of the key: a check-in moved to another day is reminded again.
        UniqueConstraint("check_in_id", "scheduled_for", "hours_before", "channel", name="one_reminder_per_time"),
        CheckConstraint("channel IN ('email', 'sms')", name="known_channel"),
        CheckConstraint("status IN ('queued', 'sent', 'failed', 'skipped')", name="known_status"),
        CheckConstraint("status <> 'queued' OR outbox_message_id IS NOT NULL", name="queued_has_message"),
        CheckConstraint("status NOT IN ('failed', 'skipped') OR note IS NOT NULL", name="not_sent_says_why"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id"), index=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    hours_before: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(5))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"), unique=True)
    # Why it was skipped or failed, as the navigator reads it.
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    message: Mapped[OutboxMessage | None] = relationship(lazy="joined")
