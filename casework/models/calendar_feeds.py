"""Private calendar subscription feeds: a navigator's check-ins, read by a calendar app that cannot
sign in. Only the token's SHA-256 is stored, so the table alone never lets anyone read a feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, UTCDateTime
from casework.models.users import User

ACTIVE_FEED = "revoked_at IS NULL"


class CalendarFeed(Base):
    __tablename__ = "calendar_feeds"
    __table_args__ = (
        # One working address per person: making a new one must have revoked the old.
        Index(
            "ix_calendar_feeds_one_active",
            "user_id",
            unique=True,
            sqlite_where=text(ACTIVE_FEED),
            postgresql_where=text(ACTIVE_FEED),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
