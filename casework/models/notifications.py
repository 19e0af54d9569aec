"""Staff notifications: each user's choice per event, and each notification given (once per event)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.domain.notifications import Choice, Event
from casework.models.base import Base, UTCDateTime

EVENT_VALUES = ", ".join(f"'{event.value}'" for event in Event)
CHOICE_VALUES = ", ".join(f"'{choice.value}'" for choice in Choice)


class NotificationPreference(Base):
    """A row only where a user chose; otherwise domain.notifications.DEFAULT_CHOICES applies."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "event", name="one_choice_per_event"),
        CheckConstraint(f"event IN ({EVENT_VALUES})", name="known_event"),
        CheckConstraint(f"choice IN ({CHOICE_VALUES})", name="known_choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    choice: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StaffNotification(Base):
    __tablename__ = "staff_notifications"
    __table_args__ = (
        # The caller's key names the event ("reminder_failed:12"): one event notifies each user once.
        UniqueConstraint("user_id", "dedupe_key", name="notified_once"),
        Index(
            "ix_staff_notifications_awaiting_digest",
            "user_id",
            "created_at",
            sqlite_where=text("choice = 'digest' AND digest_message_id IS NULL"),
            postgresql_where=text("choice = 'digest' AND digest_message_id IS NULL"),
        ),
        CheckConstraint(f"event IN ({EVENT_VALUES})", name="known_event"),
        CheckConstraint(f"choice IN ({CHOICE_VALUES})", name="known_choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    # The user's choice when it happened: a later change does not re-send or hold back old ones.
    choice: Mapped[str] = mapped_column(String(10))
    emailed_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    digest_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
