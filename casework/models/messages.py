"""The outbox: every message to a person or a member of staff, written in the same transaction as
the change that causes it and delivered after commit by services.outbox (DESIGN.md §3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, UTCDateTime

# Only undelivered rows are indexed for the sender: sent ones pile up and are never looked for.
UNDELIVERED = {
    "sqlite_where": text("status IN ('pending', 'sending')"),
    "postgresql_where": text("status IN ('pending', 'sending')"),
}


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "next_attempt_at", **UNDELIVERED),
        CheckConstraint("channel IN ('email', 'sms')", name="known_channel"),
        CheckConstraint("language IN ('en', 'cy')", name="known_language"),
        CheckConstraint("purpose IN ('reminder', 'staff_notification', 'digest')", name="known_purpose"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="known_status"),
        CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("status <> 'failed' OR last_error IS NOT NULL", name="failure_has_reason"),
        CheckConstraint("attempts >= 0", name="attempts_counted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(5))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    purpose: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # While pending: when to try next. While sending: when the sender's lease runs out.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A reminder is pointless once its check-in has started: not sent after this.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_ins.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # What the message is for, e.g. "reminder:12:48:email": the same cause never queues it twice.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)

    @property
    def retrying(self) -> bool:
        return self.status == "pending" and self.attempts > 0
